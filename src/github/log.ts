import * as core from "@actions/core";
import type { Log } from "../log.js";
import { clip, logSafe } from "../text.js";

/** A message cuts the server text it quotes to 1,000 characters; a line carries a few such at most. */
const MAX_LINE = 4000;

/**
 * The action's log over @actions/core: every line, whatever outside text it carries, is
 * redacted and made log-safe here, so no module has to remember to. core escapes
 * an annotation's CR, LF and `%`, but `core.info` writes its text as it is: a `::` or `##[`
 * from outside would be a workflow command.
 */
export function actionLog(redact: (text: string) => string): Log {
  const safe = (message: string) => clip(logSafe(redact(message)), MAX_LINE);
  return {
    info: (message) => core.info(safe(message)),
    notice: (message) => core.notice(safe(message)),
    warning: (message) => core.warning(safe(message)),
    error: (message, at) =>
      core.error(safe(message), at && { file: logSafe(at.file), startLine: at.line }),
    debug: (message) => core.debug(safe(message)),
  };
}
