import * as core from "@actions/core";
import { Output } from "./constants.js";
import { type Persona, previewsOf, statusOf } from "./creatify/persona.js";
import { formatDuration } from "./duration.js";

/** What the action knows of one avatar, kept current while it runs. */
export interface AvatarRecord {
  /** The video as the user gave it (a workspace path or a URL); empty for `avatar-id`. */
  readonly video: string;
  creatorName: string;
  persona: Persona | undefined;
  reused: boolean;
  /** Why the action failed this avatar, when it did. */
  error: string | undefined;
  readonly startedAt: number;
  finishedAt: number | undefined;
  readonly timeline: { status: string; elapsedMs: number }[];
}

export function newRecord(video: string, creatorName: string, now: number): AvatarRecord {
  return {
    video,
    creatorName,
    persona: undefined,
    reused: false,
    error: undefined,
    startedAt: now,
    finishedAt: undefined,
    timeline: [],
  };
}

/** One element of the `avatars` output (SPEC §4). */
export interface AvatarSummary {
  video: string;
  creator_name: string;
  avatar_id: string | null;
  status: string;
  is_active: boolean;
  failed_reason: string;
  reused: boolean;
}

export function summarize(record: AvatarRecord): AvatarSummary {
  const persona = record.persona;
  return {
    video: record.video,
    creator_name: persona?.creator_name ?? record.creatorName,
    avatar_id: persona?.id ?? null,
    status: persona ? statusOf(persona) : "error",
    is_active: persona?.is_active === true,
    failed_reason: persona?.failed_reason || (persona ? "" : (record.error ?? "")),
    reused: record.reused,
  };
}

/** The step outputs for these records: single-avatar ones only when there is exactly one. */
export function outputsFor(records: readonly AvatarRecord[]): Map<string, string> {
  const outputs = new Map<string, string>([
    [Output.Avatars, JSON.stringify(records.map(summarize))],
  ]);
  const only = records.length === 1 ? records[0] : undefined;
  if (only?.persona) {
    const summary = summarize(only);
    outputs.set(Output.AvatarId, only.persona.id);
    outputs.set(Output.Status, summary.status);
    outputs.set(Output.IsActive, String(summary.is_active));
    outputs.set(Output.FailedReason, only.persona.failed_reason ?? "");
    outputs.set(Output.Reused, String(only.reused));
    outputs.set(Output.Avatar, JSON.stringify(only.persona));
  }
  return outputs;
}

/**
 * The one place that writes outputs and the job summary. Outputs are written when
 * the step ends, however it ends (success, failure, cancellation): the runner reads
 * GITHUB_OUTPUT only then, and one value per output leaves nothing for a reader of
 * the file to choose between.
 */
export class Report {
  readonly records: AvatarRecord[] = [];
  /** A batch sets `avatars` even when it had nothing to submit. */
  batch = false;
  readonly #written = new Map<string, string>();
  readonly #setOutput: (name: string, value: string) => void;

  constructor(setOutput: (name: string, value: string) => void = core.setOutput) {
    this.#setOutput = setOutput;
  }

  add(record: AvatarRecord): AvatarRecord {
    this.records.push(record);
    return record;
  }

  /** Writes the outputs; a second call (a cancel racing the end) writes only what changed. */
  publish(): void {
    if (!this.batch && !this.records.some((record) => record.persona)) return;
    for (const [name, value] of outputsFor(this.records)) {
      if (this.#written.get(name) === value) continue;
      this.#setOutput(name, value);
      this.#written.set(name, value);
    }
  }

  /** Appends the per-avatar table (and timelines and previews) to the job summary. */
  async writeSummary(now: number): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY || this.records.length === 0) return;
    core.summary
      .addHeading("Creatify custom avatars", 2)
      .addRaw(summaryMarkdown(this.records, now), true);
    await core.summary.write();
  }
}

/** The summary as markdown: pure, so its content is tested without a runner. */
export function summaryMarkdown(records: readonly AvatarRecord[], now: number): string {
  const rows = records.map((record) => {
    const summary = summarize(record);
    const preview = record.persona ? previewsOf(record.persona)[0] : undefined;
    return [
      escapeCell(summary.creator_name),
      summary.avatar_id ? `\`${summary.avatar_id}\`` : "–",
      summary.status + (record.reused ? " (reused)" : ""),
      summary.is_active ? "✅ yes" : "no",
      escapeCell(summary.failed_reason) || "–",
      preview ? `[preview](${preview.url})` : "–",
      formatDuration((record.finishedAt ?? now) - record.startedAt),
    ];
  });
  const table = [
    "| name | id | status | approved | reason | preview | elapsed |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ];
  const details = records.flatMap((record) => {
    const lines: string[] = [];
    const previews = record.persona?.is_active ? previewsOf(record.persona) : [];
    const image = previews.find(({ field }) => field.startsWith("preview_image"));
    if (image) lines.push(`![${escapeCell(record.creatorName)}](${image.url})`, "");
    const videos = previews.filter(({ field }) => field.startsWith("preview_video"));
    if (videos.length > 0) {
      lines.push(
        `Preview videos: ${videos.map(({ field, url }) => `[${field.replace("preview_video_", "").replace("_", ":")}](${url})`).join(", ")}`,
        "",
      );
    }
    if (record.timeline.length > 1) {
      lines.push(
        record.timeline
          .map(({ status, elapsedMs }) => `${status} after ${formatDuration(elapsedMs)}`)
          .join(" → "),
        "",
      );
    }
    return lines.length > 0 ? [`### ${escapeCell(record.creatorName)}`, "", ...lines] : [];
  });
  return [...table, "", ...details].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
