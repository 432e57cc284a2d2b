import { CONTROL_RUNS, clip } from "../text.js";

/**
 * Outside text in GitHub Flavored Markdown, for both actions' summaries: cells that render as
 * themselves and never break the table they sit in.
 */

/** GitHub refuses a step summary over 1 MiB; rows past this are left out, and counted. */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024;

export function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/**
 * Outside text as inline Markdown that renders as itself, on one line: a backslash before
 * every punctuation mark that could start markup (`|` included, which GFM tables honour).
 */
export function text(value: string): string {
  return clip(value)
    .replace(CONTROL_RUNS, " ")
    .replace(/[\\`*_[\]<>|~#!&]/g, "\\$&");
}

/** An id as code when it is plain, else as escaped text (a backtick would end the span). */
export function code(value: string): string {
  return /^[\w.:-]+$/.test(value) ? `\`${value}\`` : text(value);
}

/** A link target: only http(s), with no character that could end the Markdown link. */
export function link(url: string): string {
  return /^https?:\/\/[^\s()<>\\|]+$/i.test(url) ? url : "#";
}
