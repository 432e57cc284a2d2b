import { Output } from "../constants.js";
import { DOCUMENTED_FIELDS, type Persona, statusOf } from "../creatify/persona.js";
import { StepOutputs } from "../github/outputs.js";
import { clip } from "../text.js";
import { summaryMarkdown } from "./summary.js";

/** What the run does with an avatar (SPEC §8, §9); `checked` is a dry run without credentials. */
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
  /** `delete-replaced`: the older takes deleted, or to be deleted once approved (SPEC §13). */
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

/** One element of the `avatars` output (SPEC §4). */
export interface AvatarSummary {
  video: string;
  creator_name: string;
  avatar_id: string | null;
  status: string;
  is_active: boolean;
  failed_reason: string;
  reused: boolean;
  replaces: string | null;
}

export function summarize(record: AvatarRecord): AvatarSummary {
  const persona = record.persona;
  return {
    video: record.video,
    creator_name: persona?.creator_name ?? record.creatorName,
    avatar_id: persona?.id ?? record.id ?? null,
    status: persona ? statusOf(persona) : "error",
    is_active: persona?.is_active === true,
    failed_reason: persona?.failed_reason || clip(record.error ?? ""),
    reused: record.reused,
    replaces: record.plan?.replaces ?? null,
  };
}

/** One element of the `plan` output (SPEC §4). */
export function planOf(record: AvatarRecord) {
  const plan = record.plan;
  return {
    creator_name: record.creatorName,
    video: record.video,
    action: plan?.action ?? null,
    avatar_id: plan?.avatarId ?? (plan?.action === "create" ? (record.persona?.id ?? null) : null),
    replaces: plan?.replaces ?? null,
    fingerprint: plan?.fingerprint ?? null,
    reason: plan?.reason ?? clip(record.error ?? ""),
    deletes: plan?.deletes ?? [],
  };
}

/** The `avatar` output's budget: one avatar's outputs stay under GitHub's 64 KiB with room. */
const MAX_AVATAR_JSON = 32 * 1024;

/** The persona as JSON within its budget: whole when it fits, else its documented fields. */
function avatarJson(persona: Persona): string {
  const whole = JSON.stringify(persona);
  if (whole.length <= MAX_AVATAR_JSON) return whole;
  return JSON.stringify(
    Object.fromEntries(DOCUMENTED_FIELDS.map((field) => [field, persona[field]])),
  );
}

/** The step outputs: single-avatar ones only when there is exactly one avatar with an id. */
export function outputsFor(records: readonly AvatarRecord[], dryRun: boolean): Map<string, string> {
  const outputs = new Map<string, string>([
    [Output.Plan, JSON.stringify(records.filter((record) => record.plan).map(planOf))],
    [Output.Avatars, dryRun ? "[]" : JSON.stringify(records.map(summarize))],
    [Output.Deleted, JSON.stringify(records.flatMap((record) => record.deleted))],
  ]);
  const only = records.length === 1 && !dryRun ? records[0] : undefined;
  const id = only?.persona?.id ?? only?.id;
  if (only && id) {
    const summary = summarize(only);
    outputs.set(Output.AvatarId, id);
    if (only.persona) {
      outputs.set(Output.Status, summary.status);
      outputs.set(Output.IsActive, String(summary.is_active));
      outputs.set(Output.FailedReason, only.persona.failed_reason ?? "");
      outputs.set(Output.Avatar, avatarJson(only.persona));
    }
    outputs.set(Output.Reused, String(only.reused));
    outputs.set(Output.Replaces, only.plan?.replaces ?? "");
  }
  return outputs;
}

/**
 * What the avatar action has to show, kept current while it runs, and written through the
 * one output and summary writer (`github/outputs.ts`).
 */
export class Report {
  readonly records: AvatarRecord[] = [];
  /** A dry run outputs its plan and `avatars: []`, and its summary is the plan. */
  dryRun = false;
  readonly #outputs: StepOutputs;
  /** Outputs exist once the run got as far as considering avatars (none, for a bad input). */
  #begun = false;

  constructor(outputs: StepOutputs = new StepOutputs()) {
    this.#outputs = outputs;
  }

  /** The run considers its avatars now, though they may be none (a push that changed none). */
  begin(): void {
    this.#begun = true;
  }

  add(record: AvatarRecord): AvatarRecord {
    this.begin();
    this.records.push(record);
    return record;
  }

  /** Writes the outputs; a second call (a cancel racing the end) writes only what changed. */
  publish(): void {
    if (this.#begun) this.#outputs.set(outputsFor(this.records, this.dryRun));
  }

  /** Appends the summary as GitHub Flavored Markdown (no HTML block, which would swallow the table). */
  async writeSummary(now: number): Promise<void> {
    if (this.records.length === 0) return;
    await this.#outputs.appendSummary(summaryMarkdown(this.records, now, this.dryRun));
  }
}
