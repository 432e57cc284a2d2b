/** Where an annotation points: a manifest entry's line, say. */
export interface Annotation {
  readonly file: string;
  readonly line?: number | undefined;
}

/**
 * The log calls the modules make. The action's one implementation, which makes every line
 * safe before the runner sees it, is `github/log.ts`; tests pass a recorder.
 */
export interface Log {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string, at?: Annotation): void;
  debug(message: string): void;
}
