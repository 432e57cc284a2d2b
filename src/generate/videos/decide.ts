import { newest as newestCreated } from "../../creatify/created.js";
import { jobStatus, jobVerdict, type Lipsync } from "../../creatify/lipsync.js";
import { type Persona, statusOf, verdictOf } from "../../creatify/persona.js";
import type { ModelVersion } from "../request.js";
import type { AvatarRef } from "./file.js";

/**
 * What a run does with each video file, decided from what it has read once (the avatars, the
 * jobs): pure, so every rule is tested table by table. The run does the I/O around it.
 */

export type Mode = "preview" | "render";
/** A video's planned action, in the plan and the `videos` output. */
export type VideoAction = "create" | "preview" | "render" | "reuse" | "blocked" | "checked";

// --- Avatars by name -------------------------------------------------------------------------

export type AvatarChoice =
  | { readonly kind: "approved"; readonly avatar: Persona }
  /** Not billed, not a failure: a later run makes the video once the avatar is approved. */
  | { readonly kind: "blocked"; readonly avatar: Persona; readonly reason: string }
  /** An error for this video alone. */
  | { readonly kind: "missing"; readonly reason: string };

/**
 * The avatar a video file names, from the run's one listing: by creator-name the newest
 * approved avatar of that name, else the newest of that name, blocked with its status; by id
 * that avatar, blocked unless approved.
 */
export function chooseAvatar(personas: readonly Persona[], ref: AvatarRef): AvatarChoice {
  if ("id" in ref) {
    const avatar = personas.find((persona) => persona.id === ref.id);
    if (!avatar) return { kind: "missing", reason: `no avatar has the id ${ref.id}` };
    return verdictOf(avatar) === "approved"
      ? { kind: "approved", avatar }
      : { kind: "blocked", avatar, reason: notApproved(avatar) };
  }
  const named = personas.filter((persona) => persona.creator_name === ref.name);
  const approved = newestCreated(named.filter((persona) => verdictOf(persona) === "approved"));
  if (approved) return { kind: "approved", avatar: approved };
  const newest = newestCreated(named);
  if (!newest) return { kind: "missing", reason: `no avatar is named "${ref.name}"` };
  return { kind: "blocked", avatar: newest, reason: notApproved(newest) };
}

function notApproved(avatar: Persona): string {
  const name = `avatar "${avatar.creator_name}" (${avatar.id})`;
  if (verdictOf(avatar) === "failed") {
    const reason = avatar.failed_reason ? `: ${avatar.failed_reason}` : "";
    return `${name} ${statusOf(avatar)}${reason}; record a new take`;
  }
  return `${name} is not approved yet (${statusOf(avatar)}); the video is made once it is`;
}

// --- Jobs of a request: preview, render, reuse or create ----------------------------------------

/** Where a job of this request stands, from its name's mark, `status` and `output`. */
type Stage =
  /** `output` set: the video. */
  | "rendered"
  /** Made by a create and still running, or a preview running after its render. */
  | "running"
  /** A preview not rendered yet: `done` without `output`. */
  | "previewed"
  /** Anything these rules do not expect: never billed again. */
  | "unexpected";

interface StagedJob {
  readonly job: Lipsync;
  readonly stage: Stage;
  /** Why an unexpected job is so, for the warning that names it. */
  readonly oddity?: string;
}

const RUNNING = ["pending", "in_queue", "running"];

/** `[preview lipsync-sha256:…]` marks a preview, `[lipsync-sha256:…]` a create. */
function markOf(job: Lipsync, fingerprint: string): "preview" | "video" | undefined {
  if (typeof job.name !== "string") return undefined;
  if (job.name.includes(`[preview ${fingerprint}]`)) return "preview";
  return job.name.includes(`[${fingerprint}]`) ? "video" : undefined;
}

function stageOf(job: Lipsync, mark: "preview" | "video"): StagedJob {
  if (typeof job.output === "string" && job.output !== "") return { job, stage: "rendered" };
  const status = jobStatus(job);
  if (RUNNING.includes(status)) return { job, stage: "running" };
  if (status === "done" && mark === "preview") return { job, stage: "previewed" };
  const oddity =
    status === "done" ? "is done without a video (output)" : `has the status "${status}"`;
  return { job, stage: "unexpected", oddity };
}

/** The jobs of this request that have not failed, each with its stage. */
function stagedJobs(jobs: readonly Lipsync[], fingerprint: string): StagedJob[] {
  return jobs.flatMap((job) => {
    const mark = markOf(job, fingerprint);
    return mark && jobVerdict(job) !== "failed" ? [stageOf(job, mark)] : [];
  });
}

export interface ModeDecision {
  readonly action: "create" | "preview" | "render" | "reuse";
  /** The job reused (done, or to wait for) or rendered. */
  readonly job?: Lipsync;
  readonly reason: string;
  /** Set when what was read does not fit the rules: the safe way was taken. */
  readonly warning?: string;
}

/**
 * One video's action given the run's one listing of jobs. `preview`: a job of this request
 * that has not failed is reused, preview or video alike; else a preview. `render`: a video is
 * reused, a running job waited for, a preview rendered (a preview running is past its
 * preview: never rendered again); else a create. A job that fits none of this is reused with
 * a warning: nothing is billed for it again.
 */
export function decideMode(
  jobs: readonly Lipsync[],
  fingerprint: string,
  mode: Mode,
): ModeDecision {
  const staged = stagedJobs(jobs, fingerprint);
  const newest = (stage: Stage) =>
    newestCreated(staged.filter((entry) => entry.stage === stage).map((entry) => entry.job));
  if (mode === "preview") {
    const alive = newestCreated(staged.map((entry) => entry.job));
    if (alive) {
      return { action: "reuse", job: alive, reason: `${alive.id} was made from this request` };
    }
    return { action: "preview", reason: "no preview of this request yet" };
  }
  const rendered = newest("rendered");
  if (rendered) return { action: "reuse", job: rendered, reason: `${rendered.id} is this video` };
  const running = newest("running");
  if (running) {
    return {
      action: "reuse",
      job: running,
      reason: `${running.id} is being made (${jobStatus(running)})`,
    };
  }
  const previewed = newest("previewed");
  if (previewed) {
    return {
      action: "render",
      job: previewed,
      reason: `${previewed.id} is a preview of this request`,
    };
  }
  const odd = staged.find((entry) => entry.stage === "unexpected");
  if (odd) {
    return {
      action: "reuse",
      job: odd.job,
      reason: `${odd.job.id} was made from this request`,
      warning: `video ${odd.job.id} ${odd.oddity}, which does not fit a preview or a video; it is reported as it is and nothing is billed for it again`,
    };
  }
  const failed = jobs.some((job) => markOf(job, fingerprint) !== undefined);
  return {
    action: "create",
    reason: failed ? "every job of this request failed" : "no job of this request yet",
  };
}

// --- First contact: what Creatify does not document, checked after each call ---------------------

/**
 * A preview's answer (or its read back) should carry its link, no video, and not be running:
 * a warning naming the job when it does not. The run goes on either way; nothing is rendered.
 */
export function checkPreview(job: Lipsync): string | undefined {
  const odd: string[] = [];
  if (typeof job.preview !== "string" || job.preview === "") odd.push("no preview link");
  if (typeof job.output === "string" && job.output !== "") odd.push("a video already");
  if (jobStatus(job) !== "done") odd.push(`the status "${jobStatus(job)}"`);
  return odd.length === 0
    ? undefined
    : `preview ${job.id} has ${odd.join(", ")}, not what a preview is expected to read; it is not rendered in this run`;
}

export type AfterRender =
  /** The render was taken: wait for the video. */
  | { readonly next: "wait"; readonly warning?: string }
  /** The job still reads as the preview it was: the render was not taken. */
  | { readonly next: "render-again" }
  | { readonly next: "failed"; readonly reason: string };

/**
 * The job read back after a render call, answered or not (an ambiguous failure): running or
 * done with its video means the render was taken; still the preview it was, that it was not.
 * Anything else is waited for with a warning, never rendered again.
 */
export function afterRender(job: Lipsync): AfterRender {
  if (jobVerdict(job) === "failed") {
    return { next: "failed", reason: job.failed_reason ?? `status ${jobStatus(job)}` };
  }
  const { stage, oddity } = stageOf(job, "preview");
  if (stage === "previewed") return { next: "render-again" };
  if (stage === "unexpected") {
    return {
      next: "wait",
      warning: `video ${job.id} ${oddity} after its render; it is waited for, not rendered again`,
    };
  }
  return { next: "wait" };
}

// --- Cost ----------------------------------------------------------------------------------------

/** A script is read at 150 words a minute: the estimate of a video's length. */
export const WORDS_PER_MINUTE = 150;

/** The seconds the scripts take to say, at 150 words a minute. */
export function scriptSeconds(scripts: readonly string[]): number {
  const words = scripts.reduce(
    (count, script) => count + script.split(/\s+/).filter((word) => word !== "").length,
    0,
  );
  return (words * 60) / WORDS_PER_MINUTE;
}

/**
 * Credits a call bills for a video of `seconds`, at Creatify's published rates: `standard` 5
 * per started 30 s, `aurora_v1` 1 per second, `aurora_v1_fast` 0.5 per second (whole credits,
 * rounded up); a preview 1 per started 30 s. A render is counted at the model's full price, an
 * upper bound: Creatify's render page prices a standard render at 4 per 30 s after its preview.
 */
export function creditsFor(
  seconds: number,
  model: ModelVersion,
  call: "create" | "preview",
): number {
  const started30 = Math.ceil(seconds / 30);
  if (call === "preview") return started30;
  if (model === "aurora_v1") return Math.ceil(seconds);
  if (model === "aurora_v1_fast") return Math.ceil(seconds * 0.5);
  return started30 * 5;
}

/**
 * A planned action's `estimated_credits`: what this run would bill. A reuse and a blocked video
 * bill nothing; a video only checked (no request could be made) is counted at what the mode
 * would bill for it.
 */
export function estimatedCredits(
  action: VideoAction,
  mode: Mode,
  seconds: number,
  model: ModelVersion,
): number {
  switch (action) {
    case "reuse":
    case "blocked":
      return 0;
    case "preview":
      return creditsFor(seconds, model, "preview");
    case "create":
    case "render":
      return creditsFor(seconds, model, "create");
    case "checked":
      return creditsFor(seconds, model, mode === "preview" ? "preview" : "create");
  }
}
