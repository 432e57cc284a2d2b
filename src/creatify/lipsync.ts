/** `status` of a lipsyncs_v2 job, as Creatify documents it; older pages add `rejected`, read as failed. */
export type LipsyncStatus = "pending" | "in_queue" | "running" | "done" | "failed" | "rejected";

/** A Creatify AI Avatar v2 video job, as `GET /api/lipsyncs_v2/{id}/` returns it. */
export interface Lipsync {
  readonly id: string;
  readonly name?: string | null;
  readonly status?: LipsyncStatus | string;
  readonly progress?: string | number | null;
  /** The finished video's URL; null until done. */
  readonly output?: string | null;
  readonly video_thumbnail?: string | null;
  /** Seconds. */
  readonly duration?: number | null;
  readonly credits_used?: number | null;
  readonly failed_reason?: string | null;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly [field: string]: unknown;
}

export type JobVerdict = "done" | "failed" | "in-progress";

export function jobVerdict(job: Lipsync): JobVerdict {
  if (job.status === "done") return "done";
  if (job.status === "failed" || job.status === "rejected") return "failed";
  return "in-progress";
}

/** The status as text, whatever a broken server sent in its place. */
export function jobStatus(job: Lipsync): string {
  const { status } = job as { status?: unknown };
  if (typeof status === "number") return String(status);
  return typeof status === "string" && status !== "" ? status : "unknown";
}

/** `running (45%)`: the status with its progress, as a wait logs each change. */
export function jobState(job: Lipsync): string {
  const progress = job.progress;
  const shown =
    typeof progress === "number" ? `${Math.round(progress * 100) / 100}` : (progress ?? "");
  return shown === "" ? jobStatus(job) : `${jobStatus(job)} (${shown})`;
}

/** The fields Creatify documents for a job, for when a server's answer is too large to keep whole. */
export const DOCUMENTED_JOB_FIELDS = [
  "id",
  "name",
  "status",
  "progress",
  "output",
  "video_thumbnail",
  "duration",
  "credits_used",
  "failed_reason",
  "created_at",
  "updated_at",
  "aspect_ratio",
  "model_version",
] as const;

/**
 * A job as the action keeps it, or undefined for an answer that is not one. Creatify's reference does
 * not type `id`: a serializer over an integer key writes a number, kept here as its text.
 */
export function asLipsync(value: unknown): Lipsync | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const id = (value as { id?: unknown }).id;
  if (typeof id === "number" && Number.isFinite(id)) return { ...value, id: String(id) };
  return typeof id === "string" && id !== "" ? (value as Lipsync) : undefined;
}
