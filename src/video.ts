import { open, realpath } from "node:fs/promises";
import path from "node:path";
import { InputError } from "./errors.js";

export type VideoContentType = "video/mp4" | "video/quicktime";

/** What the upload needs to know of a video file, learnt before any request. */
export interface VideoFile {
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly contentType: VideoContentType;
}

/** Boxes that may precede `ftyp` in QuickTime files written by older tools. */
const SKIPPABLE_BOXES = new Set(["wide", "free", "skip"]);
const SNIFF_BYTES = 4096;

/**
 * Checks a video file is there, non-empty, inside the workspace (also through
 * symlinks) and an MP4 or QuickTime file by its bytes; `name` names the input.
 */
export async function inspectVideo(
  file: { path: string; relativePath: string },
  workspace: string,
  name: string,
): Promise<VideoFile> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new InputError(`${name}: "${file.relativePath}" ${why}.`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputError(`${name}: "${file.relativePath}" is not a file.`);
    if (stats.size === 0) throw new InputError(`${name}: "${file.relativePath}" is empty.`);
    const [realFile, realWorkspace] = await Promise.all([realpath(file.path), realpath(workspace)]);
    if (path.relative(realWorkspace, realFile).startsWith("..")) {
      throw new InputError(`${name}: "${file.relativePath}" links outside the workspace.`);
    }
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, stats.size));
    await handle.read(head, 0, head.length, 0);
    const contentType = sniffContentType(head);
    if (!contentType) {
      throw new InputError(
        `${name}: "${file.relativePath}" is not an MP4 or QuickTime video (no ftyp box).`,
      );
    }
    return { ...file, size: stats.size, contentType };
  } finally {
    await handle.close();
  }
}

/**
 * Reads the ISO base media file type box: brand `qt  ` is QuickTime, any other
 * brand is MP4. Returns undefined when the bytes are not such a file.
 */
export function sniffContentType(head: Uint8Array): VideoContentType | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    const size = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    if (type === "ftyp") {
      return bytes.toString("latin1", offset + 8, offset + 12) === "qt  "
        ? "video/quicktime"
        : "video/mp4";
    }
    if (!SKIPPABLE_BOXES.has(type) || size < 8) return undefined;
    offset += size;
  }
  return undefined;
}
