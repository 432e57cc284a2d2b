import { info, issueCommand } from "./runner.js";
import { clip, logSafe } from "./text.js";

/** Server text is cut to 1,000 characters where it enters; a line carries a few such at most. */
const MAX_LINE = 4000;

/** Where a manifest annotation points. */
export interface Annotation {
  readonly file: string;
  readonly line?: number | undefined;
}

/** The log calls the modules make; tests pass a recorder. */
export interface Log {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string, at?: Annotation): void;
  debug(message: string): void;
}

/**
 * The action's log: every line, whatever outside text it carries, is redacted and made
 * log-safe here, so no module has to remember to (SPEC §10).
 */
export function actionLog(redact: (text: string) => string): Log {
  const safe = (message: string) => clip(logSafe(redact(message)), MAX_LINE);
  return {
    info: (message) => info(safe(message)),
    notice: (message) => issueCommand("notice", safe(message)),
    warning: (message) => issueCommand("warning", safe(message)),
    error: (message, at) =>
      issueCommand("error", safe(message), at && { file: logSafe(at.file), line: at.line }),
    debug: (message) => issueCommand("debug", safe(message)),
  };
}
