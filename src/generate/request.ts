import { createHash } from "node:crypto";
import { newest } from "../creatify/created.js";
import { jobStatus, jobVerdict, type Lipsync } from "../creatify/lipsync.js";

/**
 * The video request and what makes it the same request again (never billed twice): pure, so
 * every rule is tested table by table.
 */

export type AspectRatio = "9x16" | "16x9" | "1x1";
export type ModelVersion = "standard" | "aurora_v1" | "aurora_v1_fast";
export type IfExists = "reuse" | "create";

export const ASPECT_RATIOS: readonly AspectRatio[] = ["9x16", "16x9", "1x1"];
export const MODEL_VERSIONS: readonly ModelVersion[] = ["standard", "aurora_v1", "aurora_v1_fast"];

/** Creatify's own fields, passed through as written (a video file's, checked for type only). */
export type PassThrough = Readonly<Record<string, unknown>>;

/** One scene, fully parsed: one element of `video_inputs`. */
export interface Scene {
  readonly avatarId: string;
  readonly script: string;
  readonly voiceId: string | undefined;
  readonly backgroundUrl: string | undefined;
  /** `caption_setting`, `background`, `transition_effect`, `visual_style`, `cta`. */
  readonly extra?: PassThrough;
}

export interface VideoSpec {
  readonly scenes: readonly Scene[];
  readonly aspectRatio: AspectRatio;
  readonly modelVersion: ModelVersion;
  /** The user's name for the video, empty when none was given. */
  readonly name: string;
  readonly webhookUrl: string | undefined;
  readonly ifExists: IfExists;
  /** The body's own top-level fields: `background_music`, `cta_end`. */
  readonly extra?: PassThrough;
}

/** The body of `POST /api/lipsyncs_v2/` and of its preview, `POST /api/lipsyncs_v2/preview/`. */
export interface LipsyncRequest {
  readonly video_inputs: readonly VideoInput[];
  readonly aspect_ratio: AspectRatio;
  readonly model_version: ModelVersion;
  readonly name: string;
  readonly webhook_url?: string;
  readonly [passThrough: string]: unknown;
}

interface VideoInput {
  readonly character: { readonly type: "avatar"; readonly avatar_id: string };
  readonly voice: {
    readonly type: "text";
    readonly input_text: string;
    readonly voice_id?: string;
  };
  readonly background?: unknown;
  readonly [passThrough: string]: unknown;
}

export const FINGERPRINT_PREFIX = "lipsync-sha256:";
/** Creatify's limit on a job's `name`. */
export const MAX_NAME = 255;
/** A name for a video the user did not name: the script's start, this long at most. */
const DEFAULT_NAME_LENGTH = 60;

function videoInput(scene: Scene): VideoInput {
  return {
    character: { type: "avatar", avatar_id: scene.avatarId },
    voice: {
      type: "text",
      input_text: scene.script,
      ...(scene.voiceId && { voice_id: scene.voiceId }),
    },
    ...(scene.backgroundUrl && { background: { type: "image", url: scene.backgroundUrl } }),
    ...scene.extra,
  };
}

/** JSON with every object's keys sorted and no spaces: the same request, the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * `lipsync-sha256:` and 16 hex digits of the SHA-256 of what makes the video: the whole body
 * but its `name` and `webhook_url`, so that a restyled caption is another video and a renamed
 * one is not. A body of only `video_inputs`, `aspect_ratio` and `model_version` keeps the
 * fingerprint it had before anything else could be sent.
 */
export function fingerprintOf(body: LipsyncRequest): string {
  const { name: _name, webhook_url: _webhook, ...made } = body;
  const canonical = canonicalJson(made);
  return FINGERPRINT_PREFIX + createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * `<name> [lipsync-sha256:…]` (a preview's: `<name> [preview lipsync-sha256:…]`), the user's
 * name cut (by code points, ending in `…`) so the whole fits 255; without a name, the first
 * line of the first script stands in.
 */
export function jobName(
  name: string,
  fingerprint: string,
  firstScript: string,
  kind: "video" | "preview" = "video",
): string {
  const suffix = kind === "preview" ? ` [preview ${fingerprint}]` : ` [${fingerprint}]`;
  const room = MAX_NAME - suffix.length;
  const base = name || (firstScript.split("\n")[0] ?? "").trim();
  const points = Array.from(base);
  const limit = name ? room : Math.min(room, DEFAULT_NAME_LENGTH);
  const shown = points.length <= limit ? base : `${points.slice(0, limit - 1).join("")}…`;
  return `${shown}${suffix}`;
}

export interface BuiltRequest {
  readonly body: LipsyncRequest;
  /** The same body named as a preview, for `POST /api/lipsyncs_v2/preview/`. */
  readonly preview: LipsyncRequest;
  readonly fingerprint: string;
}

export function buildRequest(spec: VideoSpec): BuiltRequest {
  const unnamed: LipsyncRequest = {
    ...spec.extra,
    video_inputs: spec.scenes.map(videoInput),
    aspect_ratio: spec.aspectRatio,
    model_version: spec.modelVersion,
    name: "",
    ...(spec.webhookUrl && { webhook_url: spec.webhookUrl }),
  };
  const fingerprint = fingerprintOf(unnamed);
  const named = (kind: "video" | "preview") => ({
    ...unnamed,
    name: jobName(spec.name, fingerprint, spec.scenes[0]?.script ?? "", kind),
  });
  return { fingerprint, body: named("video"), preview: named("preview") };
}

export type JobDecision =
  | { readonly action: "reuse"; readonly job: Lipsync; readonly reason: string }
  | { readonly action: "create"; readonly reason: string };

/**
 * Reuse or create: with `reuse`, the newest job whose name carries the
 * fingerprint and has not failed; a failed one is made again, as a user re-running the step
 * after a failure expects.
 */
export function decideJob(
  jobs: readonly Lipsync[],
  fingerprint: string,
  ifExists: IfExists,
): JobDecision {
  if (ifExists === "create") return { action: "create", reason: "if-exists is create" };
  const same = jobs.filter((job) => typeof job.name === "string" && job.name.includes(fingerprint));
  const alive = newest(same.filter((job) => jobVerdict(job) !== "failed"));
  if (alive) {
    const state = jobVerdict(alive) === "done" ? "done" : `still ${jobStatus(alive)}`;
    return {
      action: "reuse",
      job: alive,
      reason: `video ${alive.id} was made from the same request (${fingerprint}), ${state}`,
    };
  }
  if (same.length > 0) {
    return {
      action: "create",
      reason: `the ${same.length === 1 ? "video" : `${same.length} videos`} made from this request failed`,
    };
  }
  return { action: "create", reason: "no video was made from this request yet" };
}
