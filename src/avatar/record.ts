import type { Persona } from "../creatify/persona.js";

/** What the run does with an avatar, as the `plan` output says it; `checked` is a dry run without credentials. */
export type PlanAction = "create" | "reuse" | "refuse" | "checked";

export interface PlanEntry {
  readonly action: PlanAction;
  /** The video's fingerprint label, once hashed (not before the upload of a first take). */
  fingerprint: string | undefined;
  /** The avatar reused or refused. */
  readonly avatarId: string | undefined;
  /** The same-name avatar a new take supersedes. */
  readonly replaces: string | undefined;
  readonly reason: string;
  /** `delete-replaced`: the older takes deleted, or to be deleted once approved. */
  deletes: string[];
}

/** What the action knows of one avatar, kept current while it runs. */
export interface AvatarRecord {
  /** The video as the user gave it (a workspace path or a URL); empty for `avatar-id`. */
  readonly video: string;
  creatorName: string;
  /** The avatar's id once known, also before (or without) a successful read of it. */
  id: string | undefined;
  persona: Persona | undefined;
  reused: boolean;
  plan: PlanEntry | undefined;
  /** What was sent, for the summary: a file's size and what its header says. */
  sent: string | undefined;
  /** Set when the wait ran out before a verdict: how long it waited. */
  waitedMs: number | undefined;
  /** Why the action failed this avatar, when it did. */
  error: string | undefined;
  /** The older takes deleted once this avatar was approved (`delete-replaced`). */
  readonly deleted: string[];
  readonly startedAt: number;
  finishedAt: number | undefined;
  readonly timeline: { status: string; elapsedMs: number }[];
}

export function newRecord(video: string, creatorName: string, now: number): AvatarRecord {
  return {
    video,
    creatorName,
    id: undefined,
    persona: undefined,
    reused: false,
    plan: undefined,
    sent: undefined,
    waitedMs: undefined,
    error: undefined,
    deleted: [],
    startedAt: now,
    finishedAt: undefined,
    timeline: [],
  };
}
