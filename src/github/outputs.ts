import * as core from "@actions/core";

/** One object's share of the outputs: a step's stay under GitHub's 64 KiB with room. */
const MAX_OBJECT_JSON = 32 * 1024;

/**
 * A server object as an output's JSON within its share: whole when it fits, else only the
 * fields its API documents (a server that sends much more loses the rest, not the output).
 */
export function outputJson(
  object: Readonly<Record<string, unknown>>,
  documented: readonly string[],
): string {
  const whole = JSON.stringify(object);
  if (whole.length <= MAX_OBJECT_JSON) return whole;
  return JSON.stringify(Object.fromEntries(documented.map((field) => [field, object[field]])));
}

/**
 * The one place that writes step outputs and the job summary, for both actions. Every value
 * is redacted on its way out. Outputs are written when the step ends, however it ends
 * (success, failure, cancellation): the runner reads GITHUB_OUTPUT only then, and one value
 * per output leaves nothing for a reader of the file to choose between.
 */
export class StepOutputs {
  readonly #written = new Map<string, string>();
  readonly #redact: (text: string) => string;
  readonly #write: (name: string, value: string) => void;

  /** `write` is core's by default; tests pass a recorder. */
  constructor(
    redact: (text: string) => string = (text) => text,
    write: (name: string, value: string) => void = core.setOutput,
  ) {
    this.#redact = redact;
    this.#write = write;
  }

  /** Writes the outputs; a second call (a cancel racing the end) writes only what changed. */
  set(outputs: ReadonlyMap<string, string>): void {
    for (const [name, raw] of outputs) {
      const value = this.#redact(raw);
      if (this.#written.get(name) === value) continue;
      this.#write(name, value);
      this.#written.set(name, value);
    }
  }

  /**
   * Appends GitHub Flavored Markdown to the job summary. Outside a runner (no
   * GITHUB_STEP_SUMMARY) there is none to write, and that is no failure.
   */
  async appendSummary(markdown: string): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(this.#redact(markdown)).write();
  }
}
