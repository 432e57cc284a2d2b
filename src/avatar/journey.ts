import { Input } from "../constants.js";
import { CreatifyError } from "../creatify/errors.js";
import { type Persona, statusOf, verdictOf } from "../creatify/persona.js";
import { formatBytes } from "../creatify/upload.js";
import { LAST_READ_GRACE_MS, waitForVerdict } from "../creatify/wait.js";
import { formatDuration } from "../duration.js";
import { messageOf } from "../errors.js";
import { formatVideoHeader, headerWarnings } from "../files/mp4.js";
import { inspectVideo } from "../files/video.js";
import type { WorkspaceFile } from "../files/workspace.js";
import { reasonOf } from "../text.js";
import type { AvatarContext, Planned, Videos, Wanted } from "./context.js";
import { createAvatar } from "./create.js";
import type { AvatarSpec } from "./inputs.js";
import { type AvatarRecord, newRecord } from "./record.js";
import { deleteReplaced } from "./replaced.js";

/**
 * Checks the videos a spec names before anything is sent: files must exist, stay in the
 * workspace and be MP4 or QuickTime (`describe` names the field at fault); what their
 * headers say only warns. The record it starts joins the report once every avatar is checked.
 */
export async function checkAvatar(
  spec: AvatarSpec,
  workspace: string,
  describe: (key: typeof Input.Video | typeof Input.ConsentVideo) => string,
  context: AvatarContext,
): Promise<Wanted> {
  const { video, consentVideo } = spec;
  let videos: Videos;
  if (video.kind === "url") {
    const consent = consentVideo?.kind === "url" ? consentVideo.url : undefined;
    videos = { kind: "url", video: video.url, consent };
  } else {
    const inspect = async (file: WorkspaceFile, key: Parameters<typeof describe>[0]) => {
      const checked = await inspectVideo(file, workspace, describe(key));
      for (const line of headerWarnings(checked.header, describe(key), file.relativePath)) {
        context.log.warning(line);
      }
      return checked;
    };
    videos = {
      kind: "file",
      video: await inspect(video, Input.Video),
      consent:
        consentVideo?.kind === "file" ? await inspect(consentVideo, Input.ConsentVideo) : undefined,
    };
  }
  const name = video.kind === "url" ? video.url : video.relativePath;
  const record = newRecord(name, spec.creatorName, context.now());
  if (videos.kind === "file") {
    record.sent = `${formatBytes(videos.video.size)} · ${formatVideoHeader(videos.video.header)}`;
  }
  return { spec, videos, record };
}

/**
 * Reads an existing avatar by id (`avatar-id`) into a new record of the report. The id is
 * an output even when the read fails. When the step is to wait, this first read is already
 * part of the wait and keeps its deadline.
 */
export async function lookUpAvatar(id: string, context: AvatarContext): Promise<AvatarRecord> {
  const { wait } = context;
  const record = context.report.add(newRecord("", "", context.now()));
  record.id = id;
  const deadline = wait.enabled ? context.now() + wait.timeoutMs + LAST_READ_GRACE_MS : undefined;
  const persona = await context.client.get(id, deadline);
  record.persona = persona;
  record.creatorName = persona.creator_name;
  context.log.info(`Avatar "${persona.creator_name}" (${persona.id}) is ${statusOf(persona)}.`);
  return record;
}

/** Carries out what was decided for one avatar, then follows it. */
export async function carryOut(planned: Planned, context: AvatarContext): Promise<void> {
  const { decision, record, spec } = planned;
  const name = `Avatar "${spec.creatorName}"`;
  if (decision.action === "refuse") {
    // A rejected take's verdict is this avatar's too; an avatar that merely exists is not.
    if (verdictOf(decision.avatar) === "failed") record.persona = decision.avatar;
    throw new Error(`${name}: ${decision.reason}.`);
  }
  let checkFirstRead: ((persona: Persona) => void) | undefined;
  if (decision.action === "reuse") {
    record.persona = decision.avatar;
    record.id = decision.avatar.id;
    record.reused = true;
    const line = `${name}: reusing ${decision.avatar.id}, nothing uploaded: ${decision.reason}.`;
    if (decision.uncompared) context.log.notice(line);
    else context.log.info(line);
  } else {
    const created = await createAvatar(planned, context);
    record.persona = created.persona;
    record.id = created.persona.id;
    checkFirstRead = created.checkFirstRead;
    const replaces = decision.replaces ? `, replacing ${decision.replaces.id}` : "";
    context.log.info(
      `${name}: created ${record.persona.id} (${statusOf(record.persona)})${replaces}.`,
    );
  }
  await followAvatar(record, context, checkFirstRead);
  await deleteReplaced(record, planned.sameName, context);
}

/**
 * Follows an avatar whose id is known: waits for a verdict when asked to, and
 * throws when it failed, or timed out with `fail-on-timeout`. A new avatar (`onFirstRead`)
 * is read once in any case, for what its create's answer lacks (the first contact):
 * with `wait`, that is the wait's first read.
 */
export async function followAvatar(
  record: AvatarRecord,
  context: AvatarContext,
  onFirstRead?: (persona: Persona) => void,
): Promise<void> {
  const initial = record.persona;
  if (!initial) throw new Error(`avatar "${record.creatorName}" has no id to follow`);
  const name = `Avatar "${record.creatorName}" (${initial.id})`;
  const track = (persona: Persona, elapsedMs: number) => {
    record.persona = persona;
    record.creatorName = persona.creator_name || record.creatorName;
    record.timeline.push({ status: statusOf(persona), elapsedMs });
  };

  let firstRead = onFirstRead;
  const read = async (deadline?: number) => {
    record.persona = await context.client.get(initial.id, deadline);
    firstRead?.(record.persona);
    firstRead = undefined;
    return record.persona;
  };
  try {
    // A new avatar is read once whatever its create's answer says, `failed` and `rejected`
    // included; when waiting, the wait's first read is that one.
    const readFirst =
      onFirstRead && !(context.wait.enabled && verdictOf(initial) === "in-progress");
    const first = readFirst ? await readNew(name, context, read, initial) : initial;
    if (context.wait.enabled) await waitFor(record, first, name, context, track, read);
    else track(first, 0);
  } finally {
    record.finishedAt = context.now();
  }
  const persona = record.persona ?? initial;
  if (verdictOf(persona) === "failed") {
    throw new Error(`${name} was ${statusOf(persona)}: ${reasonOf(persona.failed_reason)}`);
  }
}

/**
 * The read of a new avatar when not waiting. It failing does not fail a step whose avatar
 * was created: the create's answer stands in, and says less.
 */
async function readNew(
  name: string,
  context: AvatarContext,
  read: () => Promise<Persona>,
  created: Persona,
): Promise<Persona> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CreatifyError && error.reason === "other-id") throw error;
    context.log.warning(
      `${name} was created, but reading it back failed (${messageOf(error)}); its outputs come from the create's answer, which has no is_active or previews.`,
    );
    return created;
  }
}

/** Polls for a verdict; throws on a timeout when `fail-on-timeout` asks for it. */
async function waitFor(
  record: AvatarRecord,
  initial: Persona,
  name: string,
  context: AvatarContext,
  track: (persona: Persona, elapsedMs: number) => void,
  read: (deadline: number) => Promise<Persona>,
): Promise<void> {
  const { log, wait } = context;
  log.info(`Waiting up to ${formatDuration(wait.timeoutMs)} for ${name} to be approved.`);
  const result = await waitForVerdict(initial, wait, {
    verdict: verdictOf,
    state: (persona) => `${statusOf(persona)} ${persona.is_active === true}`,
    // Every read, changed or not, is the "last persona seen" of the outputs and of a cancel.
    read,
    now: context.now,
    sleep: context.sleep,
    random: context.random,
    onChange: (persona, elapsedMs) => {
      track(persona, elapsedMs);
      const approved = persona.is_active ? ", approved" : "";
      log.info(`${name}: ${statusOf(persona)}${approved} after ${formatDuration(elapsedMs)}`);
    },
    onHeartbeat: (persona, elapsedMs) => {
      log.info(`${name}: still ${statusOf(persona)} after ${formatDuration(elapsedMs)}`);
    },
    onReadError: (error) => log.warning(`${name}: ${error.message}; polling on.`),
  });
  if (result.outcome === "timeout") {
    record.waitedMs = wait.timeoutMs;
    const message =
      `${name} is still ${statusOf(result.last)} after ${formatDuration(wait.timeoutMs)}. ` +
      `Follow it up later with avatar-id: ${initial.id} and wait: true (e.g. in a scheduled workflow).`;
    if (wait.failOnTimeout) throw new Error(message);
    log.warning(message);
  }
}
