import { previewsOf, statusOf, verdictOf } from "../creatify/persona.js";
import { formatDuration } from "../duration.js";
import { code, link, MAX_SUMMARY_BYTES, row, text } from "../github/markdown.js";
import { reasonOf, withoutQuery } from "../text.js";
import type { AvatarRecord } from "./record.js";

/**
 * The job summary as GitHub Flavored Markdown: pure, so what it renders to is tested
 * without a runner. Only Markdown: an HTML block not followed by a blank line swallows the
 * table after it.
 */

const REAL_HEADER = [
  "avatar",
  "id",
  "status",
  "approved",
  "outcome",
  "video",
  "preview",
  "elapsed",
];
const PLAN_HEADER = [
  "avatar",
  "action",
  "avatar id",
  "replaces",
  "deletes",
  "fingerprint",
  "video",
  "reason",
];

export function summaryMarkdown(
  records: readonly AvatarRecord[],
  now: number,
  dryRun: boolean,
): string {
  const title = dryRun ? "## Creatify avatar plan (dry run)" : "## Creatify custom avatars";
  const header = dryRun ? PLAN_HEADER : REAL_HEADER;
  const lines = [title, "", row(header), row(header.map(() => "---"))];
  let size = Buffer.byteLength(lines.join("\n"));
  let shown = 0;
  const details: string[] = [];
  for (const record of records) {
    const line = row(dryRun ? planCells(record) : resultCells(record, now));
    const more = dryRun ? [] : detailsOf(record);
    const cost = Buffer.byteLength(line) + Buffer.byteLength(more.join("\n")) + 2;
    if (size + cost > MAX_SUMMARY_BYTES) break;
    size += cost;
    lines.push(line);
    details.push(...more);
    shown++;
  }
  lines.push("");
  if (shown < records.length) {
    lines.push(`${records.length - shown} more avatars were left out: the summary is full.`, "");
  }
  if (dryRun) lines.push("A dry run: nothing was created and nothing was waited for.", "");
  return [...lines, ...details].join("\n");
}

function resultCells(record: AvatarRecord, now: number): string[] {
  const persona = record.persona;
  const preview = persona ? previewsOf(persona)[0] : undefined;
  const id = persona?.id ?? record.id;
  return [
    text(persona?.creator_name || record.creatorName),
    id ? code(id) : "–",
    persona ? text(statusOf(persona)) : "error",
    persona?.is_active === true ? "✅ yes" : "no",
    text(outcomeOf(record)),
    videoCell(record),
    preview ? `[preview](${link(preview.url)})` : "–",
    formatDuration((record.finishedAt ?? now) - record.startedAt),
  ];
}

/** Every outcome in words: what was done, how the wait ended, and why it failed. */
function outcomeOf(record: AvatarRecord): string {
  const { persona, plan } = record;
  const parts: string[] = [];
  if (plan?.action === "reuse") parts.push(`reused: ${plan.reason}`);
  if (plan?.action === "create" && persona) {
    parts.push(plan.replaces ? `created; replaces ${plan.replaces}` : "created");
  }
  if (record.waitedMs !== undefined && persona) {
    parts.push(
      `wait timed out after ${formatDuration(record.waitedMs)}, still ${statusOf(persona)}`,
    );
  }
  if (persona && verdictOf(persona) === "approved") parts.push("approved");
  const { deleted } = record;
  if (deleted.length > 0) {
    const takes = deleted.length === 1 ? "replaced take" : "replaced takes";
    parts.push(`deleted ${deleted.length} ${takes}: ${deleted.join(", ")}`);
  } else if (plan?.deletes.length && !(persona && verdictOf(persona) === "approved")) {
    parts.push(`to delete once approved: ${plan.deletes.join(", ")}`);
  }
  if (plan?.action === "refuse") parts.push(`refused: ${plan.reason}`);
  else if (persona && verdictOf(persona) === "failed") {
    parts.push(`${statusOf(persona)}: ${reasonOf(persona.failed_reason)}`);
  } else if (record.error) parts.push(`error: ${record.error}`);
  return parts.join("; ") || "–";
}

function planCells(record: AvatarRecord): string[] {
  const plan = record.plan;
  return [
    text(record.creatorName),
    plan ? `**${plan.action}**` : "error",
    plan?.avatarId ? code(plan.avatarId) : "–",
    plan?.replaces ? code(plan.replaces) : "–",
    plan?.deletes.length ? plan.deletes.map(code).join(", ") : "–",
    plan?.fingerprint ? code(plan.fingerprint) : "–",
    videoCell(record),
    text(plan?.reason ?? record.error ?? ""),
  ];
}

function videoCell(record: AvatarRecord): string {
  if (!record.video) return "–";
  const video = text(withoutQuery(record.video));
  return record.sent ? `${video} (${text(record.sent)})` : video;
}

/** Preview image and videos of an approved avatar, and the timeline of a followed one. */
function detailsOf(record: AvatarRecord): string[] {
  const lines: string[] = [];
  const persona = record.persona;
  const previews = persona?.is_active ? previewsOf(persona) : [];
  const image = previews.find(({ field }) => field.startsWith("preview_image"));
  if (image) lines.push(`![${text(record.creatorName)}](${link(image.url)})`, "");
  const videos = previews.filter(({ field }) => field.startsWith("preview_video"));
  if (videos.length > 0) {
    const links = videos.map(
      ({ field, url }) =>
        `[${field.replace("preview_video_", "").replace("_", ":")}](${link(url)})`,
    );
    lines.push(`Preview videos: ${links.join(", ")}`, "");
  }
  if (record.timeline.length > 1) {
    const steps = record.timeline.map(
      ({ status, elapsedMs }) => `${text(status)} after ${formatDuration(elapsedMs)}`,
    );
    lines.push(steps.join(" → "), "");
  }
  return lines.length > 0 ? [`### ${text(record.creatorName)}`, "", ...lines] : [];
}
