import * as core from "@actions/core";
import { Input } from "../constants.js";
import { CreatifyClient } from "../creatify/client.js";
import { stepHttpOptions } from "../creatify/http.js";
import { statusOf } from "../creatify/persona.js";
import { sleep } from "../duration.js";
import { messageOf } from "../errors.js";
import { actionLog } from "../github/log.js";
import { StepOutputs } from "../github/outputs.js";
import { failStep, maskSecretInputs } from "../github/step.js";
import type { Log } from "../log.js";
import type { AvatarContext } from "./context.js";
import { parseInputs } from "./inputs.js";
import { checkAvatar, followAvatar, lookUpAvatar } from "./journey.js";
import { deleteReplacedOf } from "./replaced.js";
import { Report } from "./report.js";
import { submitAvatars } from "./submit.js";

/** The action: parse every input, then submit, follow or batch; the only place that fails the step. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const redact = maskSecretInputs(
    core.getInput(Input.ApiId),
    core.getInput(Input.ApiKey),
    core.getInput(Input.WebhookUrl),
  );
  const log = actionLog(redact);
  const report = new Report(new StepOutputs(redact));
  const onSignal = (signal: NodeJS.Signals) => cancel(signal, report, log);
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let client: CreatifyClient | undefined;
  try {
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const inputs = parseInputs((name) => core.getInput(name), workspace, env);
    if (inputs.wait.shortened) log.notice(inputs.wait.shortened);
    report.dryRun = inputs.dryRun;
    client = new CreatifyClient(stepHttpOptions(inputs, log, env));
    const context: AvatarContext = {
      client,
      log,
      report,
      wait: inputs.wait,
      deleteReplaced: inputs.deleteReplaced,
      now: Date.now,
      sleep,
      random: Math.random,
    };
    const submit = { dryRun: inputs.dryRun, offline: inputs.apiId === "" };
    const { target } = inputs;
    if (target.mode === "single") {
      const wanted = await checkAvatar(
        target.avatar,
        workspace,
        (name) => `Input "${name}"`,
        context,
      );
      const options = { ...submit, maxParallel: 1, onError: () => {} };
      const [failed] = await submitAvatars([wanted], context, options);
      if (failed?.error) throw new Error(failed.error);
    } else if (target.mode === "existing") {
      const record = await lookUpAvatar(target.avatarId, context);
      await followAvatar(record, context);
      await deleteReplacedOf(record, context);
    } else {
      // Loaded only here: the manifest parser and the GitHub client are batch-only weight.
      const { runBatch } = await import("./batch/run.js");
      await runBatch(target.batch, workspace, env, context, submit);
    }
  } catch (error) {
    failStep(error, log);
  } finally {
    report.publish();
    await report
      .writeSummary(Date.now())
      .catch((error) => log.warning(`job summary: ${messageOf(error)}`));
    client?.close();
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/** Cancelled by the runner: leave the outputs known so far, say where things stood, exit. */
function cancel(signal: NodeJS.Signals, report: Report, log: Log): void {
  report.publish();
  for (const record of report.records) {
    const id = record.persona?.id ?? record.id;
    const state = record.persona
      ? `${id} was ${statusOf(record.persona)}`
      : id
        ? `${id}`
        : "had no id yet";
    log.warning(`Cancelled (${signal}): avatar "${record.creatorName}" ${state}.`);
  }
  log.error(`Cancelled by ${signal}.`);
  process.exitCode = 1;
  void report.writeSummary(Date.now()).finally(() => process.exit(1));
}
