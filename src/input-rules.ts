import { formatDuration, parseDuration } from "./duration.js";
import { InputError } from "./errors.js";
import { CONTROL, withoutQuery } from "./text.js";

/**
 * The parsing rules both actions' inputs share: each throws an InputError whose message
 * starts with `name`, the input (or file entry) at fault.
 */

const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];
/** `setTimeout` overflows past 2^31-1 ms (~24.8 days); waits are capped well inside a month. */
const MAX_DURATION_MS = 30 * 86_400_000;
/**
 * Creatify's ids (UUIDs) and what a gateway might use: nothing that needs escaping in a path,
 * and not only dots (`.` and `..` are path segments that URLs resolve away).
 */
export const ID_LIKE = /^(?!\.+$)[A-Za-z0-9._-]+$/;

export interface WaitSettings {
  readonly enabled: boolean;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly failOnTimeout: boolean;
  /** Why `timeoutMs` is shorter than the input asked, for a notice; absent when it is not. */
  readonly shortened?: string;
}

/** The runner's environment variables. */
export type RunnerEnv = Readonly<Record<string, string | undefined>>;

/**
 * GitHub stops a job on its hosted runners at 6 hours, outputs and summary unwritten; a wait
 * that ends 10 minutes before leaves the step time to write them.
 */
const HOSTED_RUNNER_WAIT_MS = (5 * 60 + 50) * 60_000;

/** The names of the wait inputs, the same in both actions. */
const WAIT = {
  wait: "wait",
  timeout: "wait-timeout",
  poll: "poll-interval",
  maxPoll: "max-poll-interval",
  failOnTimeout: "fail-on-timeout",
} as const;
type WaitInputName = (typeof WAIT)[keyof typeof WAIT];

/**
 * Both credentials, or (in a dry run only) neither. A space or line break inside one is a
 * copy-paste slip that the server would answer with a dropped connection, not a 401.
 */
export function credentials(apiId: string, apiKey: string, dryRun: boolean): [string, string] {
  if (dryRun && apiId === "" && apiKey === "") return ["", ""];
  for (const [name, value] of [
    ["api-id", apiId],
    ["api-key", apiKey],
  ] as const) {
    if (value === "") {
      const hint = dryRun ? "" : " (only a dry-run may leave api-id and api-key both empty)";
      throw new InputError(`Input "${name}" is required${hint}.`);
    }
    if (/\s/.test(value) || CONTROL.test(value)) {
      throw new InputError(
        `Input "${name}" contains a space, line break or control character; copy it again.`,
      );
    }
  }
  return [apiId, apiKey];
}

/** The wait inputs; `get` gives an input's value with its default applied. */
export function parseWait(
  get: (name: WaitInputName) => string,
  describe: (name: string) => string,
): WaitSettings {
  const duration = (name: WaitInputName) => {
    const ms = parseDuration(get(name));
    if (ms === undefined) {
      throw new InputError(
        `${describe(name)}: "${get(name)}" is not a duration (use 90s, 45m, 6h, 2d or seconds).`,
      );
    }
    if (ms > MAX_DURATION_MS) {
      throw new InputError(`${describe(name)}: "${get(name)}" is longer than the limit of 30d.`);
    }
    return ms;
  };
  const pollIntervalMs = duration(WAIT.poll);
  if (pollIntervalMs <= 0) {
    throw new InputError(`${describe(WAIT.poll)}: must be longer than zero.`);
  }
  return {
    enabled: parseBoolean(get(WAIT.wait), describe(WAIT.wait)),
    timeoutMs: duration(WAIT.timeout),
    pollIntervalMs,
    // A cap below the first delay would be meaningless; the first delay wins.
    maxPollIntervalMs: Math.max(duration(WAIT.maxPoll), pollIntervalMs),
    failOnTimeout: parseBoolean(get(WAIT.failOnTimeout), describe(WAIT.failOnTimeout)),
  };
}

/**
 * The wait fitted to the runner it runs on (`RUNNER_ENVIRONMENT`): on a GitHub-hosted one, a
 * longer wait ends at 5h50m, and `shortened` says why. A self-hosted runner has no such limit.
 */
export function fitWaitToRunner(wait: WaitSettings, env: RunnerEnv): WaitSettings {
  const limit = HOSTED_RUNNER_WAIT_MS;
  if (!wait.enabled || env.RUNNER_ENVIRONMENT !== "github-hosted" || wait.timeoutMs <= limit) {
    return wait;
  }
  return {
    ...wait,
    timeoutMs: limit,
    shortened: `The wait ends after ${formatDuration(limit)}, not the ${formatDuration(wait.timeoutMs)} of wait-timeout: GitHub stops a job on its hosted runners at 6 hours, and the step must still write its outputs and summary. To wait longer, follow up in a later run, or use a self-hosted runner.`,
  };
}

export function parseHttpUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // A URL's query may carry a token (a webhook's usually does): never print it.
    throw new InputError(`${name}: "${withoutQuery(text)}" is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`${name}: "${url.protocol}" URLs are not supported; use http(s).`);
  }
  return text;
}

export function parseBoolean(text: string, name: string): boolean {
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new InputError(`${name}: "${text}" is not true or false.`);
}

/** One of `choices`, compared in lower case; the error lists them. */
export function parseChoice<T extends string>(
  text: string,
  choices: readonly T[],
  name: string,
): T {
  const found = choices.find((choice) => choice === text.toLowerCase());
  if (!found) throw new InputError(`${name}: "${text}" is not one of ${choices.join(", ")}.`);
  return found;
}

export function required(text: string, name: string): string {
  if (text === "") throw new InputError(`${name} is required.`);
  return text;
}

/** Text that goes to Creatify and into log lines: a control character in it is a slip. */
export function plain(text: string, name: string): string {
  if (CONTROL.test(text)) {
    throw new InputError(`${name}: contains a line break or another control character.`);
  }
  return text;
}

export function limited(text: string, max: number, name: string): string {
  if ([...text].length > max) {
    throw new InputError(`${name}: ${[...text].length} characters, at most ${max} allowed.`);
  }
  return text;
}

/** A comma- or newline-separated list, blanks dropped (`only`). */
export function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** How many run at once (`max-parallel`): 1 to 20. */
export function parseCount(text: string, name: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 20) {
    throw new InputError(`${name}: "${text}" is not a whole number from 1 to 20.`);
  }
  return count;
}
