import { GenerateOutput } from "../constants.js";
import { DOCUMENTED_JOB_FIELDS, jobStatus, jobVerdict, type Lipsync } from "../creatify/lipsync.js";
import { formatBytes } from "../creatify/upload.js";
import { formatDuration } from "../duration.js";
import { code, link, row, text } from "../github/markdown.js";
import { type OutputValue, StepOutputs } from "../github/outputs.js";
import type { StepReport } from "../github/step.js";
import { reasonOf } from "../text.js";
import type { JobDecision } from "./request.js";

/** What the generate action knows of its video, kept current while it runs. */
export interface VideoRecord {
  /** The avatar that speaks (the first scene's), and its name once read. */
  readonly avatarId: string;
  avatarName: string | undefined;
  fingerprint: string | undefined;
  /** Create or reuse; `checked` for a dry run without credentials. */
  decision: JobDecision | { readonly action: "checked"; readonly reason: string } | undefined;
  /** The last state of the job seen; its id is the `video-id` output. */
  job: Lipsync | undefined;
  reused: boolean;
  remainingCredits: number | undefined;
  /** The downloaded file, relative to the workspace, and its size. */
  file: { readonly path: string; readonly bytes: number } | undefined;
  /** Set when the wait ran out before the video was done: how long it waited. */
  waitedMs: number | undefined;
  error: string | undefined;
  readonly startedAt: number;
  finishedAt: number | undefined;
}

export function newVideoRecord(avatarId: string, now: number): VideoRecord {
  return {
    avatarId,
    avatarName: undefined,
    fingerprint: undefined,
    decision: undefined,
    job: undefined,
    reused: false,
    remainingCredits: undefined,
    file: undefined,
    waitedMs: undefined,
    error: undefined,
    startedAt: now,
    finishedAt: undefined,
  };
}

const textOf = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

/** A URL the server sent, exact; empty when it sent none. */
const urlOf = (value: unknown) => ({ exact: typeof value === "string" ? value : "" });

/** The step outputs: the job's once its id is known, the credits once read. */
export function videoOutputs(record: VideoRecord): Map<string, OutputValue> {
  const outputs = new Map<string, OutputValue>();
  if (record.remainingCredits !== undefined) {
    outputs.set(GenerateOutput.RemainingCredits, String(record.remainingCredits));
  }
  const job = record.job;
  if (!job) return outputs;
  outputs.set(GenerateOutput.VideoId, { exact: job.id });
  outputs.set(GenerateOutput.Status, jobStatus(job));
  outputs.set(GenerateOutput.VideoUrl, urlOf(job.output));
  outputs.set(GenerateOutput.ThumbnailUrl, urlOf(job.video_thumbnail));
  outputs.set(GenerateOutput.Duration, textOf(job.duration));
  outputs.set(GenerateOutput.CreditsUsed, textOf(job.credits_used));
  outputs.set(GenerateOutput.Reused, String(record.reused));
  outputs.set(GenerateOutput.File, { exact: record.file?.path ?? "" });
  outputs.set(GenerateOutput.Video, { json: job, documented: DOCUMENTED_JOB_FIELDS });
  return outputs;
}

const HEADER = [
  "avatar",
  "video id",
  "status",
  "outcome",
  "duration",
  "credits used",
  "video",
  "thumbnail",
];

/** The job summary: one row that renders as a table in cmark-gfm (pipes and links escaped). */
export function videoSummary(record: VideoRecord, now: number, dryRun: boolean): string {
  const job = record.job;
  const avatar = record.avatarName
    ? `${text(record.avatarName)} (${code(record.avatarId)})`
    : code(record.avatarId);
  // Seconds, a number; a decimal written as text (DRF's DecimalField) reads the same.
  const duration = job && textOf(job.duration) !== "" ? Number(job.duration) : Number.NaN;
  const seconds = Number.isFinite(duration) ? `${Math.round(duration * 10) / 10}s` : "–";
  const cells = [
    avatar,
    job ? code(job.id) : "–",
    job ? text(jobStatus(job)) : dryRun ? "dry run" : "error",
    text(outcomeOf(record, now, dryRun)),
    seconds,
    textOf(job?.credits_used) ? text(textOf(job?.credits_used)) : "–",
    typeof job?.output === "string" && job.output ? `[video](${link(job.output)})` : "–",
    typeof job?.video_thumbnail === "string" && job.video_thumbnail
      ? `![thumbnail](${link(job.video_thumbnail)})`
      : "–",
  ];
  const title = dryRun ? "## Creatify video plan (dry run)" : "## Creatify video";
  const lines = [title, "", row(HEADER), row(HEADER.map(() => "---")), row(cells), ""];
  if (dryRun) lines.push("A dry run: nothing was created and nothing was waited for.", "");
  return lines.join("\n");
}

/** Every outcome in words: created or reused, how the wait ended, why it failed, the file. */
function outcomeOf(record: VideoRecord, now: number, dryRun: boolean): string {
  const { decision, job } = record;
  const parts: string[] = [];
  const took = formatDuration((record.finishedAt ?? now) - record.startedAt);
  if (decision?.action === "checked") parts.push(`checked: ${decision.reason}`);
  else if (decision && !job && dryRun) parts.push(`would ${decision.action}: ${decision.reason}`);
  else if (decision?.action === "reuse") parts.push(`reused: ${decision.reason}`);
  else if (job) parts.push("created");
  if (record.waitedMs !== undefined && job) {
    parts.push(`wait timed out after ${formatDuration(record.waitedMs)}, still ${jobStatus(job)}`);
  }
  // A reused video done before this run was not made in the time the step took.
  const doneBefore = decision?.action === "reuse" && jobVerdict(decision.job) === "done";
  if (job && jobVerdict(job) === "done" && !doneBefore) parts.push(`done in ${took}`);
  if (job && jobVerdict(job) === "failed") {
    parts.push(`${jobStatus(job)}: ${reasonOf(job.failed_reason)}`);
  } else if (record.error && record.waitedMs === undefined) {
    // A timed-out wait is said above; its error would say it again.
    parts.push(`error: ${record.error}`);
  }
  if (record.file)
    parts.push(`downloaded to ${record.file.path} (${formatBytes(record.file.bytes)})`);
  return parts.join("; ") || "–";
}

/** The video's outputs and summary, written through the one writer (`github/outputs.ts`). */
export class VideoReport implements StepReport {
  readonly record: VideoRecord;
  dryRun = false;
  readonly #outputs: StepOutputs;

  constructor(record: VideoRecord, outputs: StepOutputs = new StepOutputs()) {
    this.record = record;
    this.#outputs = outputs;
  }

  publish(): void {
    this.#outputs.set(videoOutputs(this.record));
  }

  /** The video's line for a cancelled step's log. */
  progress(): string[] {
    const { job } = this.record;
    return [job ? `video ${job.id} was ${jobStatus(job)}` : "no video had been created"];
  }

  failed(message: string): void {
    this.record.error = message;
  }

  async writeSummary(now: number): Promise<void> {
    await this.#outputs.appendSummary(videoSummary(this.record, now, this.dryRun));
  }
}
