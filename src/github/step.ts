import * as core from "@actions/core";
import type { Dispatcher } from "undici";
import { Input } from "../constants.js";
import { type HttpOptions, stepHttpOptions } from "../creatify/http.js";
import { dispatcherFor } from "../creatify/transport.js";
import { InputError, messageOf } from "../errors.js";
import { removePartialDownloads } from "../files/download.js";
import type { Log } from "../log.js";
import { redactor, urlSecrets } from "../text.js";
import { actionLog } from "./log.js";
import { StepOutputs } from "./outputs.js";

/** What a step shows when it ends, however it ends: its outputs and its summary. */
export interface StepReport {
  /** Writes the outputs known so far; a second call (a cancel racing the end) writes what changed. */
  publish(): void;
  writeSummary(now: number): Promise<void>;
  /** A line per item saying how far it got: what a cancelled step leaves in its log. */
  progress(): string[];
  /** Keeps the error that ended the step, for a report that shows it. */
  failed?(message: string): void;
}

/** What the runner gives an action's journey. */
export interface Step {
  /** The step's environment: the proxy variables and the timeouts tests shorten are read here. */
  readonly env: NodeJS.ProcessEnv;
  /** The checked-out repository (the working directory outside a runner). */
  readonly workspace: string;
  /** An input as the runner passes it, trimmed; "" when not given. */
  readonly input: (name: string) => string;
  readonly log: Log;
  readonly outputs: StepOutputs;
  /** The step's one dispatcher, so one proxy agent, for the API and a video's host alike. */
  readonly dispatcher: Dispatcher;
  /** The HTTP layer's options for the API at `api`, over the step's dispatcher. */
  http(api: Pick<HttpOptions, "baseUrl" | "apiId" | "apiKey">): HttpOptions;
  /** Masks a secret found while running (a manifest's webhook URL) wherever the step writes. */
  addSecret(secret: string): void;
  /** The report the step publishes when it ends; named once the inputs are read. */
  show<R extends StepReport>(report: R): R;
}

/**
 * One step of either action: masks the secrets before anything else runs, gives the journey
 * its log, outputs and dispatcher, leaves the outputs known so far when the runner cancels,
 * and, however the journey ends, publishes the outputs and the summary. The only place that
 * fails the step.
 */
export async function runStep(
  env: NodeJS.ProcessEnv,
  journey: (step: Step) => Promise<void>,
): Promise<void> {
  const input = (name: string) => core.getInput(name);
  const secrets = secretInputs(input);
  for (const secret of secrets) core.setSecret(secret);
  let hide = redactor(secrets);
  // Read at every call, so a secret added while running is hidden from then on.
  const redact = (text: string) => hide(text);
  const log = actionLog(redact);
  const dispatcher = dispatcherFor(env);
  let report: StepReport | undefined;
  const step: Step = {
    env,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    input,
    log,
    outputs: new StepOutputs(redact),
    dispatcher,
    http: (api) => stepHttpOptions(api, log, env, dispatcher),
    addSecret(secret) {
      if (secret === "" || secrets.includes(secret)) return;
      core.setSecret(secret);
      secrets.push(secret);
      hide = redactor(secrets);
    },
    show(shown) {
      report = shown;
      return shown;
    },
  };
  const onSignal = (signal: NodeJS.Signals) => cancel(signal, report, log);
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    await journey(step);
  } catch (error) {
    report?.failed?.(messageOf(error));
    fail(error, log);
  } finally {
    report?.publish();
    await report
      ?.writeSummary(Date.now())
      .catch((error) => log.warning(`job summary: ${messageOf(error)}`));
    // Destroyed, not closed: the journey is over, and nothing it started may hold the step open.
    await dispatcher.destroy();
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/**
 * The inputs to mask before anything runs, so no later line, error included, can show them:
 * the credentials, and a webhook URL whose query (usually a token) would show.
 */
export function secretInputs(input: (name: string) => string): string[] {
  return [input(Input.ApiId), input(Input.ApiKey), ...urlSecrets(input(Input.WebhookUrl))].filter(
    (secret) => secret !== "",
  );
}

/**
 * A failed step: its error as a log line (on the manifest's line for an input error there),
 * then the exit code. Set on `process` itself: @github/local-action's stand-in for core has
 * no `ExitCode`, and `core.setFailed` would log the error again, without its annotation.
 */
function fail(error: unknown, log: Log): void {
  const at =
    error instanceof InputError && error.file ? { file: error.file, line: error.line } : undefined;
  log.error(messageOf(error), at);
  process.exitCode = 1;
}

/** Cancelled by the runner: leave the outputs known so far, say how far each item got, exit. */
function cancel(signal: NodeJS.Signals, report: StepReport | undefined, log: Log): void {
  // A `.part` file left in the workspace would end up in a later commit.
  removePartialDownloads();
  report?.publish();
  for (const line of report?.progress() ?? []) log.warning(`Cancelled (${signal}): ${line}.`);
  log.error(`Cancelled by ${signal}.`);
  process.exitCode = 1;
  void (report?.writeSummary(Date.now()) ?? Promise.resolve()).finally(() => process.exit(1));
}
