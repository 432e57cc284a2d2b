import * as core from "@actions/core";
import { InputError, messageOf } from "../errors.js";
import type { Log } from "../log.js";
import { redactor } from "../text.js";

/**
 * Masks the credentials, and a webhook URL whose query (usually a token) would show, before
 * anything else runs, so no later line, error included, can show them; returns the redactor
 * that hides them in what the step writes. Both actions start here.
 */
export function maskSecretInputs(
  apiId: string,
  apiKey: string,
  webhookUrl: string,
): (text: string) => string {
  const secrets = [apiId, apiKey, webhookUrl].filter(
    (value, index) => value !== "" && (index < 2 || value.includes("?")),
  );
  for (const secret of secrets) core.setSecret(secret);
  return redactor(secrets);
}

/** A failed step: its error as a log line, made safe like every other, then the exit code. */
export function failStep(error: unknown, log: Log): void {
  const file = error instanceof InputError ? error.file : undefined;
  log.error(messageOf(error), file ? { file, line: (error as InputError).line } : undefined);
  process.exitCode = core.ExitCode.Failure;
}
