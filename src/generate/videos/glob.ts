import { glob } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../../errors.js";
import { type WorkspaceFile, workspacePath } from "../../files/workspace.js";
import { plain } from "../../input-rules.js";

/** Videos one step takes at most: each is checked, read and waited for in one run. */
export const MAX_VIDEO_FILES = 100;
/** Folders no video file is looked for in: a checkout's history and installed packages. */
const SKIPPED = new Set([".git", "node_modules"]);

/**
 * The files the `videos` input names: a glob, or globs one per line, relative to the
 * workspace (no absolute path, no `..`), sorted by path, each once. Matching nothing is an
 * error: a glob that finds no file is a typo more often than an empty folder.
 */
export async function findVideoFiles(
  patterns: string,
  workspace: string,
  name: string,
): Promise<WorkspaceFile[]> {
  const globs = patterns
    .split(/\r?\n/)
    .map((line) => plain(line.trim(), name))
    .filter((line) => line !== "");
  if (globs.length === 0) throw new InputError(`${name}: give a glob of video files.`);
  const found = new Map<string, WorkspaceFile>();
  for (const pattern of globs) {
    if (path.isAbsolute(pattern) || pattern.split(/[\\/]/).includes("..")) {
      throw new InputError(`${name}: "${pattern}" is outside the workspace (${workspace}).`);
    }
    const matches = glob(pattern, {
      cwd: workspace,
      withFileTypes: true,
      exclude: (entry) => SKIPPED.has(entry.name),
    });
    for await (const entry of matches) {
      if (entry.isDirectory()) continue;
      const file = workspacePath(path.join(entry.parentPath, entry.name), workspace, name);
      found.set(file.relativePath, file);
      if (found.size > MAX_VIDEO_FILES) {
        throw new InputError(`${name}: matches more than ${MAX_VIDEO_FILES} files.`);
      }
    }
  }
  if (found.size === 0) {
    throw new InputError(`${name}: ${globs.map((g) => `"${g}"`).join(", ")} matches no file.`);
  }
  return [...found.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}
