/** `process_status` values, as Creatify documents them. */
export type ProcessStatus =
  | "pending"
  | "processing"
  | "voice_creating"
  | "video_validating"
  | "crop_and_matte"
  | "reviewing"
  | "done"
  | "failed"
  | "rejected";

/** A Creatify avatar as the API returns it; the API calls it a persona. */
export interface Persona {
  readonly id: string;
  readonly creator_name: string;
  readonly gender?: string;
  readonly video_scene?: string | null;
  readonly is_active?: boolean;
  readonly process_status?: ProcessStatus | string;
  readonly failed_reason?: string | null;
  readonly preview_image_16_9?: string | null;
  readonly preview_image_1_1?: string | null;
  readonly preview_image_9_16?: string | null;
  readonly preview_video_16_9?: string | null;
  readonly preview_video_1_1?: string | null;
  readonly preview_video_9_16?: string | null;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly [field: string]: unknown;
}

export interface Quota {
  readonly max_count: number;
  readonly current_count: number;
}

export type Verdict = "approved" | "failed" | "in-progress";

/** Approved once `is_active`; failed when rejected or failed; anything else is still moving. */
export function verdictOf(persona: Persona): Verdict {
  if (persona.is_active === true) return "approved";
  if (persona.process_status === "failed" || persona.process_status === "rejected") return "failed";
  return "in-progress";
}

/** The status to show: `process_status`, or `unknown` when the API left it out. */
export function statusOf(persona: Persona): string {
  return persona.process_status ?? "unknown";
}

const PREVIEW_FIELDS = [
  "preview_image_16_9",
  "preview_image_1_1",
  "preview_image_9_16",
  "preview_video_16_9",
  "preview_video_1_1",
  "preview_video_9_16",
] as const;

/** The fields Creatify documents for an avatar, for when a server's answer is too large to keep whole. */
export const DOCUMENTED_FIELDS = [
  "id",
  "creator_name",
  "gender",
  "video_scene",
  "is_active",
  "process_status",
  "failed_reason",
  ...PREVIEW_FIELDS,
  "created_at",
  "updated_at",
] as const;

/** The preview links the API gave, by field name, skipping empty ones. */
export function previewsOf(persona: Persona): { field: string; url: string }[] {
  return PREVIEW_FIELDS.flatMap((field) => {
    const url = persona[field];
    return typeof url === "string" && url !== "" ? [{ field, url }] : [];
  });
}

/** Whether a value is shaped like a persona; guards what the API returns. */
export function isPersona(value: unknown): value is Persona {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { id?: unknown }).id === "string" &&
    (value as { id: string }).id !== ""
  );
}
