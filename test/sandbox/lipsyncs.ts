// Creatify's AI Avatar v2 routes: lipsyncs_v2 jobs that walk their statuses one
// step per read, previews and their renders, the remaining credits, the voices; the finished
// video is served from a second loopback origin (video-origin.ts) that records what reached it
// (no credential may).
//
// What Creatify documents of a preview: `POST /api/lipsyncs_v2/preview/` takes a create's body
// and answers the job with `preview`, a link to a page that plays the layout; `POST
// /api/lipsyncs_v2/{id}/render/` takes no body and answers the job; a preview costs 1 credit
// per 30 s, a render 4 more. What it does not document, and this sandbox picks: a preview job
// reads `done` with `output` null until it is rendered (`previewStatus` plays another reading);
// a render walks the job through `statuses` again to `done` with its `output`; a second render
// of a job, or a render of a job made by a create, is refused with 400 and a `detail`, billing
// nothing, as Django REST Framework refuses a request that does not fit.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { drain, readBody } from "./body.ts";
import { type Clock, clockOf } from "./clock.ts";
import { detail, json, type Lister, NOT_FOUND, plainList } from "./reply.ts";
import { JOB_FIELDS } from "./schema.ts";
import type { PersonaStore } from "./store.ts";
import type { RecordedRequest, Reply } from "./types.ts";
import { add, type FieldErrors, isHttpUrl, text } from "./validate.ts";
import { type StreamedVideo, VideoOrigin, type VideoRequest } from "./video-origin.ts";

export const DEFAULT_JOB_STATUSES = ["pending", "in_queue", "running", "done"];
const ASPECT_RATIOS = ["9x16", "16x9", "1x1"];
const MODEL_VERSIONS = ["standard", "aurora_v1", "aurora_v1_fast"];
/** How long every sandbox video is, in seconds: under 30 s, so each price below is per video. */
const VIDEO_SECONDS = 12.5;
/** Creatify's price of `standard`: 5 credits per 30 s. */
const CREDITS_PER_VIDEO = 5;
/** A preview costs 1 credit per 30 s, the render of it the other 4 of a standard video. */
const CREDITS_PER_PREVIEW = 1;
const CREDITS_PER_RENDER = CREDITS_PER_VIDEO - CREDITS_PER_PREVIEW;

export interface LipsyncOptions {
  /** The status walk of a new job, one step per GET /api/lipsyncs_v2/{id}/; the last sticks. */
  statuses?: string[];
  /** `progress` at each step of the walk (a string or a number), else derived from the status. */
  progress?: (string | number)[];
  failedReason?: string;
  /** `remaining_credits`; default 100. A create with none left is refused. */
  credits?: number;
  /**
   * The finished video's bytes; default a small MP4-shaped file. `{size}` streams that many
   * bytes, generated as they go, for downloads larger than the sandbox should hold.
   */
  video?: Buffer | StreamedVideo;
  /** `output` points at a redirect on the video origin that leads to the file. */
  redirect?: boolean;
  /**
   * `output` is a presigned URL whose query runs to this many characters, and the video
   * origin serves the file to that whole URL only.
   */
  signedLength?: number;
  /** The status a preview job reads until it is rendered; default `done`. */
  previewStatus?: string;
  /** A surprise: jobs made by a preview are missing from `GET /api/lipsyncs_v2/`, whole or by ids. */
  unlistedPreviews?: boolean;
}

export interface LipsyncJob {
  id: string;
  name: string | null;
  status: string;
  progress: string | number | null;
  output: string | null;
  /** The link to the page that plays a preview; null for a job made by a create. */
  preview: string | null;
  video_thumbnail: string | null;
  duration: number | null;
  credits_used: number | null;
  failed_reason: string | null;
  created_at: string;
  updated_at: string;
  aspect_ratio: string;
  model_version: string;
  video_inputs: unknown[];
  webhook_url: string | null;
}

/** The jobs, the credits and the video origin, as tests see them. */
export interface LipsyncSandbox {
  jobs: LipsyncJob[];
  /** Every request the video origin saw, with its headers. */
  videoRequests: VideoRequest[];
  videoUrl: string;
  credits: number;
  /**
   * A job made earlier (a day ago unless told otherwise), done unless told otherwise; with
   * `previewed`, a preview not rendered yet, which a render accepts.
   */
  seed(job: SeedJob): LipsyncJob;
}

type SeedJob = Partial<LipsyncJob> & { statuses?: string[]; previewed?: boolean };

export class LipsyncRoutes {
  readonly state: LipsyncSandbox;
  readonly #options: LipsyncOptions;
  readonly #walks = new Map<string, { statuses: string[]; reads: number }>();
  /** The jobs made by a preview, and whether a render of each was accepted. */
  readonly #previews = new Map<string, { rendered: boolean }>();
  readonly #origin: VideoOrigin;

  readonly #clock: Clock;
  readonly #list: Lister;

  constructor(options: LipsyncOptions = {}, clock: Clock = clockOf(), list: Lister = plainList) {
    this.#options = options;
    this.#clock = clock;
    this.#list = list;
    this.#origin = new VideoOrigin(options.video, options.signedLength);
    this.state = {
      jobs: [],
      videoRequests: this.#origin.requests,
      videoUrl: "",
      credits: options.credits ?? 100,
      seed: (job) => this.#seed(job),
    };
  }

  /** Starts the video's own origin: another port on loopback, another host to the action. */
  async start(): Promise<void> {
    this.state.videoUrl = await this.#origin.start();
  }

  close(): Promise<void> {
    return this.#origin.close();
  }

  /** Answers the routes it knows, undefined for any other path. */
  async route(
    req: IncomingMessage,
    rec: RecordedRequest,
    personas: PersonaStore,
  ): Promise<Reply | undefined> {
    const { method, path } = rec;
    if (path === "/api/remaining_credits/") {
      await drain(req, rec);
      if (method !== "GET") return detail(405, `Method "${method}" not allowed.`);
      return json(200, { remaining_credits: this.state.credits });
    }
    if (path === "/api/voices/") {
      await drain(req, rec);
      return json(200, [
        {
          name: "Sandbox voice",
          gender: "m",
          accents: [{ id: "voice-en-us-1", accent_name: "American", preview_url: null }],
        },
      ]);
    }
    if (path === "/api/lipsyncs_v2/") {
      if (method === "POST") return this.#create(req, rec, personas, "create");
      await drain(req, rec);
      if (method !== "GET") return detail(405, `Method "${method}" not allowed.`);
      const ids = rec.query.ids?.split(",").filter((id) => id !== "");
      if (ids && ids.length > 100) return json(400, { ids: ["At most 100 ids."] });
      const listed = this.state.jobs.filter(
        (job) => !(this.#options.unlistedPreviews && this.#previews.has(job.id)),
      );
      return this.#list(
        (ids ? listed.filter((job) => ids.includes(job.id)) : listed).map(view),
        rec,
      );
    }
    if (path === "/api/lipsyncs_v2/preview/") {
      if (method === "POST") return this.#create(req, rec, personas, "preview");
      await drain(req, rec);
      return detail(405, `Method "${method}" not allowed.`);
    }
    const [, id, action] = /^\/api\/lipsyncs_v2\/([^/]+)\/(render\/)?$/.exec(path) ?? [];
    if (id === undefined) return undefined;
    await drain(req, rec);
    const job = this.state.jobs.find((candidate) => candidate.id === decodeURIComponent(id));
    if (action) {
      if (method !== "POST") return detail(405, `Method "${method}" not allowed.`);
      return job ? this.#render(job) : detail(404, NOT_FOUND);
    }
    if (method !== "GET") return detail(405, `Method "${method}" not allowed.`);
    return job ? json(200, view(this.#read(job))) : detail(404, NOT_FOUND);
  }

  async #create(
    req: IncomingMessage,
    rec: RecordedRequest,
    personas: PersonaStore,
    kind: "create" | "preview",
  ) {
    const body = await readBody(req, rec);
    if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
      return detail(415, `Unsupported media type "${req.headers["content-type"]}" in request.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(body.toString("utf8"));
    } catch (error) {
      return detail(400, `JSON parse error - ${(error as Error).message}`);
    }
    rec.json = data;
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return json(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
    }
    const fields = data as Record<string, unknown>;
    const errors: FieldErrors = {};
    const videoInputs = validateInputs(fields.video_inputs, personas, errors);
    const choice = (name: string, choices: string[], fallback: string) => {
      const value = fields[name] ?? fallback;
      if (typeof value === "string" && choices.includes(value)) return value;
      return add(errors, name, `"${String(value)}" is not a valid choice.`);
    };
    for (const field of ["background_music", "cta_end"]) {
      if (fields[field] !== undefined && !isObject(fields[field])) {
        add(errors, field, "Expected a dictionary of items.");
      }
    }
    const aspect = choice("aspect_ratio", ASPECT_RATIOS, "9x16");
    const model = choice("model_version", MODEL_VERSIONS, "standard");
    const name = text(fields, "name", errors, { required: false, max: 255 });
    const webhook = text(fields, "webhook_url", errors, { required: false, max: 2048 });
    if (webhook !== undefined && !isHttpUrl(webhook))
      add(errors, "webhook_url", "Enter a valid URL.");
    if (Object.keys(errors).length > 0 || !videoInputs || !aspect || !model) {
      return json(400, errors);
    }
    if (this.state.credits <= 0) return detail(400, "Insufficient credits.");
    const now = this.#clock();
    const job: LipsyncJob = {
      ...blankJob(),
      id: randomUUID(),
      name: name ?? null,
      aspect_ratio: aspect,
      model_version: model,
      video_inputs: videoInputs,
      webhook_url: webhook ?? null,
      created_at: now,
      updated_at: now,
    };
    this.state.jobs.push(job);
    if (kind === "preview") {
      this.state.credits -= CREDITS_PER_PREVIEW;
      this.#preview(job);
    } else {
      this.#walk(job);
    }
    return json(200, view(job));
  }

  /** A job made by a preview: its link, its price, and no video until it is rendered. */
  #preview(job: LipsyncJob): void {
    this.#previews.set(job.id, { rendered: false });
    job.status = this.#options.previewStatus ?? "done";
    job.progress = job.status === "done" ? "100%" : "0%";
    job.preview = `${this.state.videoUrl}/preview?layout=videos/${job.id}.json`;
    job.credits_used = CREDITS_PER_PREVIEW;
  }

  /** A job starts its status walk: its next read is the walk's first step. */
  #walk(job: LipsyncJob): void {
    this.#walks.set(job.id, { statuses: this.#options.statuses ?? DEFAULT_JOB_STATUSES, reads: 0 });
  }

  #render(job: LipsyncJob): Reply {
    const preview = this.#previews.get(job.id);
    if (!preview) return detail(400, "Only a lipsync made by a preview can be rendered.");
    if (preview.rendered) return detail(400, "This lipsync has already been rendered.");
    if (job.status === "failed") return detail(400, "This lipsync has failed.");
    if (this.state.credits <= 0) return detail(400, "Insufficient credits.");
    preview.rendered = true;
    this.#walk(job);
    job.status = "pending";
    job.progress = "0%";
    job.updated_at = new Date().toISOString();
    return json(200, view(job));
  }

  #seed(input: SeedJob): LipsyncJob {
    const { statuses, previewed, ...fields } = input;
    const created = this.#clock(86_400_000);
    const job: LipsyncJob = {
      ...blankJob(),
      id: randomUUID(),
      created_at: created,
      updated_at: created,
    };
    if (previewed) this.#preview(job);
    else this.#settle(job, fields.status ?? statuses?.[0] ?? "done", 0);
    Object.assign(job, fields);
    this.state.jobs.push(job);
    if (statuses) this.#walks.set(job.id, { statuses, reads: 0 });
    return job;
  }

  /** One GET of the job: the next step of its walk. */
  #read(job: LipsyncJob): LipsyncJob {
    const walk = this.#walks.get(job.id);
    if (!walk) return job;
    const index = Math.min(walk.reads, walk.statuses.length - 1);
    walk.reads += 1;
    const status = walk.statuses[index] ?? job.status;
    // Billed once, when the video is made (a seeded job was paid for before); a rendered
    // preview's first credit was billed with the preview.
    if (status === "done" && job.status !== "done") {
      this.state.credits -= this.#previews.has(job.id) ? CREDITS_PER_RENDER : CREDITS_PER_VIDEO;
    }
    this.#settle(job, status, index);
    job.updated_at = this.#clock();
    return job;
  }

  /** Derives progress, output, thumbnail, duration, credits and failed_reason from the status. */
  #settle(job: LipsyncJob, status: string, step: number): void {
    job.status = status;
    const scripted = this.#options.progress?.[step];
    job.progress = scripted ?? (status === "done" ? "100%" : status === "running" ? "50%" : "0%");
    if (status === "failed" || status === "rejected") {
      job.failed_reason = job.failed_reason ?? this.#options.failedReason ?? "rendering failed";
    }
    if (status !== "done") return;
    const file = this.#options.redirect ? `/r/${job.id}` : `/videos/${job.id}.mp4`;
    job.output = `${this.state.videoUrl}${this.#origin.signed(file)}`;
    job.video_thumbnail = `${this.state.videoUrl}/thumbnails/${job.id}.jpg`;
    job.duration = VIDEO_SECONDS;
    job.credits_used = CREDITS_PER_VIDEO;
  }
}

/** A job as its answers document it (schema.ts): the webhook it was given is kept, not shown. */
function view(job: LipsyncJob): Record<string, unknown> {
  return Object.fromEntries(JOB_FIELDS.map((field) => [field, job[field]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields of a `video_inputs` element in Creatify's reference, and their JSON types. */
const SCENE_FIELDS: Record<string, "object" | "string"> = {
  character: "object",
  voice: "object",
  background: "object",
  caption_setting: "object",
  transition_effect: "object",
  visual_style: "string",
  cta: "object",
};

/** `video_inputs` as Creatify's reference describes it; the avatars must exist. */
function validateInputs(
  value: unknown,
  personas: PersonaStore,
  errors: FieldErrors,
): unknown[] | undefined {
  if (value === undefined) return add(errors, "video_inputs", "This field is required.");
  if (!Array.isArray(value) || value.length === 0) {
    return add(errors, "video_inputs", "Expected a non-empty list of items.");
  }
  for (const [index, item] of value.entries()) {
    const at = `video_inputs[${index}]`;
    const scene = (item ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const character = scene.character;
    if (character?.type !== "avatar" || typeof character.avatar_id !== "string") {
      return add(errors, at, 'character must be {"type": "avatar", "avatar_id": ...}.');
    }
    if (!personas.get(character.avatar_id)) {
      return add(errors, at, `Avatar "${character.avatar_id}" does not exist.`);
    }
    const voice = scene.voice;
    if (voice?.type !== "text" || typeof voice.input_text !== "string" || voice.input_text === "") {
      return add(errors, at, 'voice must be {"type": "text", "input_text": ...}.');
    }
    if (voice.voice_id !== undefined && typeof voice.voice_id !== "string") {
      return add(errors, at, "voice_id must be a string.");
    }
    const background = scene.background;
    if (background !== undefined) {
      const media = background?.type === "image" || background?.type === "video";
      if (
        typeof background?.type !== "string" ||
        (media && (typeof background.url !== "string" || !isHttpUrl(background.url)))
      ) {
        return add(errors, at, 'background must be {"type": ..., "url": ...}.');
      }
    }
    for (const [key, type] of Object.entries(SCENE_FIELDS)) {
      const value = (scene as Record<string, unknown>)[key];
      if (value !== undefined && (type === "object" ? !isObject(value) : typeof value !== type)) {
        return add(
          errors,
          at,
          `${key} must be ${type === "object" ? "a dictionary" : "a string"}.`,
        );
      }
    }
    const extra = Object.keys(scene).find((key) => !(key in SCENE_FIELDS));
    if (extra) return add(errors, at, `Unknown field "${extra}".`);
  }
  return value;
}

function blankJob(): Omit<LipsyncJob, "id" | "created_at" | "updated_at"> {
  return {
    name: null,
    status: "pending",
    progress: "0%",
    output: null,
    preview: null,
    video_thumbnail: null,
    duration: null,
    credits_used: null,
    failed_reason: null,
    aspect_ratio: "9x16",
    model_version: "standard",
    video_inputs: [],
    webhook_url: null,
  };
}
