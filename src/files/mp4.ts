// What an MP4/QuickTime header says about a video, for the job summary. Hand-written
// on purpose: four fields need only a walk over box headers, a few hundred lines, where a media
// library would read or pull in far more than that, and nothing already in the stack parses MP4.
import { type FileHandle, open } from "node:fs/promises";
import { messageOf } from "../errors.js";

/** What the `moov` box says, or why there is none to read. */
export type VideoHeader =
  | {
      readonly found: true;
      /** Undefined when the file does not say (fragmented files leave it 0). */
      readonly durationSeconds: number | undefined;
      /** The first video track's size as a player shows it, rotation applied. */
      readonly resolution: { readonly width: number; readonly height: number } | undefined;
      readonly hasVideo: boolean;
      readonly hasAudio: boolean;
    }
  | { readonly found: false; readonly reason: string };

/** Positioned reads of a file; `read` returns fewer bytes than asked only at its end. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

// A real moov is a few MiB even for an hour of 4K video (its sample tables); a hostile or broken
// file can claim gigabytes, and this is read into memory, so anything larger is not read.
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

interface Box {
  readonly type: string;
  readonly headerSize: number;
  readonly size: number;
}

/**
 * Decodes the header in `head` (8 bytes, or 16 with a 64-bit size) of a box at `offset` in a
 * region ending at `end`; a string says why there is no usable box there.
 */
function decodeHeader(head: Buffer, offset: number, end: number): Box | string {
  const pastEnd = `box at offset ${offset} runs past the end of the file`;
  if (head.length < 8) return pastEnd;
  const size32 = head.readUInt32BE(0);
  const type = head.toString("latin1", 4, 8);
  if (size32 === 1 && head.length < 16) return pastEnd;
  const size =
    size32 === 1 ? Number(head.readBigUInt64BE(8)) : size32 === 0 ? end - offset : size32;
  const headerSize = (size32 === 1 ? 16 : 8) + (type === "uuid" ? 16 : 0);
  // Every box moves the walk forward by at least its header, so no input can make it loop.
  if (size < headerSize) {
    return `box "${type}" at offset ${offset} has an impossible size (${size})`;
  }
  if (offset + size > end) return `box "${type}" at offset ${offset} runs past the end of the file`;
  return { type, headerSize, size };
}

/**
 * Walks the top-level boxes by their headers alone, wherever `moov` lies (often after gigabytes
 * of `mdat`), and reads only `moov` itself. Never throws: a failed read is a reason too.
 */
export async function parseVideoHeader(source: ByteSource): Promise<VideoHeader> {
  try {
    for (let offset = 0; offset < source.size; ) {
      let head = Buffer.from(await source.read(offset, 8));
      // Only a 64-bit size needs the next 8 bytes; other boxes' next bytes may be media data.
      if (head.length === 8 && head.readUInt32BE(0) === 1) {
        head = Buffer.concat([head, await source.read(offset + 8, 8)]);
      }
      const box = decodeHeader(head, offset, source.size);
      if (typeof box === "string") return { found: false, reason: box };
      if (box.type === "moov") return await readMoov(source, offset, box);
      offset += box.size;
    }
    return { found: false, reason: "no moov box before the end of the file" };
  } catch (error) {
    return readFailure(error);
  }
}

function readFailure(error: unknown): VideoHeader {
  const why = (error as NodeJS.ErrnoException).code ?? messageOf(error);
  return { found: false, reason: `the file cannot be read (${why})` };
}

async function readMoov(source: ByteSource, offset: number, box: Box): Promise<VideoHeader> {
  const length = box.size - box.headerSize;
  if (length > MAX_MOOV_BYTES) {
    const mib = MAX_MOOV_BYTES / 1024 / 1024;
    const reason = `box "moov" at offset ${offset} is larger than the ${mib} MiB this reads`;
    return { found: false, reason };
  }
  const moov = Buffer.from(await source.read(offset + box.headerSize, length));
  // The size was checked against the file's size before; a file being rewritten can still shrink.
  if (moov.length < length) {
    return { found: false, reason: `box "moov" at offset ${offset} runs past the end of the file` };
  }
  return parseMoov(moov);
}

/** Reads the header of a file by path, or of a handle the caller opened (and will close). */
export async function readVideoHeader(file: string | FileHandle): Promise<VideoHeader> {
  let handle: FileHandle | undefined;
  try {
    handle = typeof file === "string" ? await open(file, "r") : file;
    const { size } = await handle.stat();
    return await parseVideoHeader(fileSource(handle, size));
  } catch (error) {
    return readFailure(error);
  } finally {
    if (typeof file === "string") await handle?.close().catch(() => undefined);
  }
}

/** Positioned reads of an open file; exported so tests can count what is read. */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(
          buffer,
          filled,
          buffer.length - filled,
          offset + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/** The children of a box's body; a malformed child ends the walk, keeping what came before. */
function* children(body: Buffer): Generator<{ type: string; body: Buffer }> {
  for (let offset = 0; offset < body.length; ) {
    const box = decodeHeader(body.subarray(offset, offset + 16), offset, body.length);
    if (typeof box === "string") return;
    yield { type: box.type, body: body.subarray(offset + box.headerSize, offset + box.size) };
    offset += box.size;
  }
}

function child(body: Buffer | undefined, type: string): Buffer | undefined {
  for (const box of body ? children(body) : []) if (box.type === type) return box.body;
  return undefined;
}

function parseMoov(moov: Buffer): VideoHeader {
  let resolution: { width: number; height: number } | undefined;
  let hasVideo = false;
  let hasAudio = false;
  for (const trak of children(moov)) {
    if (trak.type !== "trak") continue;
    const handler = child(child(trak.body, "mdia"), "hdlr");
    // hdlr: version and flags, then QuickTime's component type (zero in MP4), then the handler.
    const kind = handler && handler.length >= 12 ? handler.toString("latin1", 8, 12) : "";
    if (kind === "soun") hasAudio = true;
    if (kind !== "vide") continue;
    hasVideo = true;
    resolution ??= displaySize(child(trak.body, "tkhd"));
  }
  return {
    found: true,
    durationSeconds: movieDuration(child(moov, "mvhd")),
    resolution,
    hasVideo,
    hasAudio,
  };
}

/**
 * The movie's duration from `mvhd` rather than a track's `mdhd`: it is the length a player shows,
 * edit lists applied, and one number where tracks may differ by a few frames.
 */
function movieDuration(mvhd: Buffer | undefined): number | undefined {
  if (!mvhd) return undefined;
  const v1 = mvhd[0] === 1;
  const at = v1 ? 20 : 12; // after version, flags, and creation and modification times
  if (mvhd.length < at + (v1 ? 12 : 8)) return undefined;
  const timescale = mvhd.readUInt32BE(at);
  const duration = v1 ? mvhd.readBigUInt64BE(at + 4) : BigInt(mvhd.readUInt32BE(at + 4));
  // All ones is how the format writes "unknown".
  const unknown = v1 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
  if (timescale === 0 || duration === 0n || duration === unknown) return undefined;
  return Number(duration) / timescale;
}

function displaySize(tkhd: Buffer | undefined): { width: number; height: number } | undefined {
  if (!tkhd) return undefined;
  // The matrix follows the times, track id and duration (wider in version 1), then 16 bytes.
  const matrix = 4 + (tkhd[0] === 1 ? 32 : 20) + 16;
  if (tkhd.length < matrix + 44) return undefined;
  const width = Math.round(tkhd.readUInt32BE(matrix + 36) / 65536);
  const height = Math.round(tkhd.readUInt32BE(matrix + 40) / 65536);
  if (width === 0 || height === 0) return undefined;
  // Phones store portrait video as landscape frames that the matrix turns a quarter.
  const quarterTurn = tkhd.readInt32BE(matrix) === 0 && tkhd.readInt32BE(matrix + 4) !== 0;
  return quarterTurn ? { width: height, height: width } : { width, height };
}

/**
 * What the step warns of before any upload: no header, no video or no audio track. `name` names
 * the input (`Input "video"`), `file` the path.
 */
export function headerWarnings(header: VideoHeader, name: string, file: string): string[] {
  const subject = `${name}: "${file}"`;
  if (!header.found) {
    const guess = "is it a truncated copy or a recording still in progress?";
    return [`${subject} has no readable MP4 header (${header.reason}); ${guess}`];
  }
  const warnings: string[] = [];
  if (!header.hasVideo)
    warnings.push(`${subject} has no video track; an avatar is made from a video of a person.`);
  if (!header.hasAudio) {
    warnings.push(`${subject} has no audio track; a lipsync video needs a person speaking.`);
  }
  return warnings;
}

/** `12.5 s · 1920×1080 · audio`, for the summary; what the header does not say is left out. */
export function formatVideoHeader(header: VideoHeader): string {
  if (!header.found) return "no MP4 header";
  const { durationSeconds: seconds, resolution: size } = header;
  return [
    seconds === undefined ? "" : `${Number(seconds.toFixed(1))} s`,
    size ? `${size.width}×${size.height}` : header.hasVideo ? "" : "no video",
    header.hasAudio ? "audio" : "no audio",
  ]
    .filter(Boolean)
    .join(" · ");
}
