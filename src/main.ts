import * as core from "@actions/core";
import {
  type AvatarContext,
  checkVideos,
  followAvatar,
  lookUpAvatar,
  recordAvatar,
  submitAvatar,
} from "./avatar.js";
import { Input } from "./constants.js";
import { CreatifyClient } from "./creatify/client.js";
import { statusOf } from "./creatify/persona.js";
import { parseDuration } from "./duration.js";
import { InputError, messageOf } from "./errors.js";
import { parseInputs, secretsOf } from "./inputs.js";
import { Report } from "./report.js";

/** setTimeout fires at once past 2^31-1 ms; a wait of weeks must still wait. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));

/** The action: parse every input, then submit, follow or batch; the only place that fails the step. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const report = new Report();
  const onSignal = (signal: NodeJS.Signals) => cancel(signal, report);
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let client: CreatifyClient | undefined;
  try {
    // Masked before anything else runs, so no later line, error included, can show them.
    for (const secret of [core.getInput(Input.ApiId), core.getInput(Input.ApiKey)]) {
      if (secret) core.setSecret(secret);
    }
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const inputs = parseInputs((name) => core.getInput(name), workspace);
    if (inputs.target.mode === "single") secretsOf(inputs.target.avatar).forEach(core.setSecret);
    const timeoutMs = parseDuration(env.CREATIFY_REQUEST_TIMEOUT ?? "");
    client = new CreatifyClient({
      baseUrl: inputs.baseUrl,
      apiId: inputs.apiId,
      apiKey: inputs.apiKey,
      log: core,
      readTimeoutMs: timeoutMs,
      createTimeoutMs: timeoutMs,
    });
    const context: AvatarContext = {
      client,
      log: core,
      report,
      wait: inputs.wait,
      now: Date.now,
      sleep,
      random: Math.random,
    };
    const { target } = inputs;
    if (target.mode === "single") {
      const videos = await checkVideos(target.avatar, workspace, (name) => `Input "${name}"`);
      const record = recordAvatar(target.avatar, context);
      await submitAvatar(target.avatar, videos, record, context);
      await followAvatar(record, context);
    } else if (target.mode === "existing") {
      await followAvatar(await lookUpAvatar(target.avatarId, context), context);
    } else {
      // Loaded only here: the manifest parser and the GitHub client are batch-only weight.
      const { runBatch } = await import("./batch/run.js");
      await runBatch(target.batch, workspace, env, context);
    }
  } catch (error) {
    fail(error);
  } finally {
    report.publish();
    await report
      .writeSummary(Date.now())
      .catch((error) => core.warning(`job summary: ${messageOf(error)}`));
    await client?.close();
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

function fail(error: unknown): void {
  if (error instanceof InputError && error.file) {
    core.error(error.message, { file: error.file, startLine: error.line });
    process.exitCode = 1;
    return;
  }
  core.setFailed(messageOf(error));
}

/** Cancelled by the runner: leave the outputs known so far, say where things stood, exit. */
function cancel(signal: NodeJS.Signals, report: Report): void {
  report.publish();
  for (const record of report.records) {
    const state = record.persona
      ? `${record.persona.id} was ${statusOf(record.persona)}`
      : "had no id yet";
    core.warning(`Cancelled (${signal}): avatar "${record.creatorName}" ${state}.`);
  }
  core.setFailed(`Cancelled by ${signal}.`);
  void report.writeSummary(Date.now()).finally(() => process.exit(1));
}
