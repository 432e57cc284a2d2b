// What each route answers, field by field, as Creatify's API reference documents it:
// the one place the sandbox decides which of a stored persona's fields an answer shows.

import type { Persona } from "./types.ts";

/** `Persona`: GET /api/personas/{id}/ and each element of GET /api/personas_v2/. No labels. */
export const READ_FIELDS = [
  "id",
  "created_at",
  "updated_at",
  "gender",
  "creator_name",
  "suitable_industries",
  "preview_image_16_9",
  "preview_image_1_1",
  "preview_image_9_16",
  "preview_video_16_9",
  "preview_video_1_1",
  "preview_video_9_16",
  "landscape_preview_video",
  "squared_preview_video",
  "portrait_preview_video",
  "is_active",
  "process_status",
  "failed_reason",
  "type",
  "age_range",
  "location",
  "style",
  "video_scene",
  "keywords",
] as const satisfies readonly (keyof Persona)[];

/** `PersonaCreateSerializerV2`: the 201 of both creates. No is_active, no previews. */
export const CREATE_FIELDS = [
  "id",
  "gender",
  "creator_name",
  "consent_video",
  "lipsync_input_url",
  "matching_voice_non_null",
  "process_status",
  "failed_reason",
  "created_at",
  "updated_at",
  "video_scene",
  "keywords",
  "lipsync_input",
  "gdown_url",
  "labels",
  "webhook_url",
] as const satisfies readonly (keyof Persona)[];

/** A persona as one schema shows it: exactly its fields, in its order. */
function view(persona: Persona, fields: readonly (keyof Persona)[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, persona[field]]));
}

export const readView = (persona: Persona) => view(persona, READ_FIELDS);
export const createView = (persona: Persona) => view(persona, CREATE_FIELDS);

/**
 * A lipsyncs_v2 job, the same in every answer that carries one (a create, a preview, a render,
 * a read, each element of the list): the fields the generate action's contract documents,
 * and `preview`, the link Creatify's reference gives every job (null until one is made).
 * Not `webhook_url` (kept, not shown), nor `editor_url` and `media_job`, which the action
 * does not read.
 */
export const JOB_FIELDS = [
  "id",
  "name",
  "status",
  "progress",
  "output",
  "preview",
  "video_thumbnail",
  "duration",
  "credits_used",
  "failed_reason",
  "created_at",
  "updated_at",
  "aspect_ratio",
  "model_version",
  "video_inputs",
] as const;
