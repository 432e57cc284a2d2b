import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError, messageOf } from "../../errors.js";
import { openInWorkspace } from "../../files/workspace.js";
import type { Step } from "../../github/step.js";
import type { AvatarContext, Wanted } from "../context.js";
import { type BatchSettings, secretsOf } from "../inputs.js";
import { checkAvatar } from "../journey.js";
import { type SubmitOptions, submitAvatars } from "../submit.js";
import { type ComparedFile, changedFiles, type PushPayload } from "./changes.js";
import { type ManifestEntry, parseManifest } from "./manifest.js";

/**
 * Batch mode (SPEC §6): the manifest's entries (those whose videos the push changed, and
 * of those the ones `only` names) are checked before the first request, then planned and
 * carried out together; every entry is attempted even when one fails.
 */
export async function runBatch(
  settings: BatchSettings,
  step: Pick<Step, "workspace" | "env" | "addSecret">,
  context: AvatarContext,
  options: Omit<SubmitOptions, "maxParallel" | "onError">,
): Promise<void> {
  const { workspace, env } = step;
  const relativePath = path.relative(workspace, settings.manifest).split(path.sep).join("/");
  const { handle } = await openInWorkspace(
    { path: settings.manifest, relativePath },
    workspace,
    'Input "manifest"',
  );
  const text = await handle.readFile("utf8").finally(() => handle.close());
  const entries = parseManifest(text, relativePath, workspace, "reuse");
  for (const entry of entries) for (const secret of secretsOf(entry.spec)) step.addSecret(secret);
  const changed = settings.changedOnly
    ? await selectChanged(entries, settings, env, context)
    : entries;
  const selected = selectOnly(changed, settings.only, relativePath, entries);

  const wanted: (Wanted & { entry: ManifestEntry })[] = [];
  for (const entry of selected) {
    const checked = await checkAvatar(entry.spec, workspace, entry.describe, context).catch(
      (error) => {
        // Annotated on the entry's line, like the errors found while parsing the manifest.
        if (!(error instanceof InputError)) throw error;
        throw new InputError(error.message, { file: relativePath, line: entry.line });
      },
    );
    wanted.push({ ...checked, entry });
  }

  context.log.info(
    `Processing ${wanted.length} of ${entries.length} manifest entries, ${settings.maxParallel} at a time.`,
  );
  const failed = await submitAvatars(wanted, context, {
    ...options,
    maxParallel: settings.maxParallel,
    onError: (item, message) => {
      const { entry } = item as (typeof wanted)[number];
      context.log.error(`avatars[${entry.index}] (${entry.spec.creatorName}): ${message}`, {
        file: relativePath,
        line: entry.line,
      });
    },
  });
  if (failed.length > 0) {
    const names = failed.map((record) => record.creatorName).join(", ");
    throw new Error(`${failed.length} of ${wanted.length} avatars failed: ${names}.`);
  }
}

/** `only` after `changed-only` (SPEC §9); a name no entry has is an input error. */
function selectOnly(
  selected: ManifestEntry[],
  only: readonly string[],
  manifest: string,
  entries: readonly ManifestEntry[],
): ManifestEntry[] {
  if (only.length === 0) return selected;
  const names = new Set(entries.map((entry) => entry.spec.creatorName));
  const unknown = only.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new InputError(
      `Input "only": ${unknown.map((name) => `"${name}"`).join(", ")} is not a creator-name in ${manifest}.`,
    );
  }
  return selected.filter((entry) => only.includes(entry.spec.creatorName));
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
