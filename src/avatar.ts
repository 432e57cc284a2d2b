import { Input } from "./constants.js";
import type { AvatarFields, CreatifyClient } from "./creatify/client.js";
import { type Persona, statusOf, verdictOf } from "./creatify/persona.js";
import { formatDuration } from "./duration.js";
import type { AvatarSpec, WaitSettings } from "./inputs.js";
import type { Log } from "./log.js";
import { type AvatarRecord, newRecord, type Report } from "./report.js";
import { inspectVideo, type VideoFile } from "./video.js";
import { LAST_READ_GRACE_MS, waitForVerdict } from "./wait.js";

/** What every avatar's journey needs: the API, the log, the report and the clock. */
export interface AvatarContext {
  readonly client: CreatifyClient;
  readonly log: Log;
  readonly report: Report;
  readonly wait: WaitSettings;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** A spec's videos, checked and ready to send: files inspected on disk, or URLs. */
export type Videos =
  | { readonly kind: "file"; readonly video: VideoFile; readonly consent: VideoFile | undefined }
  | { readonly kind: "url"; readonly video: string; readonly consent: string | undefined };

/**
 * Checks the videos a spec names before anything is sent: files must exist, stay
 * in the workspace and be MP4 or QuickTime. `describe` names the field at fault.
 */
export async function checkVideos(
  spec: AvatarSpec,
  workspace: string,
  describe: (key: typeof Input.Video | typeof Input.ConsentVideo) => string,
): Promise<Videos> {
  const { video, consentVideo } = spec;
  if (video.kind === "url") {
    return {
      kind: "url",
      video: video.url,
      consent: consentVideo?.kind === "url" ? consentVideo.url : undefined,
    };
  }
  return {
    kind: "file",
    video: await inspectVideo(video, workspace, describe(Input.Video)),
    consent:
      consentVideo?.kind === "file"
        ? await inspectVideo(consentVideo, workspace, describe(Input.ConsentVideo))
        : undefined,
  };
}

/** Starts the report's record of a spec's avatar, named by its video as the user gave it. */
export function recordAvatar(spec: AvatarSpec, context: AvatarContext): AvatarRecord {
  const video = spec.video.kind === "url" ? spec.video.url : spec.video.relativePath;
  return context.report.add(newRecord(video, spec.creatorName, context.now()));
}

/**
 * Reads an existing avatar by id (`avatar-id`) into a new record of the report. When
 * the step is to wait, this first read is already part of the wait and keeps its deadline.
 */
export async function lookUpAvatar(id: string, context: AvatarContext): Promise<AvatarRecord> {
  const { wait } = context;
  const deadline = wait.enabled ? context.now() + wait.timeoutMs + LAST_READ_GRACE_MS : undefined;
  const persona = await context.client.get(id, deadline);
  const record = context.report.add(newRecord("", persona.creator_name, context.now()));
  record.persona = persona;
  context.log.info(`Avatar "${persona.creator_name}" (${persona.id}) is ${statusOf(persona)}.`);
  return record;
}

/**
 * Gets the avatar a spec asks for: an existing one with the same name (per
 * `if-exists`), or a new one after the quota check. Sets `record.persona`.
 */
export async function submitAvatar(
  spec: AvatarSpec,
  videos: Videos,
  record: AvatarRecord,
  context: AvatarContext,
): Promise<void> {
  const { client, log } = context;
  const sameName = (await client.list()).filter(
    (persona) => persona.creator_name === spec.creatorName,
  );
  const existing = newest(sameName.filter((persona) => verdictOf(persona) !== "failed"));
  if (existing && spec.ifExists !== "create") {
    const description = `avatar "${spec.creatorName}" (${existing.id}, ${statusOf(existing)})`;
    if (spec.ifExists === "fail") {
      throw new Error(
        `An ${description} already exists; set if-exists to reuse it or to create another.`,
      );
    }
    log.info(`Reusing the existing ${description}; nothing uploaded.`);
    record.persona = existing;
    record.reused = true;
    return;
  }

  const fields: AvatarFields = {
    creator_name: spec.creatorName,
    gender: spec.gender,
    video_scene: spec.videoScene,
    keywords: spec.keywords,
    webhook_url: spec.webhookUrl,
    labels: spec.labels,
  };
  const known = new Set(sameName.map((persona) => persona.id));
  let persona: Persona;
  if (videos.kind === "file") {
    const quota = await client.quota();
    if (quota.current_count >= quota.max_count) {
      throw new Error(
        `Custom avatar quota reached (${quota.current_count} of ${quota.max_count}); nothing uploaded. Delete an avatar or raise the plan's limit.`,
      );
    }
    persona = await client.createFromFiles(fields, videos.video, videos.consent, known);
  } else {
    persona = await client.createFromUrls(fields, videos.video, videos.consent, known);
  }
  log.info(`Submitted avatar "${spec.creatorName}": ${persona.id} (${statusOf(persona)}).`);
  record.persona = persona;
}

/**
 * Follows an avatar whose id is known: waits for a verdict when asked to, and
 * throws when it failed, or timed out with `fail-on-timeout`.
 */
export async function followAvatar(record: AvatarRecord, context: AvatarContext): Promise<void> {
  const initial = record.persona;
  if (!initial) throw new Error(`avatar "${record.creatorName}" has no id to follow`);
  const name = `Avatar "${record.creatorName}" (${initial.id})`;
  const track = (persona: Persona, elapsedMs: number) => {
    record.persona = persona;
    record.creatorName = persona.creator_name || record.creatorName;
    record.timeline.push({ status: statusOf(persona), elapsedMs });
  };

  try {
    if (context.wait.enabled) await waitFor(record, initial, name, context, track);
    else track(initial, 0);
  } finally {
    record.finishedAt = context.now();
  }
  const persona = record.persona ?? initial;
  if (verdictOf(persona) === "failed") {
    throw new Error(
      `${name} was ${statusOf(persona)}: ${persona.failed_reason || "no reason given"}`,
    );
  }
}

/** Polls for a verdict; throws on a timeout when `fail-on-timeout` asks for it. */
async function waitFor(
  record: AvatarRecord,
  initial: Persona,
  name: string,
  context: AvatarContext,
  track: (persona: Persona, elapsedMs: number) => void,
): Promise<void> {
  const { client, log, wait } = context;
  log.info(`Waiting up to ${formatDuration(wait.timeoutMs)} for ${name} to be approved.`);
  const result = await waitForVerdict(initial, wait, {
    // Every read, changed or not, is the "last persona seen" of the outputs and of a cancel.
    read: async (deadline) => {
      record.persona = await client.get(initial.id, deadline);
      return record.persona;
    },
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
    const message =
      `${name} is still ${statusOf(result.persona)} after ${formatDuration(wait.timeoutMs)}. ` +
      `Follow it up later with avatar-id: ${initial.id} and wait: true (e.g. in a scheduled workflow).`;
    if (wait.failOnTimeout) throw new Error(message);
    log.warning(message);
  }
}

function newest(personas: Persona[]): Persona | undefined {
  const time = (persona: Persona) => Date.parse(persona.created_at ?? "") || 0;
  return personas.reduce<Persona | undefined>(
    (best, persona) => (!best || time(persona) >= time(best) ? persona : best),
    undefined,
  );
}
