import { createdAtMs } from "../creatify/created.js";
import { type Persona, verdictOf } from "../creatify/persona.js";
import { messageOf } from "../errors.js";
import type { AvatarContext } from "./context.js";
import { replacedTakes } from "./decide.js";
import { fingerprintsOf } from "./fingerprint.js";
import type { AvatarRecord } from "./record.js";

/**
 * `delete-replaced`: once the record's avatar is approved, deletes the older takes
 * among `sameName` (the run's one listing). A delete that fails is a warning, never a failure
 * of the step: the avatar the run is about is fine, and its outputs stand.
 */
export async function deleteReplaced(
  record: AvatarRecord,
  sameName: readonly Persona[],
  context: AvatarContext,
): Promise<void> {
  const approved = record.persona;
  if (!context.deleteReplaced || !approved || verdictOf(approved) !== "approved") return;
  const takes = replacedTakes(sameName, {
    id: approved.id,
    fingerprints: fingerprintsOf(approved),
    createdAt: createdAtMs(approved.created_at),
  });
  const name = `Avatar "${record.creatorName}" (${approved.id})`;
  for (const take of takes) {
    try {
      await context.client.delete(take.id);
      record.deleted.push(take.id);
      context.log.info(`${name} is approved: deleted ${take.id}, a replaced take.`);
    } catch (error) {
      context.log.warning(
        `${name} is approved, but deleting the replaced take ${take.id} failed (${messageOf(error)}); delete it in Creatify to free its slot.`,
      );
    }
  }
  if (record.plan) record.plan.deletes = [...record.deleted];
}

/**
 * What `deleteReplaced` will delete once the decided avatar is approved, for the plan: the
 * takes older than the reused avatar that carry another fingerprint than it, or, for a video
 * to create, every take carrying another fingerprint than it (the avatar it makes will be the
 * newest).
 */
export function plannedDeletes(
  sameName: readonly Persona[],
  kept: Persona | undefined,
  fingerprint: string | undefined,
): string[] {
  const fingerprints = kept ? fingerprintsOf(kept) : fingerprint ? [fingerprint] : [];
  const createdAt = kept ? createdAtMs(kept.created_at) : Number.POSITIVE_INFINITY;
  return replacedTakes(sameName, { id: kept?.id, fingerprints, createdAt }).map(
    (persona) => persona.id,
  );
}

/**
 * `avatar-id` mode: no listing was needed before, so the avatars are listed once, and only
 * once the avatar is seen approved.
 */
export async function deleteReplacedOf(record: AvatarRecord, context: AvatarContext) {
  const approved = record.persona;
  if (!context.deleteReplaced || !approved || verdictOf(approved) !== "approved") return;
  let listed: Persona[];
  try {
    listed = await context.client.list();
  } catch (error) {
    context.log.warning(
      `Avatar "${record.creatorName}" (${approved.id}) is approved, but listing the avatars to find its replaced takes failed (${messageOf(error)}); nothing was deleted.`,
    );
    return;
  }
  const sameName = listed.filter((persona) => persona.creator_name === approved.creator_name);
  await deleteReplaced(record, sameName, context);
}
