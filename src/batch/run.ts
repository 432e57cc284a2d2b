import { readFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import {
  type AvatarContext,
  checkVideos,
  followAvatar,
  recordAvatar,
  submitAvatar,
  type Videos,
} from "../avatar.js";
import { InputError, messageOf } from "../errors.js";
import { type BatchSettings, secretsOf } from "../inputs.js";
import { type ComparedFile, changedFiles, type PushPayload } from "./changes.js";
import { type ManifestEntry, parseManifest } from "./manifest.js";

/**
 * Batch mode (SPEC §6): every manifest entry (or those whose videos the push
 * changed) goes through the single-avatar path, `max-parallel` at a time. All are
 * checked before the first request; all are attempted even when one fails.
 */
export async function runBatch(
  settings: BatchSettings,
  workspace: string,
  env: NodeJS.ProcessEnv,
  context: AvatarContext,
): Promise<void> {
  const manifestName = path.relative(workspace, settings.manifest).split(path.sep).join("/");
  const text = await readFile(settings.manifest, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`Input "manifest": "${manifestName}" cannot be read (${error.code}).`);
  });
  const entries = parseManifest(text, manifestName, workspace, "reuse");
  const selected = settings.changedOnly
    ? await selectChanged(entries, settings, env, context)
    : entries;

  const checked: { entry: ManifestEntry; videos: Videos }[] = [];
  for (const entry of selected) {
    const videos = await checkVideos(entry.spec, workspace, entry.describe).catch((error) => {
      // Annotated on the entry's line, like the errors found while parsing the manifest.
      if (!(error instanceof InputError)) throw error;
      throw new InputError(error.message, { file: manifestName, line: entry.line });
    });
    checked.push({ entry, videos });
    secretsOf(entry.spec).forEach(core.setSecret);
  }

  const { report, log } = context;
  report.batch = true;
  const jobs = checked.map(({ entry, videos }) => {
    const record = recordAvatar(entry.spec, context);
    return async () => {
      try {
        await submitAvatar(entry.spec, videos, record, context);
        await followAvatar(record, context);
      } catch (error) {
        record.error = messageOf(error);
        record.finishedAt = context.now();
        core.error(`avatars[${entry.index}] (${entry.spec.creatorName}): ${record.error}`, {
          file: manifestName,
          startLine: entry.line,
        });
      }
    };
  });
  log.info(
    `Processing ${jobs.length} of ${entries.length} manifest entries, ${settings.maxParallel} at a time.`,
  );
  await runPool(jobs, settings.maxParallel);

  const failed = report.records.filter((record) => record.error);
  if (failed.length > 0) {
    const names = failed.map((record) => record.creatorName).join(", ");
    throw new Error(`${failed.length} of ${report.records.length} avatars failed: ${names}.`);
  }
}

async function selectChanged(
  entries: ManifestEntry[],
  settings: BatchSettings,
  env: NodeJS.ProcessEnv,
  context: AvatarContext,
): Promise<ManifestEntry[]> {
  const payload = await readEvent(env.GITHUB_EVENT_PATH);
  // The runner always names the event; without it (a local run), a payload with commits is a push.
  const eventName = env.GITHUB_EVENT_NAME || (Array.isArray(payload.commits) ? "push" : "unknown");
  const repository = env.GITHUB_REPOSITORY || payload.repository?.full_name || "";
  const changes = await changedFiles(eventName, payload, (base, head) =>
    compareCommits(settings.githubToken, repository, base, head),
  );
  if (changes.kind === "all") {
    context.log.info(`changed-only: ${changes.reason}, so every manifest entry is processed.`);
    return entries;
  }
  const touched = (video: ManifestEntry["spec"]["video"] | undefined) =>
    video?.kind === "file" && changes.files.has(video.relativePath);
  const selected = entries.filter(
    (entry) => touched(entry.spec.video) || touched(entry.spec.consentVideo),
  );
  context.log.info(
    `changed-only: ${changes.files.size} files changed according to ${changes.source}; ${selected.length} of ${entries.length} manifest entries affected.`,
  );
  return selected;
}

async function readEvent(eventPath: string | undefined): Promise<PushPayload> {
  if (!eventPath) return {};
  try {
    return JSON.parse(await readFile(eventPath, "utf8")) as PushPayload;
  } catch (error) {
    throw new InputError(
      `changed-only: the event payload ${eventPath} cannot be read (${messageOf(error)}).`,
    );
  }
}

/** The compare API through @actions/github, loaded only when a truncated push needs it. */
async function compareCommits(
  token: string,
  repository: string,
  base: string,
  head: string,
): Promise<ComparedFile[]> {
  if (!token)
    throw new InputError('Input "github-token" is required to list the files of this push.');
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) {
    throw new Error("GITHUB_REPOSITORY is not set; cannot list the files of this push.");
  }
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(token);
  try {
    // Only the first page lists files (up to 300); later pages only add commits.
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return data.files ?? [];
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const http = typeof status === "number" ? `HTTP ${status}: ` : "";
    const hint = [401, 403, 404].includes(status as number)
      ? `; "github-token" needs "contents: read" on ${owner}/${repo}`
      : "";
    throw new Error(
      `changed-only: GitHub's compare API did not list the files of this push (${http}${messageOf(error)})${hint}.`,
    );
  }
}

/** Runs the jobs with at most `limit` at once; resolves when all have settled. */
export async function runPool(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}
