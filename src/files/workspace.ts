import { type FileHandle, lstat, open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";

/** A file the user named, resolved against the workspace. */
export interface WorkspaceFile {
  /** Absolute. */
  readonly path: string;
  /** Relative to the workspace, with forward slashes, as the user would write it. */
  readonly relativePath: string;
}

/**
 * The one path rule, for videos and the manifest alike: a path stays inside the workspace.
 * Only a `..` segment leaves it; a name that merely starts with two dots (`..intro.mp4`) is in.
 */
function leaves(relative: string): boolean {
  return (
    relative === "" ||
    relative === ".." ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  );
}

/** Resolves a path against the workspace; `name` names the input for the error. */
export function workspacePath(text: string, workspace: string, name: string): WorkspaceFile {
  const absolute = path.resolve(workspace, text);
  const relative = path.relative(workspace, absolute);
  if (leaves(relative)) {
    throw new InputError(`${name}: "${text}" is outside the workspace (${workspace}).`);
  }
  return { path: absolute, relativePath: relative.split(path.sep).join("/") };
}

/**
 * Opens a workspace file for reading after checking it is a file that stays inside the
 * workspace through its symlinks too; the caller closes the handle.
 */
export async function openInWorkspace(
  file: WorkspaceFile,
  workspace: string,
  name: string,
): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new InputError(`${name}: "${file.relativePath}" ${why}.`);
  }
  try {
    const [stats, realFile, realWorkspace] = await Promise.all([
      handle.stat(),
      realpath(file.path),
      realpath(workspace),
    ]);
    if (leaves(path.relative(realWorkspace, realFile))) {
      throw new InputError(`${name}: "${file.relativePath}" links outside the workspace.`);
    }
    if (!stats.isFile()) throw new InputError(`${name}: "${file.relativePath}" is not a file.`);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * A file the action is to write, checked before anything is sent: inside the workspace, not a
 * directory, and under no symlinked folder that leads out of it (the nearest folder that
 * exists is resolved). Missing folders are made when the file is written.
 */
export async function writableInWorkspace(
  text: string,
  workspace: string,
  name: string,
): Promise<WorkspaceFile> {
  if (/[\\/]$/.test(text))
    throw new InputError(`${name}: "${text}" names a directory, not a file.`);
  const file = workspacePath(text, workspace, name);
  const existing = await lstat(file.path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new InputError(`${name}: "${file.relativePath}" is a directory, not a file.`);
  }
  let folder = path.dirname(file.path);
  for (;;) {
    const real = await realpath(folder).catch(() => undefined);
    if (real !== undefined) {
      const root = await realpath(workspace);
      // The workspace itself is a fine folder for the file; only a folder outside it is not.
      if (real !== root && leaves(path.relative(root, real))) {
        throw new InputError(`${name}: "${file.relativePath}" links outside the workspace.`);
      }
      if (!(await stat(real)).isDirectory()) {
        const shown = path.relative(workspace, folder).split(path.sep).join("/");
        throw new InputError(
          `${name}: "${file.relativePath}" cannot be written: "${shown}" is a file, not a folder.`,
        );
      }
      return file;
    }
    folder = path.dirname(folder);
  }
}
