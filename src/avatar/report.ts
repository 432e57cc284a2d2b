import { Output } from "../constants.js";
import { DOCUMENTED_FIELDS, statusOf } from "../creatify/persona.js";
import { type OutputValue, StepOutputs } from "../github/outputs.js";
import type { StepReport } from "../github/step.js";
import type { AvatarRecord } from "./record.js";
import { summaryMarkdown } from "./summary.js";

/** One element of the `avatars` output. */
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

function summarize(record: AvatarRecord): AvatarSummary {
  const persona = record.persona;
  return {
    video: record.video,
    creator_name: persona?.creator_name ?? record.creatorName,
    avatar_id: persona?.id ?? record.id ?? null,
    status: persona ? statusOf(persona) : "error",
    is_active: persona?.is_active === true,
    failed_reason: persona?.failed_reason || (record.error ?? ""),
    reused: record.reused,
    replaces: record.plan?.replaces ?? null,
  };
}

/** One element of the `plan` output. */
export function planOf(record: AvatarRecord) {
  const plan = record.plan;
  return {
    creator_name: record.creatorName,
    video: record.video,
    action: plan?.action ?? null,
    avatar_id: plan?.avatarId ?? (plan?.action === "create" ? (record.persona?.id ?? null) : null),
    replaces: plan?.replaces ?? null,
    fingerprint: plan?.fingerprint ?? null,
    reason: plan?.reason ?? record.error ?? "",
    deletes: plan?.deletes ?? [],
  };
}

/** Keys of the `avatars` and `plan` elements that hold avatar ids, output exact. */
const ID_KEYS = ["replaces", "deletes"];

/** The step outputs: single-avatar ones only when there is exactly one avatar with an id. */
export function outputsFor(
  records: readonly AvatarRecord[],
  dryRun: boolean,
): Map<string, OutputValue> {
  const outputs = new Map<string, OutputValue>([
    [Output.Plan, { json: records.filter((record) => record.plan).map(planOf), ids: ID_KEYS }],
    [Output.Avatars, { json: dryRun ? [] : records.map(summarize), ids: ID_KEYS }],
    // Ids only, the action's own: exact.
    [Output.Deleted, { exact: JSON.stringify(records.flatMap((record) => record.deleted)) }],
  ]);
  const only = records.length === 1 && !dryRun ? records[0] : undefined;
  const id = only?.persona?.id ?? only?.id;
  if (only && id) {
    const summary = summarize(only);
    outputs.set(Output.AvatarId, { exact: id });
    if (only.persona) {
      outputs.set(Output.Status, summary.status);
      outputs.set(Output.IsActive, String(summary.is_active));
      outputs.set(Output.FailedReason, only.persona.failed_reason ?? "");
      outputs.set(Output.Avatar, { json: only.persona, documented: DOCUMENTED_FIELDS });
    }
    outputs.set(Output.Reused, String(only.reused));
    outputs.set(Output.Replaces, { exact: only.plan?.replaces ?? "" });
  }
  return outputs;
}

/**
 * What the avatar action has to show, kept current while it runs, and written through the
 * one output and summary writer (`github/outputs.ts`).
 */
export class Report implements StepReport {
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

  /** A line per avatar saying how far it got, for a cancelled step's log. */
  progress(): string[] {
    return this.records.map((record) => {
      const id = record.persona?.id ?? record.id;
      const state = record.persona
        ? `${id} was ${statusOf(record.persona)}`
        : id
          ? `${id}`
          : "had no id yet";
      return `avatar "${record.creatorName}" ${state}`;
    });
  }

  /** Appends the summary as GitHub Flavored Markdown (no HTML block, which would swallow the table). */
  async writeSummary(now: number): Promise<void> {
    if (this.records.length === 0) return;
    await this.#outputs.appendSummary(summaryMarkdown(this.records, now, this.dryRun));
  }
}
