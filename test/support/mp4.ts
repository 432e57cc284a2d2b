// Small MP4/QuickTime files with real box structure (ftyp, moov with mvhd and traks, mdat) for
// the header reader and any test that needs a believable video. Large files are written sparse:
// only the boxes' bytes are written and the media data is a hole, so 3 GiB costs no disk.
import { open } from "node:fs/promises";
import type { ByteSource } from "../../src/files/mp4.ts";

export interface Mp4Spec {
  /** Major brand of `ftyp`; `qt  ` makes a QuickTime file (with its `wide` box and `mhlr`). */
  brand?: string;
  /** Written to `mvhd`; 0 writes the "unknown" a fragmented file has. */
  durationSeconds?: number;
  /**
   * A video track of this size (1920×1080 by default), `rotate` turning it a quarter as a phone
   * held upright records; false for none.
   */
  video?: { width: number; height: number; rotate?: boolean } | false;
  audio?: boolean;
  /** Bytes of media data; past 4 GiB the `mdat` size is 64-bit whatever `largeMdat` says. */
  mdatSize?: number;
  /** Where `moov` goes: before the media data, after it (the default), or nowhere (a recording). */
  moov?: "first" | "last" | "none";
  /** `mdat` with a 64-bit size (size field 1). */
  largeMdat?: boolean;
  /** `mdat` with size 0 (to the end of the file), so the last box whatever `moov` says. */
  mdatToEnd?: boolean;
  /** Version 1 (64-bit times) of mvhd, tkhd and mdhd. */
  version1?: boolean;
  /** A `uuid` box among the top-level boxes and another inside `moov`. */
  uuid?: boolean;
  /** Bytes cut off the end, as a copy interrupted or a recording still in progress. */
  truncateBy?: number;
}

/** Where each box's bytes go; everything else is zero (media data). */
export interface Mp4Layout {
  size: number;
  parts: { offset: number; bytes: Buffer }[];
  /** The media data's range, which a header reader must not touch. */
  media: { start: number; end: number };
}

const TIMESCALE = 1000;
const IDENTITY = [0x1_0000, 0, 0, 0, 0x1_0000, 0, 0, 0, 0x4000_0000];
const QUARTER_TURN = [0, 0x1_0000, 0, -0x1_0000, 0, 0, 0, 0, 0x4000_0000];

/** Big-endian 32-bit words; negative values are written as two's complement. */
export function u32(...values: number[]): Buffer {
  const bytes = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => {
    bytes.writeUInt32BE(value >>> 0, 4 * i);
  });
  return bytes;
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

export function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  return box(type, u32((version << 24) | flags), ...parts);
}

/** Creation and modification times, then `middle`, then a duration: 32 or 64 bits each. */
function times(v1: boolean, middle: Buffer, duration: number): Buffer {
  const word = v1 ? u64 : (value: number) => u32(value);
  return Buffer.concat([word(0), word(0), middle, word(duration)]);
}

function track(spec: Mp4Spec, id: number, kind: "vide" | "soun"): Buffer {
  const v1 = spec.version1 === true;
  const version = v1 ? 1 : 0;
  const duration = Math.round((spec.durationSeconds ?? 12.5) * TIMESCALE);
  const video = kind === "vide" ? spec.video || { width: 1920, height: 1080 } : undefined;
  const quickTime = spec.brand === "qt  ";
  const name = kind === "vide" ? "VideoHandler" : "SoundHandler";
  return box(
    "trak",
    fullBox(
      "tkhd",
      version,
      3, // enabled, in the movie
      times(v1, u32(id, 0), duration),
      u32(0, 0, 0, kind === "soun" ? 0x0100_0000 : 0), // reserved, layer, group, volume
      u32(...(video?.rotate ? QUARTER_TURN : IDENTITY)),
      u32((video?.width ?? 0) * 0x1_0000, (video?.height ?? 0) * 0x1_0000),
    ),
    box(
      "mdia",
      fullBox("mdhd", version, 0, times(v1, u32(TIMESCALE), duration), u32(0x55c4_0000)),
      fullBox(
        "hdlr",
        0,
        0,
        Buffer.from(quickTime ? "mhlr" : "\0\0\0\0", "latin1"),
        Buffer.from(kind, "latin1"),
        u32(0, 0, 0),
        // QuickTime names are Pascal strings, MP4 ones C strings.
        Buffer.from(
          quickTime ? `${String.fromCharCode(name.length)}${name}` : `${name}\0`,
          "latin1",
        ),
      ),
      box(
        "minf",
        kind === "vide" ? fullBox("vmhd", 0, 1, u32(0, 0)) : fullBox("smhd", 0, 0, u32(0)),
        box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1))),
        box(
          "stbl",
          fullBox("stsd", 0, 0, u32(1), sampleEntry(kind, video)),
          ...["stts", "stsc", "stco"].map((type) => fullBox(type, 0, 0, u32(0))),
          fullBox("stsz", 0, 0, u32(0, 0)),
        ),
      ),
    ),
  );
}

/** One sample description, without codec configuration: no sample is ever decoded. */
function sampleEntry(kind: "vide" | "soun", video: { width: number; height: number } | undefined) {
  // Six reserved bytes and the data reference index, then the visual or audio fields.
  const head = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]);
  if (kind === "soun") return box("mp4a", head, u32(0, 0, 0x0002_0010, 0, 48_000 * 0x1_0000));
  const size = ((video?.width ?? 0) << 16) | (video?.height ?? 0);
  const compressor = Buffer.alloc(32);
  return box(
    "mp4v",
    head,
    u32(0, 0, 0, 0, size, 0x48_0000, 0x48_0000, 0),
    Buffer.from([0, 1]),
    compressor,
    u32(0x0018_ffff),
  );
}

function moov(spec: Mp4Spec): Buffer {
  const v1 = spec.version1 === true;
  const seconds = spec.durationSeconds ?? 12.5;
  const traks = [
    ...(spec.video === false ? [] : [track(spec, 1, "vide")]),
    ...(spec.audio === false ? [] : [track(spec, 2, "soun")]),
  ];
  return box(
    "moov",
    fullBox(
      "mvhd",
      v1 ? 1 : 0,
      0,
      times(v1, u32(TIMESCALE), Math.round(seconds * TIMESCALE)),
      u32(0x1_0000, 0x0100_0000, 0, 0, ...IDENTITY, 0, 0, 0, 0, 0, 0, traks.length + 1),
    ),
    ...(spec.uuid ? [uuidBox()] : []),
    ...traks,
  );
}

function uuidBox(): Buffer {
  return box("uuid", Buffer.alloc(16, 0xab), Buffer.from("<x:xmpmeta/>", "latin1"));
}

/** The boxes of a file as `spec` describes it, without materialising its media data. */
export function mp4Layout(spec: Mp4Spec = {}): Mp4Layout {
  const brand = (spec.brand ?? "isom").padEnd(4).slice(0, 4);
  const ftyp = box("ftyp", Buffer.from(brand, "latin1"), u32(0), Buffer.from(brand, "latin1"));
  const mdatSize = spec.mdatSize ?? 1024;
  const mdatHeader =
    spec.largeMdat || 8 + mdatSize > 0xffff_ffff
      ? Buffer.concat([u32(1), Buffer.from("mdat"), u64(16 + mdatSize)])
      : Buffer.concat([u32(spec.mdatToEnd ? 0 : 8 + mdatSize), Buffer.from("mdat")]);
  const before = [ftyp, ...(spec.brand === "qt  " ? [box("wide")] : [])];
  const extras = spec.uuid ? [uuidBox()] : [];
  const media = [...extras, mdatHeader];
  const movie = spec.moov === "none" ? [] : [moov(spec)];
  const parts =
    spec.moov === "first" || spec.mdatToEnd
      ? [...before, ...movie, ...media]
      : [...before, ...media, ...movie];
  const layout: Mp4Layout = { size: 0, parts: [], media: { start: 0, end: 0 } };
  for (const bytes of parts) {
    layout.parts.push({ offset: layout.size, bytes });
    layout.size += bytes.length;
    if (bytes === mdatHeader) {
      layout.media = { start: layout.size, end: layout.size + mdatSize };
      layout.size += mdatSize;
    }
  }
  const cut = layout.size - (spec.truncateBy ?? 0);
  layout.size = cut;
  layout.parts = layout.parts
    .filter((part) => part.offset < cut)
    .map((part) => ({ offset: part.offset, bytes: part.bytes.subarray(0, cut - part.offset) }));
  return layout;
}

/** A whole file in memory; for small `mdatSize` only. */
export function mp4File(spec: Mp4Spec = {}): Buffer {
  const layout = mp4Layout(spec);
  const bytes = Buffer.alloc(layout.size);
  for (const part of layout.parts) part.bytes.copy(bytes, part.offset);
  return bytes;
}

/** Writes the file sparse: the boxes' bytes at their offsets, the media data left a hole. */
export async function writeMp4(file: string, spec: Mp4Spec = {}): Promise<Mp4Layout> {
  const layout = mp4Layout(spec);
  const handle = await open(file, "w");
  try {
    await handle.truncate(layout.size);
    for (const part of layout.parts) {
      await handle.write(part.bytes, 0, part.bytes.length, part.offset);
    }
  } finally {
    await handle.close();
  }
  return layout;
}

/** A source that records every read, over a layout (zeros between its parts) or plain bytes. */
export function recordingSource(
  file: Mp4Layout | Buffer,
): ByteSource & { reads: { offset: number; length: number }[] } {
  const layout = Buffer.isBuffer(file)
    ? { size: file.length, parts: [{ offset: 0, bytes: file }] }
    : file;
  const reads: { offset: number; length: number }[] = [];
  return {
    size: layout.size,
    reads,
    async read(offset, length) {
      const bytes = Buffer.alloc(Math.max(0, Math.min(length, layout.size - offset)));
      for (const part of layout.parts) {
        const from = Math.max(offset, part.offset);
        const to = Math.min(offset + bytes.length, part.offset + part.bytes.length);
        if (from < to) part.bytes.copy(bytes, from - offset, from - part.offset, to - part.offset);
      }
      reads.push({ offset, length: bytes.length });
      return bytes;
    },
  };
}
