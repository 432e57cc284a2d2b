import path from "node:path";
import { InputError } from "../../errors.js";
import { openInWorkspace } from "../../files/workspace.js";
import { changedSince, githubReads } from "../../github/changes.js";
import type { Step } from "../../github/step.js";
import { urlSecrets } from "../../text.js";
import type { AvatarContext, Wanted } from "../context.js";
import type { BatchSettings } from "../inputs.js";
import { checkAvatar } from "../journey.js";
import { type SubmitOptions, submitAvatars } from "../submit.js";
import { type ManifestEntry, parseManifest } from "./manifest.js";

/**
 * Batch mode (a manifest): the manifest's entries (those whose videos the push changed, and
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
  for (const entry of entries)
    for (const secret of urlSecrets(entry.spec.webhookUrl)) step.addSecret(secret);
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

/** `only` after `changed-only`; a name no entry has is an input error. */
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
  const videos = entries.flatMap((entry) =>
    [entry.spec.video, entry.spec.consentVideo].flatMap((video) =>
      video?.kind === "file" ? [video.relativePath] : [],
    ),
  );
  const changes = await changedSince(videos, env, githubReads(settings.githubToken));
  if (changes.kind === "all") {
    context.log.notice(`changed-only: ${changes.reason}, so every manifest entry is considered.`);
    return entries;
  }
  const touched = (video: ManifestEntry["spec"]["video"] | undefined) =>
    video?.kind === "file" && changes.files.has(video.relativePath);
  const selected = entries.filter(
    (entry) => touched(entry.spec.video) || touched(entry.spec.consentVideo),
  );
  context.log.info(
    `changed-only: since ${changes.base}, ${changes.files.size} manifest videos changed; ${selected.length} of ${entries.length} manifest entries affected.`,
  );
  return selected;
}
