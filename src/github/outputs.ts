import * as core from "@actions/core";
import { clip, withoutQuery } from "../text.js";

/** One object's share of the outputs: a step's stay under GitHub's 64 KiB with room. */
const MAX_OBJECT_JSON = 32 * 1024;
/** A JSON key is a name, never worth more than this. */
const MAX_KEY = 100;

/**
 * An output's value, by what it holds, which says how it is written:
 * - text (the action's words, or the server's free text): redacted, cut to 1,000 characters;
 * - `{ exact }`: an id or a URL the action acts on, written as received, whatever its length
 *   (a signed video URL is useless cut, and an id that happens to contain a short credential
 *   is still the id);
 * - `{ json }`: a server object or a list, its text shown as `shownJson` says; with
 *   `documented`, kept within one object's share of the outputs.
 */
export type OutputValue =
  | string
  | { readonly exact: string }
  | {
      readonly json: unknown;
      readonly documented?: readonly string[];
      /** Keys, besides `id` and `…_id`, whose strings are ids. */
      readonly ids?: readonly string[];
    };

/**
 * Server JSON as an output shows it: ids (under `id`, `…_id` or a key in `ids`) and http(s)
 * URLs whole and exact, a webhook URL without its query (a token, usually), every other
 * string and every key redacted and cut.
 */
function shownJson(
  value: unknown,
  redact: (text: string) => string,
  ids: readonly string[] = [],
  key = "",
): unknown {
  if (typeof value === "string") {
    if (key === "webhook_url") return redact(withoutQuery(value));
    const isId = key === "id" || key.endsWith("_id") || ids.includes(key);
    return isId || /^https?:\/\/\S+$/i.test(value) ? value : clip(redact(value));
  }
  if (Array.isArray(value)) return value.map((item) => shownJson(item, redact, ids, key));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      clip(redact(name), MAX_KEY),
      shownJson(item, redact, ids, name),
    ]),
  );
}

/**
 * An object's JSON within its share: whole when it fits, else only the fields its API
 * documents (a server that sends much more loses the rest, not the output).
 */
function outputJson(object: unknown, documented: readonly string[]): string {
  const whole = JSON.stringify(object);
  if (whole.length <= MAX_OBJECT_JSON || typeof object !== "object" || object === null) {
    return whole;
  }
  const fields = object as Readonly<Record<string, unknown>>;
  return JSON.stringify(Object.fromEntries(documented.map((field) => [field, fields[field]])));
}

/** What an output's value is written as, by its kind (`OutputValue`). */
export function outputText(
  value: OutputValue,
  redact: (text: string) => string = (text) => text,
): string {
  if (typeof value === "string") return clip(redact(value));
  if ("exact" in value) return value.exact;
  const json = shownJson(value.json, redact, value.ids);
  return value.documented ? outputJson(json, value.documented) : JSON.stringify(json);
}

/**
 * The one place that writes step outputs and the job summary, for both actions: where the
 * server's data, kept whole until here, is redacted and cut as its kind says (`OutputValue`).
 * Outputs are written when the step ends, however it ends (success, failure, cancellation):
 * the runner reads GITHUB_OUTPUT only then, and one value per output leaves nothing for a
 * reader of the file to choose between.
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
  set(outputs: ReadonlyMap<string, OutputValue>): void {
    for (const [name, raw] of outputs) {
      const value = outputText(raw, this.#redact);
      if (this.#written.get(name) === value) continue;
      this.#write(name, value);
      this.#written.set(name, value);
    }
  }

  /**
   * Appends GitHub Flavored Markdown to the job summary, redacted (its cells cut their text,
   * github/markdown.ts). Outside a runner (no GITHUB_STEP_SUMMARY) there is none to write, and
   * that is no failure.
   */
  async appendSummary(markdown: string): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(this.#redact(markdown)).write();
  }
}
