// The persona store: creation, the scripted process_status walk, and the quota count.

import { randomUUID } from "node:crypto";
import { type Clock, clockOf } from "./clock.ts";
import type { Persona, SeedInput } from "./types.ts";

export const DEFAULT_STATUSES = ["pending", "processing", "reviewing", "done"];
const DEFAULT_FAILED_REASON = "video quality too low";
const PREVIEW_HOST = "https://cdn.sandbox.creatify.example";
const PREVIEWS = [
  ["preview_image_16_9", "image_16_9.jpg"],
  ["preview_image_1_1", "image_1_1.jpg"],
  ["preview_image_9_16", "image_9_16.jpg"],
  ["preview_video_16_9", "video_16_9.mp4"],
  ["preview_video_1_1", "video_1_1.mp4"],
  ["preview_video_9_16", "video_9_16.mp4"],
  ["landscape_preview_video", "landscape.mp4"],
  ["squared_preview_video", "squared.mp4"],
  ["portrait_preview_video", "portrait.mp4"],
] as const;

export type NewPersona = Pick<
  Persona,
  | "creator_name"
  | "gender"
  | "video_scene"
  | "keywords"
  | "labels"
  | "webhook_url"
  | "lipsync_input"
  | "lipsync_input_url"
  | "consent_video"
>;

export function isFailed(status: string): boolean {
  return status === "failed" || status === "rejected";
}

export class PersonaStore {
  readonly personas: Persona[] = [];
  readonly #walks = new Map<string, { statuses: string[]; reads: number }>();
  readonly #statuses: string[];
  readonly #failedReason: string;
  readonly #clock: Clock;
  readonly #createStatus: string;

  constructor(
    statuses: string[] | undefined,
    failedReason: string | undefined,
    clock: Clock = clockOf(),
    createStatus = "pending",
  ) {
    this.#statuses = statuses && statuses.length > 0 ? [...statuses] : DEFAULT_STATUSES;
    this.#failedReason = failedReason ?? DEFAULT_FAILED_REASON;
    this.#clock = clock;
    this.#createStatus = createStatus;
  }

  /** Personas that count against the quota: every one that has not failed. */
  currentCount(): number {
    return this.personas.filter((p) => !isFailed(p.process_status)).length;
  }

  get(id: string): Persona | undefined {
    return this.personas.find((p) => p.id === id);
  }

  /** Removes a persona, freeing its quota slot; false when there was none of that id. */
  delete(id: string): boolean {
    const index = this.personas.findIndex((p) => p.id === id);
    if (index < 0) return false;
    this.personas.splice(index, 1);
    this.#walks.delete(id);
    return true;
  }

  /** A create answers "pending", like the real API, unless told otherwise; the walk starts at the first read. */
  create(fields: NewPersona): Persona {
    const now = this.#clock();
    const persona = this.#settle(
      { id: randomUUID(), ...blank(), ...fields, created_at: now, updated_at: now },
      this.#createStatus,
      false,
    );
    this.personas.push(persona);
    this.#walks.set(persona.id, { statuses: this.#statuses, reads: 0 });
    return persona;
  }

  /** A pre-existing avatar: created a day ago unless told otherwise, "done" unless told otherwise. */
  seed(input: SeedInput): Persona {
    const { statuses, ...fields } = input;
    const created = this.#clock(86_400_000);
    const status = fields.process_status ?? statuses?.[0] ?? "done";
    const persona: Persona = {
      id: randomUUID(),
      ...blank(),
      created_at: created,
      updated_at: created,
      ...fields,
    };
    this.#settle(persona, status, fields.is_active !== undefined);
    // Explicit fields win over what settling derived.
    Object.assign(persona, fields);
    this.personas.push(persona);
    if (statuses && statuses.length > 0) this.#walks.set(persona.id, { statuses, reads: 0 });
    return persona;
  }

  /** One GET /api/personas/{id}/ of the persona: take the next step of its walk. */
  read(persona: Persona): Persona {
    const walk = this.#walks.get(persona.id);
    if (!walk) return persona;
    const index = Math.min(walk.reads, walk.statuses.length - 1);
    walk.reads += 1;
    const next = walk.statuses[index];
    if (next !== undefined && next !== persona.process_status) {
      this.#settle(persona, next, false);
      persona.updated_at = this.#clock();
    }
    return persona;
  }

  /** Derive is_active, failed_reason and previews from the status. */
  #settle(persona: Persona, status: string, keepActive: boolean): Persona {
    persona.process_status = status;
    if (!keepActive) persona.is_active = status === "done";
    persona.failed_reason = isFailed(status)
      ? (persona.failed_reason ?? this.#failedReason)
      : persona.failed_reason;
    for (const [field, file] of PREVIEWS) {
      persona[field] = status === "done" ? `${PREVIEW_HOST}/personas/${persona.id}/${file}` : null;
    }
    return persona;
  }
}

function blank(): Omit<Persona, "id" | "created_at" | "updated_at"> {
  return {
    creator_name: "",
    gender: "m",
    video_scene: null,
    keywords: null,
    labels: [],
    webhook_url: null,
    lipsync_input_url: "",
    consent_video: null,
    is_active: false,
    process_status: "pending",
    failed_reason: null,
    preview_image_16_9: null,
    preview_image_1_1: null,
    preview_image_9_16: null,
    preview_video_16_9: null,
    preview_video_1_1: null,
    preview_video_9_16: null,
    landscape_preview_video: null,
    squared_preview_video: null,
    portrait_preview_video: null,
    suitable_industries: [],
    type: "custom",
    age_range: null,
    location: null,
    style: null,
    matching_voice_non_null: false,
    lipsync_input: null,
    gdown_url: null,
  };
}

/** Where the sandbox pretends an uploaded file ended up. */
export function uploadedUrl(filename: string): string {
  return `${PREVIEW_HOST}/uploads/${randomUUID()}/${encodeURIComponent(filename)}`;
}
