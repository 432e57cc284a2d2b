import { createdAtMs, newest } from "../creatify/created.js";
import { type Persona, statusOf, verdictOf } from "../creatify/persona.js";
import { reasonOf } from "../text.js";
import { fingerprintsOf } from "./fingerprint.js";
import type { IfExists } from "./inputs.js";

/**
 * What to do with one avatar the run asks for, given the avatars that already
 * have its name: the heart of "a re-run never uploads twice, a new take is never ignored".
 * Pure: the listing and the hashing happen elsewhere.
 */
export type Decision =
  | { readonly action: "create"; readonly replaces: Persona | undefined; readonly reason: string }
  | {
      readonly action: "reuse";
      readonly avatar: Persona;
      readonly reason: string;
      /** Made by hand or before fingerprints: its video could not be compared. */
      readonly uncompared: boolean;
    }
  | { readonly action: "refuse"; readonly avatar: Persona; readonly reason: string };

/**
 * Whether `decide` needs this video's fingerprint: only to compare it with another one that a
 * rule reads, on an avatar that has not failed or was rejected (a processing failure counts for
 * none of rules 1-3, so hashing for it would only cost a read of the file).
 */
export function needsFingerprint(sameName: readonly Persona[], ifExists: IfExists): boolean {
  const compared = (persona: Persona) =>
    verdictOf(persona) !== "failed" || persona.process_status === "rejected";
  return (
    ifExists === "reuse" &&
    sameName.some((persona) => compared(persona) && fingerprintsOf(persona).length > 0)
  );
}

/**
 * Decides by `if-exists` and, for `reuse`, by the same-name rules in their order (the README's "New takes,
 * re-runs and rejected takes").
 * `fingerprint` may be undefined only where `needsFingerprint` is false.
 */
export function decide(
  sameName: readonly Persona[],
  fingerprint: string | undefined,
  ifExists: IfExists,
): Decision {
  const alive = sameName.filter((persona) => verdictOf(persona) !== "failed");
  const latest = newest(alive);
  if (ifExists === "create") {
    return { action: "create", replaces: undefined, reason: "if-exists is create" };
  }
  if (ifExists === "fail") {
    return latest
      ? {
          action: "refuse",
          avatar: latest,
          reason: `avatar ${describe(latest)} already exists and if-exists is fail; set it to reuse or create`,
        }
      : { action: "create", replaces: undefined, reason: noneAlive(sameName) };
  }

  const carries = (persona: Persona) =>
    fingerprint !== undefined && fingerprintsOf(persona).includes(fingerprint);
  const same = newest(alive.filter(carries));
  if (same) {
    return {
      action: "reuse",
      avatar: same,
      reason: `avatar ${describe(same)} was made from this video (${fingerprint})`,
      uncompared: false,
    };
  }
  const rejected = newest(
    sameName.filter((persona) => persona.process_status === "rejected" && carries(persona)),
  );
  if (rejected) {
    // Its own full stop would double the one that ends this sentence.
    const why = reasonOf(rejected.failed_reason).replace(/[.\s]+$/, "");
    return {
      action: "refuse",
      avatar: rejected,
      reason: `Creatify rejected this video before (avatar ${rejected.id}): ${why}. Record a new take, or set if-exists to create to submit it anyway`,
    };
  }
  if (latest && alive.some((persona) => fingerprintsOf(persona).length > 0)) {
    const old = fingerprintsOf(latest)[0];
    const from = old ? `was made from ${old}` : "carries no fingerprint";
    return {
      action: "create",
      replaces: latest,
      reason: `the video changed: this video is ${fingerprint}; avatar ${latest.id} ${from}`,
    };
  }
  if (latest) {
    return {
      action: "reuse",
      avatar: latest,
      reason: `avatar ${describe(latest)} carries no video fingerprint, so its video cannot be compared; set if-exists to create to submit this video anyway`,
      uncompared: true,
    };
  }
  return { action: "create", replaces: undefined, reason: noneAlive(sameName) };
}

/**
 * The same-name avatars that `delete-replaced` deletes once `kept` is approved: the
 * older takes this action made, i.e. those carrying a fingerprint but none of `kept`'s and
 * created before it, whatever their status. Never `kept` itself, never one without a
 * fingerprint (made by hand), never one created after `kept` (a later take in review is the one
 * the team waits for) or without a readable `created_at`; nothing when `kept` has no
 * fingerprint, or no readable creation time (`createdAt`, from Creatify's clock as the takes'
 * are), for then no take can be told from it.
 */
export function replacedTakes(
  sameName: readonly Persona[],
  kept: {
    readonly id: string | undefined;
    readonly fingerprints: readonly string[];
    readonly createdAt: number | undefined;
  },
): Persona[] {
  const { createdAt } = kept;
  if (kept.fingerprints.length === 0 || createdAt === undefined) return [];
  return sameName.filter((persona) => {
    const fingerprints = fingerprintsOf(persona);
    const created = createdAtMs(persona.created_at);
    return (
      persona.id !== kept.id &&
      fingerprints.length > 0 &&
      !fingerprints.some((fingerprint) => kept.fingerprints.includes(fingerprint)) &&
      created !== undefined &&
      created < createdAt
    );
  });
}

function noneAlive(sameName: readonly Persona[]): string {
  return sameName.length === 0
    ? "no avatar has this name yet"
    : "every avatar of this name has failed or was rejected";
}

function describe(persona: Persona): string {
  return `${persona.id} (${statusOf(persona)})`;
}
