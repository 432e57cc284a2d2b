import { GenerateOutput } from "../../constants.js";
import { jobStatus, type Lipsync } from "../../creatify/lipsync.js";
import { code, link, MAX_SUMMARY_BYTES, row, text } from "../../github/markdown.js";
import { type OutputValue, StepOutputs } from "../../github/outputs.js";
import type { StepReport } from "../../github/step.js";
import type { VideoRecord } from "../report.js";
import type { VideoFile } from "./file.js";
import type { VideoPlan } from "./plan.js";

/** One video file of the run: its plan once decided, and what became of its job. */
export interface VideoItem {
  readonly video: VideoFile;
  plan: VideoPlan | undefined;
  readonly record: VideoRecord;
}

const stringOf = (value: unknown) => (typeof value === "string" ? value : "");
const numberOf = (value: unknown) => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : null;
};

/** The job a video's row shows: the last read, else the one its plan reuses or renders. */
function jobOf(item: VideoItem): Lipsync | undefined {
  return item.record.job ?? item.plan?.job;
}

/** An element of the `videos` output: flat, fit for a matrix's `include`. */
export function videoEntry(item: VideoItem) {
  const job = jobOf(item);
  return {
    file: item.video.file,
    name: item.video.name,
    action: item.plan?.action ?? null,
    video_id: job?.id ?? null,
    status: job ? jobStatus(job) : null,
    preview_url: stringOf(job?.preview) || null,
    video_url: stringOf(job?.output) || null,
    credits_used: numberOf(job?.credits_used),
    estimated_credits: item.plan?.estimatedCredits ?? null,
    file_out: item.record.file?.path ?? null,
  };
}

/** An element of the `plan` output: what was decided for the video, and why. */
export function planEntry(item: VideoItem) {
  return {
    file: item.video.file,
    name: item.video.name,
    action: item.plan?.action ?? null,
    avatar_id: item.plan?.avatar?.id ?? null,
    fingerprint: item.plan?.request?.fingerprint ?? null,
    estimated_credits: item.plan?.estimatedCredits ?? null,
    reason: item.record.error ?? item.plan?.reason ?? "",
  };
}

/** The keys of the entries whose strings are ids, output exact. */
const ID_KEYS = ["fingerprint"];

export function videosOutputs(items: readonly VideoItem[]): Map<string, OutputValue> {
  const previews = items.map((item) => stringOf(jobOf(item)?.preview)).filter(Boolean);
  return new Map<string, OutputValue>([
    [GenerateOutput.Videos, { json: items.map(videoEntry), ids: ID_KEYS }],
    [GenerateOutput.Plan, { json: items.map(planEntry), ids: ID_KEYS }],
    // One link a line: a single video's output is its link alone.
    [GenerateOutput.PreviewUrl, { exact: previews.join("\n") }],
  ]);
}

const HEADER = [
  "video",
  "avatar",
  "action",
  "links",
  "duration",
  "credits (est. / used)",
  "reason",
];

function linksOf(job: Lipsync | undefined): string {
  const links: string[] = [];
  const preview = stringOf(job?.preview);
  const output = stringOf(job?.output);
  const thumbnail = stringOf(job?.video_thumbnail);
  if (output) links.push(`[video](${link(output)})`);
  else if (preview) links.push(`[preview](${link(preview)})`);
  if (thumbnail) links.push(`[thumbnail](${link(thumbnail)})`);
  return links.join(" ") || "–";
}

function cellsOf(item: VideoItem): string[] {
  const job = jobOf(item);
  const { plan, record } = item;
  const avatar = plan?.avatar
    ? `${text(plan.avatar.creator_name)} (${code(plan.avatar.id)})`
    : item.video.avatar && "name" in item.video.avatar
      ? text(item.video.avatar.name)
      : "–";
  const duration = numberOf(job?.duration);
  const used = numberOf(job?.credits_used);
  const status = job ? ` (${jobStatus(job)})` : "";
  const failed = record.error !== undefined;
  const reason = record.error ?? (plan?.warning ? `${plan.reason}; ${plan.warning}` : plan?.reason);
  return [
    `${text(item.video.name)}<br>${code(item.video.file)}`,
    avatar,
    text(`${failed ? "failed" : (plan?.action ?? "–")}${status}`),
    linksOf(job),
    duration === null ? "–" : `${Math.round(duration * 10) / 10}s`,
    `${plan?.estimatedCredits ?? "–"} / ${used ?? "–"}`,
    reason ? text(reason) : "–",
  ];
}

/**
 * The summary a reviewer opens: a row per video and the estimated total, in a table that
 * renders in cmark-gfm; rows past GitHub's size limit are left out, and counted.
 */
export function videosSummary(items: readonly VideoItem[], dryRun: boolean): string {
  const title = dryRun ? "## Creatify videos plan (dry run)" : "## Creatify videos";
  const lines = [title, "", row(HEADER), row(HEADER.map(() => "---"))];
  let size = lines.join("\n").length;
  let left = 0;
  for (const item of items) {
    const line = row(cellsOf(item));
    size += line.length + 1;
    if (size > MAX_SUMMARY_BYTES) left++;
    else lines.push(line);
  }
  const total = items.reduce((sum, item) => sum + (item.plan?.estimatedCredits ?? 0), 0);
  lines.push("");
  if (left > 0) lines.push(`${left} more videos are left out of this summary.`, "");
  lines.push(
    `Estimated credits for this run: ${total} (from the scripts' words at 150 a minute and Creatify's published rates; an estimate, not a bill).`,
    "",
  );
  if (dryRun) lines.push("A dry run: nothing was created and nothing was waited for.", "");
  return lines.join("\n");
}

/** The run's outputs and summary, through the one writer (`github/outputs.ts`). */
export class VideosReport implements StepReport {
  items: readonly VideoItem[] = [];
  dryRun = false;
  readonly #outputs: StepOutputs;

  constructor(outputs: StepOutputs = new StepOutputs()) {
    this.#outputs = outputs;
  }

  publish(): void {
    this.#outputs.set(videosOutputs(this.items));
  }

  progress(): string[] {
    return this.items.map((item) => {
      const job = jobOf(item);
      const state = job ? `video ${job.id} was ${jobStatus(job)}` : "no job yet";
      return `${item.video.file}: ${state}`;
    });
  }

  async writeSummary(): Promise<void> {
    await this.#outputs.appendSummary(videosSummary(this.items, this.dryRun));
  }
}
