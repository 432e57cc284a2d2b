import type { Dispatcher } from "undici";
import type { AvatarsClient } from "../creatify/avatars.js";
import { jobState, jobStatus, jobVerdict, type Lipsync } from "../creatify/lipsync.js";
import { statusOf, verdictOf } from "../creatify/persona.js";
import { formatBytes, progressLogger } from "../creatify/upload.js";
import type { VideosClient } from "../creatify/videos.js";
import { waitForVerdict } from "../creatify/wait.js";
import { formatDuration } from "../duration.js";
import { downloadVideo } from "../files/download.js";
import type { WorkspaceFile } from "../files/workspace.js";
import type { WaitSettings } from "../input-rules.js";
import type { Log } from "../log.js";
import { reasonOf, withoutQuery } from "../text.js";
import type { OneVideoInputs } from "./inputs.js";
import type { VideoRecord } from "./report.js";
import { buildRequest, decideJob } from "./request.js";

/** What the video's journey needs: the API (absent for a dry run without credentials), the log, the clock. */
export interface VideoContext {
  readonly api: { readonly avatars: AvatarsClient; readonly videos: VideosClient } | undefined;
  /** The step's one dispatcher, which the download shares with the API's calls. */
  readonly dispatcher: Dispatcher;
  /** One call's time budget, which the download keeps too; 3 minutes by default. */
  readonly callBudgetMs?: number | undefined;
  readonly log: Log;
  readonly record: VideoRecord;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * One video, in order: the request and its fingerprint, the avatars read
 * (none billed unless approved), one listing of jobs for a reuse, the credits, one create
 * that is never sent twice, the wait, the download. Throws where the step fails; the record
 * holds what is known by then.
 */
export async function generateVideo(inputs: OneVideoInputs, context: VideoContext): Promise<void> {
  const { log, record } = context;
  const { video } = inputs;
  const { body, fingerprint } = buildRequest(video);
  record.fingerprint = fingerprint;
  const scenes = video.scenes.length === 1 ? "1 scene" : `${video.scenes.length} scenes`;
  log.info(
    `Video "${body.name}": ${scenes}, ${video.aspectRatio}, ${video.modelVersion}, fingerprint ${fingerprint}.`,
  );
  const { api } = context;
  if (!api) {
    record.decision = {
      action: "checked",
      reason: "inputs checked; no credentials, so nothing was read",
    };
    log.info(`Dry run without credentials: every input is checked, nothing was sent.`);
    return;
  }
  await checkAvatars(
    video.scenes.map((scene) => scene.avatarId),
    api.avatars,
    context,
  );

  // One listing, read whole, before any create: it decides a reuse, and its ids are the jobs
  // a create cannot have made, with `if-exists: create` too.
  const jobs = await api.videos.list();
  const known = new Set(jobs.map((job) => job.id));
  const decision = decideJob(jobs, fingerprint, video.ifExists);
  record.decision = decision;
  log.info(`Decision: ${decision.action}, ${decision.reason}.`);

  if (inputs.dryRun) {
    const credits = await readCredits(api.videos, context);
    if (decision.action === "create" && credits <= 0) throw noCredits(credits);
    log.info("Dry run: nothing was created and nothing was waited for.");
    return;
  }
  if (decision.action === "reuse") {
    record.job = decision.job;
    record.reused = true;
    log.info(`Reusing video ${decision.job.id} (${jobStatus(decision.job)}); nothing is billed.`);
  } else {
    const credits = await readCredits(api.videos, context);
    if (credits <= 0) throw noCredits(credits);
    record.job = await api.videos.create(body, fingerprint, known);
    log.info(`Created video ${record.job.id} (${jobStatus(record.job)}).`);
  }
  await follow(record.job, inputs.wait, api.videos, context);
  const job = record.job;
  if (inputs.download && job) await download(job, inputs.download, context);
}

/** Every avatar the scenes name, read once: a video is billed only for approved ones. */
async function checkAvatars(ids: readonly string[], client: AvatarsClient, context: VideoContext) {
  for (const id of new Set(ids)) {
    const avatar = await client.get(id);
    if (id === context.record.avatarId) context.record.avatarName = avatar.creator_name;
    const name = `Avatar "${avatar.creator_name}" (${id})`;
    const verdict = verdictOf(avatar);
    if (verdict === "failed") {
      throw new Error(
        `${name} was ${statusOf(avatar)}: ${reasonOf(avatar.failed_reason)}; nothing was created.`,
      );
    }
    if (verdict !== "approved") {
      throw new Error(
        `${name} is ${statusOf(avatar)}, not approved yet; nothing was created. Generate the video once Creatify has approved it (the avatar action with wait: true).`,
      );
    }
    context.log.info(`${name} is approved.`);
  }
}

async function readCredits(client: VideosClient, context: VideoContext): Promise<number> {
  const credits = await client.remainingCredits();
  context.record.remainingCredits = credits;
  context.log.info(`Remaining credits: ${credits}.`);
  return credits;
}

function noCredits(credits: number): Error {
  return new Error(
    `No Creatify credits left (remaining_credits: ${credits}); nothing was created. Top up the account, then re-run.`,
  );
}

/**
 * Waits for the video when asked to, keeping `context.record.job` current; throws when it
 * failed, or timed out with `fail-on-timeout`.
 */
export async function follow(
  initial: Lipsync,
  wait: WaitSettings,
  client: VideosClient,
  context: Pick<VideoContext, "log" | "record" | "now" | "sleep" | "random">,
): Promise<void> {
  const { log, record } = context;
  const name = `Video ${initial.id}`;
  try {
    if (wait.enabled && jobVerdict(initial) === "in-progress") {
      log.info(
        `Waiting up to ${formatDuration(wait.timeoutMs)} for video ${initial.id} to be done.`,
      );
      const result = await waitForVerdict(initial, wait, {
        read: async (deadline) => {
          record.job = await client.get(initial.id, deadline);
          return record.job;
        },
        verdict: jobVerdict,
        // A change of status is a line, with the progress it came with; a
        // progress that moves within a status shows in the heartbeat.
        state: jobStatus,
        now: context.now,
        sleep: context.sleep,
        random: context.random,
        onChange: (job, elapsedMs) =>
          log.info(`${name}: ${jobState(job)} after ${formatDuration(elapsedMs)}`),
        onHeartbeat: (job, elapsedMs) =>
          log.info(`${name}: still ${jobState(job)} after ${formatDuration(elapsedMs)}`),
        onReadError: (error) => log.warning(`${name}: ${error.message}; polling on.`),
      });
      if (result.outcome === "timeout") {
        record.waitedMs = wait.timeoutMs;
        const message =
          `${name} is still ${jobStatus(result.last)} after ${formatDuration(wait.timeoutMs)}. ` +
          "Re-run the step with the same inputs later: it picks this video up instead of making another.";
        if (wait.failOnTimeout) throw new Error(message);
        log.warning(message);
      }
    }
  } finally {
    record.finishedAt = context.now();
  }
  const job = record.job ?? initial;
  if (jobVerdict(job) === "failed") {
    throw new Error(`${name} ${jobStatus(job)}: ${reasonOf(job.failed_reason)}`);
  }
  if (jobVerdict(job) === "done") {
    // A signed URL's query is its key: the log shows the URL without it, the output whole.
    const url = typeof job.output === "string" ? withoutQuery(job.output) : "no output URL";
    log.info(`${name} is done: ${url} (the video-url output).`);
  }
}

/** Streams a done video's MP4 to `target`, recording the file written. */
export async function download(
  job: Lipsync,
  target: WorkspaceFile,
  context: Pick<VideoContext, "log" | "record" | "now" | "dispatcher" | "callBudgetMs">,
): Promise<void> {
  const { log, record } = context;
  if (jobVerdict(job) !== "done") {
    log.warning(
      `download: video ${job.id} is ${jobStatus(job)}, not done, so nothing was downloaded to ${target.relativePath}.`,
    );
    return;
  }
  if (typeof job.output !== "string" || job.output === "") {
    throw new Error(`download: video ${job.id} is done but Creatify gave no output URL.`);
  }
  const label = `downloading to ${target.relativePath}`;
  const logKnown = progressLogger(label, log, context.now);
  let lastUnknown = context.now();
  const bytes = await downloadVideo(job.output, {
    target: target.path,
    dispatcher: context.dispatcher,
    budgetMs: context.callBudgetMs,
    onProgress: (received, total) => {
      if (total !== undefined) return logKnown(received, total);
      // No size announced: a line every 10 s says it is moving.
      if (context.now() - lastUnknown < 10_000) return;
      lastUnknown = context.now();
      log.info(`${label}: ${formatBytes(received)} so far`);
    },
  }).catch((error: unknown) => {
    throw new Error(`download: ${(error as Error).message}`);
  });
  record.file = { path: target.relativePath, bytes };
  log.info(`Downloaded video ${job.id} to ${target.relativePath} (${formatBytes(bytes)}).`);
}
