import * as core from "@actions/core";
import type { Dispatcher } from "undici";
import { GenerateInput } from "../constants.js";
import { CreatifyClient } from "../creatify/client.js";
import { Http, stepHttpOptions } from "../creatify/http.js";
import { jobStatus } from "../creatify/lipsync.js";
import { LipsyncClient } from "../creatify/lipsyncs.js";
import { dispatcherFor } from "../creatify/transport.js";
import { sleep } from "../duration.js";
import { messageOf } from "../errors.js";
import { removePartialDownloads } from "../files/download.js";
import { actionLog } from "../github/log.js";
import { StepOutputs } from "../github/outputs.js";
import { failStep, maskSecretInputs } from "../github/step.js";
import type { Log } from "../log.js";
import { parseGenerateInputs } from "./inputs.js";
import { generateVideo, type VideoContext } from "./journey.js";
import { newVideoRecord, VideoReport } from "./report.js";

/** The generate action: parse every input, then make (or reuse) the video; the only place that fails the step. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const redact = maskSecretInputs(
    core.getInput(GenerateInput.ApiId),
    core.getInput(GenerateInput.ApiKey),
    core.getInput(GenerateInput.WebhookUrl),
  );
  const log = actionLog(redact);
  const outputs = new StepOutputs(redact);
  let report: VideoReport | undefined;
  const onSignal = (signal: NodeJS.Signals) => cancel(signal, report, log);
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let http: Http | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const inputs = await parseGenerateInputs((name) => core.getInput(name), workspace, env);
    if (inputs.wait.shortened) log.notice(inputs.wait.shortened);
    report = new VideoReport(
      newVideoRecord(inputs.video.scenes[0]?.avatarId ?? "", Date.now()),
      outputs,
    );
    report.dryRun = inputs.dryRun;
    // One dispatcher, so one proxy agent, for the API and the video's host alike.
    dispatcher = dispatcherFor(env);
    const options = stepHttpOptions(inputs, log, env, dispatcher);
    if (inputs.apiId !== "") http = new Http(options);
    const context: VideoContext = {
      api: http && {
        avatars: new CreatifyClient(options, http),
        videos: new LipsyncClient(http, options),
      },
      dispatcher,
      callBudgetMs: options.callBudgetMs,
      log,
      record: report.record,
      now: Date.now,
      sleep,
      random: Math.random,
    };
    await generateVideo(inputs, context);
  } catch (error) {
    if (report) report.record.error = messageOf(error);
    failStep(error, log);
  } finally {
    report?.publish();
    await report
      ?.writeSummary(Date.now())
      .catch((error) => log.warning(`job summary: ${messageOf(error)}`));
    http?.close();
    await dispatcher?.close();
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/** Cancelled by the runner: leave the outputs known so far, say where things stood, exit. */
function cancel(signal: NodeJS.Signals, report: VideoReport | undefined, log: Log): void {
  removePartialDownloads();
  report?.publish();
  const job = report?.record.job;
  log.warning(
    `Cancelled (${signal}): ${job ? `video ${job.id} was ${jobStatus(job)}` : "no video had been created"}.`,
  );
  log.error(`Cancelled by ${signal}.`);
  process.exitCode = 1;
  void (report?.writeSummary(Date.now()) ?? Promise.resolve()).finally(() => process.exit(1));
}
