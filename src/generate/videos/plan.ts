import type { Lipsync } from "../../creatify/lipsync.js";
import type { Persona } from "../../creatify/persona.js";
import { type BuiltRequest, buildRequest } from "../request.js";
import {
  chooseAvatar,
  decideMode,
  estimatedCredits,
  type Mode,
  scriptSeconds,
  type VideoAction,
} from "./decide.js";
import { type AvatarRef, type VideoFile, videoSpecOf } from "./file.js";

/** What a run does with one video file, decided from the run's one reading of each listing. */
export interface VideoPlan {
  /** `error`: the video cannot be made (an avatar name with no avatar); it fails alone. */
  readonly action: VideoAction | "error";
  readonly reason: string;
  /** The credits this run would bill for it, at Creatify's published rates: an estimate. */
  readonly estimatedCredits: number;
  /** The avatar that speaks, once chosen. */
  readonly avatar?: Persona;
  /** The request, once every avatar is known. */
  readonly request?: BuiltRequest;
  /** The job reused or rendered. */
  readonly job?: Lipsync;
  /** Set when what was read does not fit the rules: the safe way was taken. */
  readonly warning?: string;
}

/** The seconds a video's scripts take to say: the base of every estimate. */
export function secondsOf(video: VideoFile): number {
  return scriptSeconds(video.scenes.map((scene) => scene.script));
}

/** A video checked without credentials: nothing read, its cost counted at what the mode bills. */
export function checkedPlan(video: VideoFile, mode: Mode): VideoPlan {
  return {
    action: "checked",
    reason: "file checked; no credentials, so nothing was read",
    estimatedCredits: estimatedCredits("checked", mode, secondsOf(video), video.modelVersion),
  };
}

/**
 * One video's plan: every avatar it names chosen from the personas (none at all is an error,
 * one not approved blocks the video), then its request's jobs decide the action.
 */
export function planVideo(
  video: VideoFile,
  personas: readonly Persona[],
  jobs: readonly Lipsync[],
  mode: Mode,
  webhookUrl: string | undefined,
): VideoPlan {
  const refs: AvatarRef[] = [
    ...(video.avatar ? [video.avatar] : []),
    ...video.scenes.flatMap((scene) => (scene.avatarId ? [{ id: scene.avatarId }] : [])),
  ];
  const choices = refs.map((ref) => chooseAvatar(personas, ref));
  const missing = choices.find((choice) => choice.kind === "missing");
  if (missing) return { action: "error", reason: missing.reason, estimatedCredits: 0 };
  const blocked = choices.find((choice) => choice.kind === "blocked");
  if (blocked) {
    return {
      action: "blocked",
      reason: blocked.reason,
      estimatedCredits: 0,
      avatar: blocked.avatar,
    };
  }
  const first = choices[0];
  const avatar = first?.kind === "approved" ? first.avatar : undefined;
  const request = buildRequest(
    videoSpecOf(video, avatar?.id ?? "", { webhookUrl, ifExists: "reuse" }),
  );
  const decision = decideMode(jobs, request.fingerprint, mode);
  return {
    ...decision,
    estimatedCredits: estimatedCredits(decision.action, mode, secondsOf(video), video.modelVersion),
    ...(avatar && { avatar }),
    request,
  };
}
