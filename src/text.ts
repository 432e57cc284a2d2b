/**
 * Outside text (inputs, file names, the manifest, the API's answers) on its way to the log,
 * the outputs and the summary. The runner executes a log line that starts with `::` (after
 * leading blanks) and `##[` anywhere in a line, and splits lines on CR as well as LF; GitHub
 * refuses outputs and summaries past their limits. Everything that prints or stores outside
 * text goes through these few functions.
 */

/** The longest free text shown (a log line, an output, the summary); the rest is cut, ending in `…`. */
const MAX_SERVER_TEXT = 1000;

/** Control characters (U+0000–U+001F, U+007F): the runner splits lines on two of them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
export const CONTROL = /[\u0000-\u001f\u007f]/;
/** Runs of them, to fold into one space where a line must stay one line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
export const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;
/** What is escaped in a log line: C0, DEL and C1 (the runner trims U+0085 as a blank). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Breaks a `##[` or a `::` without changing what a reader sees. */
const ZERO_WIDTH_SPACE = "\u200b";

/**
 * One log line made safe: control characters shown as escapes (so no CR or LF splits it),
 * `##[` broken up, and a line that would start with `::` broken at its start.
 */
export function logSafe(line: string): string {
  const flat = line
    .replace(CONTROLS, (char) => JSON.stringify(char).slice(1, -1))
    .replaceAll("##[", `##${ZERO_WIDTH_SPACE}[`);
  return /^[\s\u0085]*::/.test(flat) ? flat.replace("::", `:${ZERO_WIDTH_SPACE}:`) : flat;
}

/** Cuts text to `max` characters (code points), ending in `…` when cut. */
export function clip(text: string, max = MAX_SERVER_TEXT): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}

/**
 * A server's `failed_reason` as a message quotes it: cut, for the message is shown (the
 * record keeps it whole), and said to be missing when the server gave none.
 */
export function reasonOf(failedReason: string | null | undefined): string {
  return failedReason ? clip(failedReason) : "no reason given";
}

/** Replaces every occurrence of the secrets (empty ones ignored) by `***`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const present = secrets.filter((secret) => secret !== "");
  return (text) => present.reduce((out, secret) => out.replaceAll(secret, "***"), text);
}

/**
 * A URL without its query string, which usually carries a token (`https://h/x?***`). Text
 * that is not a URL keeps what precedes a `?` the same way.
 */
export function withoutQuery(url: string): string {
  const at = url.indexOf("?");
  return at === -1 ? url : `${url.slice(0, at)}?***`;
}

/** What of a URL to mask in logs: all of it when it has a query string, for the same reason. */
export function urlSecrets(url: string | undefined): string[] {
  return url?.includes("?") ? [url] : [];
}
