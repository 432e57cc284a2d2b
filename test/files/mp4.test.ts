import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ByteSource,
  fileSource,
  formatVideoHeader,
  headerWarnings,
  parseVideoHeader,
  readVideoHeader,
  type VideoHeader,
} from "../../src/files/mp4.ts";
import {
  box,
  type Mp4Layout,
  type Mp4Spec,
  mp4Layout,
  recordingSource,
  u32,
  writeMp4,
} from "../support/mp4.ts";

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function found(fields: Partial<VideoHeader & { found: true }> = {}): VideoHeader {
  return {
    found: true,
    durationSeconds: 12.5,
    resolution: { width: 1920, height: 1080 },
    hasVideo: true,
    hasAudio: true,
    ...fields,
  };
}

const missing = (reason: string): VideoHeader => ({ found: false, reason });

/** Reads must stay out of the media data, and amount to little more than `moov`. */
function expectHeadersOnly(reads: { offset: number; length: number }[], layout: Mp4Layout) {
  for (const { offset, length } of reads) {
    expect(offset + length <= layout.media.start || offset >= layout.media.end).toBe(true);
  }
  const total = reads.reduce((sum, read) => sum + read.length, 0);
  expect(total).toBeLessThan(2048);
}

describe("parseVideoHeader on generated files", () => {
  it.each<[string, Mp4Spec, VideoHeader]>([
    ["moov last", {}, found()],
    ["moov first", { moov: "first" }, found()],
    ["moov after 3 GiB of media", { mdatSize: 3 * GiB }, found()],
    [
      "64-bit sizes and version 1 boxes",
      { largeMdat: true, version1: true, mdatSize: 5 * GiB },
      found(),
    ],
    ["a size-0 mdat at the end", { mdatToEnd: true, mdatSize: 3 * GiB }, found()],
    ["uuid boxes", { uuid: true }, found()],
    ["QuickTime", { brand: "qt  " }, found()],
    [
      "QuickTime portrait from a phone",
      { brand: "qt  ", video: { width: 1920, height: 1080, rotate: true } },
      found({ resolution: { width: 1080, height: 1920 } }),
    ],
    ["no audio", { audio: false }, found({ hasAudio: false })],
    ["no video", { video: false }, found({ hasVideo: false, resolution: undefined })],
    [
      "no tracks",
      { video: false, audio: false },
      found({ hasVideo: false, hasAudio: false, resolution: undefined }),
    ],
    ["an unknown duration", { durationSeconds: 0 }, found({ durationSeconds: undefined })],
    ["an odd duration", { durationSeconds: 3.333 }, found({ durationSeconds: 3.333 })],
    [
      "no moov (a recording in progress)",
      { moov: "none" },
      missing("no moov box before the end of the file"),
    ],
    [
      "no moov after a size-0 mdat",
      { moov: "none", mdatToEnd: true },
      missing("no moov box before the end of the file"),
    ],
    [
      "a truncated moov",
      { truncateBy: 100 },
      missing('box "moov" at offset 1052 runs past the end of the file'),
    ],
    ["media cut short after a whole moov", { moov: "first", truncateBy: 10 }, found()],
    [
      "a truncated 64-bit mdat header",
      { moov: "none", largeMdat: true, mdatSize: 0, truncateBy: 4 },
      missing("box at offset 20 runs past the end of the file"),
    ],
  ])("%s", async (_name, spec, expected) => {
    const layout = mp4Layout(spec);
    const source = recordingSource(layout);
    expect(await parseVideoHeader(source)).toEqual(expected);
    expectHeadersOnly(source.reads, layout);
  });
});

describe("parseVideoHeader on hostile bytes", () => {
  const ftyp = box("ftyp", Buffer.from("isom"), u32(0));
  const mvhd = box("mvhd", u32(0, 0, 0, 1000, 12_500), Buffer.alloc(80));
  const header = (size: number, type: string) => Buffer.concat([u32(size), Buffer.from(type)]);

  it.each<[string, Buffer, VideoHeader]>([
    ["an empty file", Buffer.alloc(0), missing("no moov box before the end of the file")],
    [
      "a header cut short",
      Buffer.concat([ftyp, u32(0)]),
      missing("box at offset 16 runs past the end of the file"),
    ],
    [
      "a size below 8",
      Buffer.concat([ftyp, header(4, "free"), box("moov")]),
      missing('box "free" at offset 16 has an impossible size (4)'),
    ],
    [
      "a 64-bit size of 0",
      Buffer.concat([ftyp, header(1, "free"), Buffer.alloc(8), box("moov")]),
      missing('box "free" at offset 16 has an impossible size (0)'),
    ],
    [
      "a uuid box too small for its own header",
      Buffer.concat([ftyp, box("uuid", Buffer.alloc(8)), box("moov")]),
      missing('box "uuid" at offset 16 has an impossible size (16)'),
    ],
    [
      "a size-0 box that swallows moov",
      Buffer.concat([ftyp, header(0, "free"), box("moov", mvhd)]),
      missing("no moov box before the end of the file"),
    ],
    [
      "a moov claiming 4 GiB",
      Buffer.concat([ftyp, header(0xffff_ffff, "moov"), mvhd]),
      missing('box "moov" at offset 16 runs past the end of the file'),
    ],
    [
      "a child below 8 inside moov",
      Buffer.concat([ftyp, box("moov", mvhd, header(3, "trak"), box("trak"))]),
      found({ hasVideo: false, hasAudio: false, resolution: undefined }),
    ],
    [
      "a size-0 child inside moov",
      Buffer.concat([ftyp, box("moov", header(0, "trak"), mvhd)]),
      found({
        durationSeconds: undefined,
        hasVideo: false,
        hasAudio: false,
        resolution: undefined,
      }),
    ],
    [
      "a trak with a hdlr too short to name its handler",
      Buffer.concat([ftyp, box("moov", mvhd, box("trak", box("mdia", box("hdlr", u32(0)))))]),
      found({ hasVideo: false, hasAudio: false, resolution: undefined }),
    ],
    [
      "a video trak without tkhd",
      Buffer.concat([
        ftyp,
        box("moov", box("trak", box("mdia", box("hdlr", u32(0, 0), Buffer.from("vide"))))),
      ]),
      found({ durationSeconds: undefined, hasAudio: false, resolution: undefined }),
    ],
  ])("%s", async (_name, bytes, expected) => {
    const source = recordingSource(bytes);
    expect(await parseVideoHeader(source)).toEqual(expected);
    expect(source.reads.length).toBeLessThan(10);
  });

  it("does not read a moov larger than 64 MiB", async () => {
    const moov = Buffer.concat([u32(1), Buffer.from("moov"), u32(0, 100 * MiB)]);
    const source = recordingSource({
      size: ftyp.length + 100 * MiB,
      parts: [{ offset: 0, bytes: Buffer.concat([ftyp, moov]) }],
      media: { start: 0, end: 0 },
    });
    expect(await parseVideoHeader(source)).toEqual(
      missing('box "moov" at offset 16 is larger than the 64 MiB this reads'),
    );
    expect(source.reads.every((read) => read.length <= 8)).toBe(true);
  });

  it("reports a failed read instead of throwing", async () => {
    const source: ByteSource = { size: 1000, read: () => Promise.reject(new Error("EIO")) };
    expect(await parseVideoHeader(source)).toEqual(missing("the file cannot be read (EIO)"));
  });
});

describe("readVideoHeader", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "creatify-mp4-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds moov after 3 GiB of sparse media data, reading headers only", async () => {
    const file = path.join(dir, "long.mov");
    const layout = await writeMp4(file, { brand: "qt  ", mdatSize: 3 * GiB });
    expect(await readVideoHeader(file)).toEqual(found());

    const handle = await open(file, "r");
    try {
      const source = fileSource(handle, layout.size);
      const reads: { offset: number; length: number }[] = [];
      const counted: ByteSource = {
        size: source.size,
        read: (offset, length) => {
          reads.push({ offset, length });
          return source.read(offset, length);
        },
      };
      expect(await parseVideoHeader(counted)).toEqual(found());
      expectHeadersOnly(reads, layout);
      // A handle the caller opened stays open for the caller to use and close.
      expect(await readVideoHeader(handle)).toEqual(found());
      expect((await handle.stat()).size).toBe(layout.size);
    } finally {
      await handle.close();
    }
  });

  it("reports a file it cannot open", async () => {
    expect(await readVideoHeader(path.join(dir, "missing.mp4"))).toEqual(
      missing("the file cannot be read (ENOENT)"),
    );
  });
});

describe("headerWarnings", () => {
  const subject = 'Input "video": "avatars/james.mp4"';
  const noVideo = `${subject} has no video track; an avatar is made from a video of a person.`;
  const noAudio = `${subject} has no audio track; a lipsync video needs a person speaking.`;

  it.each<[string, VideoHeader, string[]]>([
    ["video and audio", found(), []],
    [
      "an unknown duration and size",
      found({ durationSeconds: undefined, resolution: undefined }),
      [],
    ],
    ["no audio", found({ hasAudio: false }), [noAudio]],
    ["no video", found({ hasVideo: false, resolution: undefined }), [noVideo]],
    ["no tracks", found({ hasVideo: false, hasAudio: false }), [noVideo, noAudio]],
    [
      "no moov",
      missing("no moov box before the end of the file"),
      [
        `${subject} has no readable MP4 header (no moov box before the end of the file); ` +
          "is it a truncated copy or a recording still in progress?",
      ],
    ],
  ])("%s", (_name, header, expected) => {
    expect(headerWarnings(header, 'Input "video"', "avatars/james.mp4")).toEqual(expected);
  });
});

describe("formatVideoHeader", () => {
  it.each<[VideoHeader, string]>([
    [found(), "12.5 s · 1920×1080 · audio"],
    [found({ hasAudio: false, durationSeconds: 312.44 }), "312.4 s · 1920×1080 · no audio"],
    [found({ durationSeconds: 60 }), "60 s · 1920×1080 · audio"],
    [found({ hasVideo: false, resolution: undefined }), "12.5 s · no video · audio"],
    [found({ durationSeconds: undefined, resolution: undefined }), "audio"],
    [missing("no moov box before the end of the file"), "no MP4 header"],
  ])("%j", (header, expected) => {
    expect(formatVideoHeader(header)).toBe(expected);
  });
});
