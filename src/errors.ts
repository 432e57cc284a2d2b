/**
 * A bad input, found before any request is sent. The message is the one line the
 * user sees, and it always starts with the input (or manifest entry) at fault.
 */
export class InputError extends Error {
  override name = "InputError";
  /** Set when a file the user wrote (a manifest) is at fault, for an annotation. */
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, location?: { file: string; line?: number }) {
    super(message);
    this.file = location?.file;
    this.line = location?.line;
  }
}

/** The message of anything thrown, including non-Error throws. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
