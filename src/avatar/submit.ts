import { messageOf } from "../errors.js";
import { runPool } from "../pool.js";
import type { AvatarContext, Planned, Videos, Wanted } from "./context.js";
import { decide, needsFingerprint } from "./decide.js";
import { fingerprintOfFile, fingerprintOfUrl, fingerprintsOf } from "./fingerprint.js";
import { carryOut } from "./journey.js";
import type { AvatarRecord } from "./record.js";
import { plannedDeletes } from "./replaced.js";

export interface SubmitOptions {
  /** Plan only: the listing and the quota are read, nothing is created. */
  readonly dryRun: boolean;
  /** A dry run without credentials: no request at all, every avatar only checked. */
  readonly offline: boolean;
  readonly maxParallel: number;
  /** One avatar failed; the run goes on with the others. */
  readonly onError: (wanted: Wanted, message: string) => void;
}

/**
 * Plans every avatar the run asks for with one listing and one quota read, then carries
 * out the plan, `maxParallel` at a time: the single step and a manifest alike. Returns
 * the records of the avatars that failed; throws when the run as a whole cannot go on.
 */
export async function submitAvatars(
  wanted: readonly Wanted[],
  context: AvatarContext,
  options: SubmitOptions,
): Promise<AvatarRecord[]> {
  context.report.begin();
  for (const { record } of wanted) context.report.add(record);
  if (options.offline || wanted.length === 0) {
    await checkOnly(wanted, context);
    return [];
  }
  const planned = await planAvatars(wanted, context, options.dryRun);
  const failed: AvatarRecord[] = [];
  const fail = (item: Planned, error: unknown) => {
    item.record.error = messageOf(error);
    item.record.finishedAt = context.now();
    failed.push(item.record);
    options.onError(item, item.record.error);
  };
  if (options.dryRun) {
    for (const item of planned) {
      if (item.decision.action === "refuse") fail(item, new Error(item.decision.reason));
    }
    return failed;
  }
  const jobs = planned.map((item) => () => carryOut(item, context).catch((e) => fail(item, e)));
  await runPool(jobs, options.maxParallel);
  return failed;
}

/**
 * Lists the avatars once and decides each one. A file is hashed only where the
 * decision needs its fingerprint (or a dry run shows it); a first take is hashed while it
 * uploads. Fails before any create when the creates do not fit in the quota.
 */
async function planAvatars(
  wanted: readonly Wanted[],
  context: AvatarContext,
  dryRun: boolean,
): Promise<Planned[]> {
  const personas = await context.client.list();
  const planned: Planned[] = [];
  for (const item of wanted) {
    const { spec, videos, record } = item;
    const sameName = personas.filter((persona) => persona.creator_name === spec.creatorName);
    // Deleting older takes needs to tell them from this video, so it is hashed for that too.
    const deletes = context.deleteReplaced && sameName.some((p) => fingerprintsOf(p).length > 0);
    const hash =
      videos.kind === "url" || dryRun || deletes || needsFingerprint(sameName, spec.ifExists);
    const fingerprint = hash ? await fingerprintOf(videos) : undefined;
    const decision = decide(sameName, fingerprint, spec.ifExists);
    const kept = decision.action === "reuse" ? decision.avatar : undefined;
    record.plan = {
      action: decision.action,
      fingerprint,
      avatarId: decision.action === "create" ? undefined : decision.avatar.id,
      replaces: decision.action === "create" ? decision.replaces?.id : undefined,
      reason: decision.reason,
      deletes:
        deletes && decision.action !== "refuse" ? plannedDeletes(sameName, kept, fingerprint) : [],
    };
    context.log.info(`Avatar "${spec.creatorName}": ${decision.action}, ${decision.reason}.`);
    const known = new Set(sameName.map((persona) => persona.id));
    planned.push({ ...item, decision, sameName, known });
  }
  await checkQuota(planned, context);
  return planned;
}

async function checkQuota(planned: readonly Planned[], context: AvatarContext): Promise<void> {
  const creates = planned.filter((item) => item.decision.action === "create");
  if (creates.length === 0) return;
  const { max_count, current_count } = await context.client.quota();
  const free = Math.max(0, max_count - current_count);
  if (creates.length <= free) return;
  const names = creates.map((item) => `"${item.spec.creatorName}"`).join(", ");
  throw new Error(
    `Creatify's custom avatar quota has ${free} free of ${max_count}, and this run was to create ${creates.length}: ${names}. Nothing was created; delete avatars or raise the plan's limit.`,
  );
}

/** A dry run without credentials: every input, entry and video was checked; nothing is sent. */
async function checkOnly(wanted: readonly Wanted[], context: AvatarContext): Promise<void> {
  for (const { spec, videos, record } of wanted) {
    record.plan = {
      action: "checked",
      fingerprint: await fingerprintOf(videos),
      avatarId: undefined,
      replaces: undefined,
      reason: "inputs and video checked; no credentials, so nothing was listed or decided",
      deletes: [],
    };
    context.log.info(`Avatar "${spec.creatorName}": checked (${record.plan.fingerprint}).`);
  }
}

function fingerprintOf(videos: Videos): Promise<string> {
  return videos.kind === "url"
    ? Promise.resolve(fingerprintOfUrl(videos.video))
    : fingerprintOfFile(videos.video.path);
}
