import { AvatarsClient } from "../../creatify/avatars.js";
import { Http } from "../../creatify/http.js";
import { jobStatus, type Lipsync } from "../../creatify/lipsync.js";
import { VideosClient } from "../../creatify/videos.js";
import { sleep } from "../../duration.js";
import { messageOf } from "../../errors.js";
import { changedSince, githubReads } from "../../github/changes.js";
import type { Step } from "../../github/step.js";
import { runPool } from "../../pool.js";
import type { VideosInputs } from "../inputs.js";
import { download, follow } from "../journey.js";
import { newVideoRecord } from "../report.js";
import { afterRender, checkPreview } from "./decide.js";
import { checkedPlan, planVideo } from "./plan.js";
import { type VideoItem, VideosReport } from "./report.js";

const BILLED = new Set(["create", "preview", "render"]);

/**
 * Video files, one request each: the chosen files are planned from one listing of avatars and
 * one of jobs, carried out `max-parallel` at a time (every one attempted), then waited for
 * together and downloaded. A blocked video is reported, not failed; the step fails when any
 * video failed.
 */
export async function runVideos(inputs: VideosInputs, step: Step): Promise<void> {
  const { log } = step;
  const report = step.show(new VideosReport(step.outputs));
  report.dryRun = inputs.dryRun;
  const chosen = await chooseVideos(inputs, step);
  const items: VideoItem[] = chosen.map((video) => ({
    video,
    plan: undefined,
    record: newVideoRecord("", Date.now()),
  }));
  report.items = items;
  const options = step.http(inputs);
  if (inputs.apiId === "") {
    // A fork's pull request: no credentials, so no request at all.
    for (const item of items) {
      item.plan = checkedPlan(item.video, inputs.mode);
      log.info(`${item.video.file}: checked, about ${item.plan.estimatedCredits} credits.`);
    }
    return;
  }
  const http = new Http(options);
  const videos = new VideosClient(http, options);
  const personas = await new AvatarsClient(http, options).list();
  const jobs = await videos.list();
  // The ids a create or preview cannot have made: an ambiguous failure adopts only another.
  const known = new Set(jobs.map((job) => job.id));
  for (const item of items) {
    item.plan = planVideo(item.video, personas, jobs, inputs.mode, inputs.webhookUrl);
    const { action, reason, estimatedCredits, warning } = item.plan;
    log.info(`${item.video.file}: ${action}, ${reason} (about ${estimatedCredits} credits).`);
    if (warning) log.warning(`${item.video.file}: ${warning}.`);
  }
  await warnOverCredits(items, videos, step);
  if (inputs.dryRun) {
    log.info("Dry run: nothing was created and nothing was waited for.");
    return failWhenAny(
      items.filter((item) => item.plan?.action === "error"),
      items.length,
    );
  }

  const context = { log, now: Date.now, sleep, random: Math.random };
  const failed: VideoItem[] = [];
  const attempt = (item: VideoItem, work: () => Promise<void>) =>
    work().catch((error: unknown) => {
      item.record.error = messageOf(error);
      item.record.finishedAt = Date.now();
      failed.push(item);
      log.error(`${item.video.file}: ${item.record.error}`);
    });
  await runPool(
    items.map((item) => () => attempt(item, () => carryOut(item, known, videos, step))),
    inputs.maxParallel,
  );
  await checkListed(items, videos, step);
  // Waited for together: the step takes the slowest video's time, not the sum.
  const waiting = items.filter((item) => item.record.job && !failed.includes(item));
  if (inputs.mode === "render") {
    await Promise.all(
      waiting.map((item) =>
        attempt(item, async () => {
          const job = item.record.job as Lipsync;
          await follow(job, inputs.wait, videos, { ...context, record: item.record });
          const target = inputs.downloads.get(item.video.file);
          const done = item.record.job;
          if (target && done) {
            await download(done, target, {
              ...context,
              record: item.record,
              dispatcher: step.dispatcher,
              callBudgetMs: options.callBudgetMs,
            });
          }
        }),
      ),
    );
  }
  failWhenAny(failed, items.length);
}

/** The files `changed-only` picks (a changed file or script file), then those `only` names. */
async function chooseVideos(inputs: VideosInputs, step: Step) {
  let chosen = inputs.videos;
  if (inputs.changedOnly) {
    const paths = chosen.flatMap((video) => [video.file, ...video.scriptFiles]);
    const changes = await changedSince(paths, step.env, githubReads(inputs.githubToken));
    if (changes.kind === "all") {
      step.log.notice(`changed-only: ${changes.reason}, so every video file is considered.`);
    } else {
      chosen = chosen.filter((video) =>
        [video.file, ...video.scriptFiles].some((file) => changes.files.has(file)),
      );
      step.log.info(
        `changed-only: since ${changes.base}, ${chosen.length} of ${inputs.videos.length} video files changed.`,
      );
    }
  }
  if (inputs.only.length > 0) chosen = chosen.filter((video) => inputs.only.includes(video.name));
  step.log.info(`Videos: ${chosen.length} of ${inputs.videos.length} files, mode ${inputs.mode}.`);
  return chosen;
}

/** Reads the credits once when anything is to be billed; warns before the first create. */
async function warnOverCredits(items: VideoItem[], videos: VideosClient, step: Step) {
  const billed = items.filter((item) => item.plan && BILLED.has(item.plan.action));
  if (billed.length === 0) return;
  const total = billed.reduce((sum, item) => sum + (item.plan?.estimatedCredits ?? 0), 0);
  const remaining = await videos.remainingCredits();
  step.log.info(`Remaining credits: ${remaining}; this run's estimate: ${total}.`);
  if (total > remaining) {
    step.log.warning(
      `This run is estimated at ${total} credits and the account has ${remaining}: some videos may fail for want of credits.`,
    );
  }
}

/** One video's billed call (or its reuse), each call's job read back and checked. */
async function carryOut(
  item: VideoItem,
  known: ReadonlySet<string>,
  videos: VideosClient,
  step: Step,
): Promise<void> {
  const { plan, record, video } = item;
  if (!plan) return;
  const { action, request, job } = plan;
  const warn = (warning: string | undefined) => {
    if (warning) step.log.warning(`${video.file}: ${warning}.`);
  };
  if (action === "error") throw new Error(plan.reason);
  if (action === "reuse" && job) {
    record.job = job;
    record.reused = true;
  } else if (action === "create" && request) {
    record.job = await videos.create(request.body, request.fingerprint, known);
    step.log.info(`${video.file}: created video ${record.job.id} (${jobStatus(record.job)}).`);
  } else if (action === "preview" && request) {
    const answer = await videos.preview(request.preview, request.fingerprint, known);
    record.job = await videos.get(answer.id);
    warn(checkPreview(record.job));
    step.log.info(`${video.file}: previewed as ${record.job.id}.`);
  } else if (action === "render" && job) {
    // The render was taken unless the job still reads as the preview it was.
    const taken = (read: Lipsync) => afterRender(read).next !== "render-again";
    await videos.render(job.id, taken);
    record.job = await videos.get(job.id);
    const after = afterRender(record.job);
    if (after.next === "failed") throw new Error(`video ${job.id} failed: ${after.reason}`);
    if (after.next === "render-again") {
      warn(
        `video ${job.id} still reads as a preview after its render was answered; it is not rendered again (a second render could bill twice)`,
      );
    } else warn(after.warning);
    step.log.info(`${video.file}: rendering ${job.id}.`);
  }
}

/**
 * Whether Creatify lists a preview job is not documented, and a later run finds a preview only
 * in the listing: one more listing after this run's previews says so, naming each one missing.
 */
async function checkListed(items: readonly VideoItem[], videos: VideosClient, step: Step) {
  const made = items.filter((item) => item.plan?.action === "preview" && item.record.job);
  if (made.length === 0) return;
  const listed = new Set((await videos.list()).map((job) => job.id));
  for (const { video, record } of made) {
    const id = record.job?.id ?? "";
    if (listed.has(id)) continue;
    step.log.warning(
      `${video.file}: preview ${id} is missing from Creatify's list of jobs, so a later run cannot find it and would make another preview; its link is in this run's outputs and summary.`,
    );
  }
}

function failWhenAny(failed: readonly VideoItem[], total: number): void {
  if (failed.length === 0) return;
  const names = failed.map((item) => item.video.file).join(", ");
  throw new Error(`${failed.length} of ${total} videos failed: ${names}.`);
}
