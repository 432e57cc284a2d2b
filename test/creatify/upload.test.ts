import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import busboy from "busboy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MultipartForm, multipartBody, progressLogger } from "../../src/creatify/upload.ts";
import { inspectVideo } from "../../src/files/video.ts";
import type { Log } from "../../src/log.ts";
import { makeWorkspace, mp4Bytes, type Workspace } from "../support/runner.ts";

let workspace: Workspace;
beforeAll(async () => {
  workspace = await makeWorkspace();
});
afterAll(() => workspace.remove());

async function collect(stream: AsyncGenerator<Uint8Array> | string): Promise<Buffer> {
  if (typeof stream === "string") return Buffer.from(stream);
  const chunks: Buffer[] = [];
  // Copy each chunk: the body reuses its read buffers once the next chunk is asked for.
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

interface Parsed {
  fields: [string, string][];
  files: { name: string; filename?: string; mimeType: string; data: Buffer }[];
}

/** Reads a body back with busboy, a parser that shares no code with ours. */
async function parse(bytes: Buffer, contentType: string): Promise<Parsed> {
  const parsed: Parsed = { fields: [], files: [] };
  await new Promise<void>((resolve, reject) => {
    const parser = busboy({ headers: { "content-type": contentType }, defParamCharset: "utf8" });
    parser.on("field", (name, value) => parsed.fields.push([name, value]));
    parser.on("file", (name, stream, info) => {
      const parts: Buffer[] = [];
      stream.on("data", (part: Buffer) => parts.push(part));
      stream.on("end", () => parsed.files.push({ name, ...info, data: Buffer.concat(parts) }));
    });
    parser.on("close", resolve).on("error", reject);
    Readable.from([bytes]).pipe(parser);
  });
  return parsed;
}

async function videoOf(relativePath: string, bytes: Buffer) {
  await workspace.write(relativePath, bytes);
  return inspectVideo(
    { path: `${workspace.dir}/${relativePath}`, relativePath },
    workspace.dir,
    "video",
  );
}

describe("multipartBody", () => {
  it("frames fields and files so a real parser reads them back, with the exact length", async () => {
    // Several chunks, so buffers of the ring are reused while the body streams.
    const videoBytes = mp4Bytes(3_000_017);
    const video = await videoOf("james.mp4", videoBytes);
    const consent = await videoOf('con"sent.mov', mp4Bytes(70_000, "qt  "));
    const sent: number[] = [];
    const body = multipartBody(
      {
        fields: [
          ["creator_name", "Zoë"],
          ["labels", "a"],
          ["labels", "b"],
        ],
        files: [
          ["lipsync_input", video],
          ["consent_video", consent],
        ],
      },
      (bytes, total) => {
        sent.push(bytes);
        expect(total).toBe(body.contentLength);
      },
    );
    const bytes = await collect(body.stream);
    expect(bytes.length).toBe(body.contentLength);
    expect(sent.at(-1)).toBe(body.contentLength);

    const { fields, files } = await parse(bytes, body.contentType);
    expect(fields).toEqual([
      ["creator_name", "Zoë"],
      ["labels", "a"],
      ["labels", "b"],
    ]);
    expect(
      files.map(({ name, filename, mimeType, data }) => [name, filename, mimeType, data.length]),
    ).toEqual([
      ["lipsync_input", "james.mp4", "video/mp4", 3_000_017],
      ["consent_video", "con%22sent.mov", "video/quicktime", 70_000],
    ]);
    expect(files[0]?.data.equals(videoBytes)).toBe(true);
  });

  it("sends the digest of the first file's bytes in text parts after the files", async () => {
    const videoBytes = mp4Bytes(2_200_001);
    const video = await videoOf("take.mp4", videoBytes);
    const consent = await videoOf("consent.mov", mp4Bytes(9_000, "qt  "));
    const form: MultipartForm = {
      fields: [["creator_name", "James"]],
      files: [
        ["lipsync_input", video],
        ["consent_video", consent],
      ],
      digestFields: (hex) => [
        ["keywords", `sales, video-sha256:${hex.slice(0, 16)}`],
        ["labels", `video-sha256:${hex.slice(0, 16)}`],
      ],
    };
    const body = multipartBody(form);
    const bytes = await collect(body.stream);
    expect(bytes.length).toBe(body.contentLength);

    const sha256 = createHash("sha256").update(videoBytes).digest("hex");
    const { fields, files } = await parse(bytes, body.contentType);
    expect(fields).toEqual([
      ["creator_name", "James"],
      ["keywords", `sales, video-sha256:${sha256.slice(0, 16)}`],
      ["labels", `video-sha256:${sha256.slice(0, 16)}`],
    ]);
    expect(files.map((file) => file.data.length)).toEqual([2_200_001, 9_000]);
    const keywords = bytes.indexOf('name="keywords"');
    expect(keywords).toBeGreaterThan(bytes.indexOf('filename="consent.mov"'));
    expect(bytes.indexOf('name="labels"')).toBeGreaterThan(keywords);
  });

  it("fails the body rather than break its length when the digest part's length varies", async () => {
    const video = await videoOf("short.mp4", mp4Bytes(5_000));
    const body = multipartBody({
      fields: [],
      files: [["lipsync_input", video]],
      digestFields: (hex) => [["labels", /^0+$/.test(hex) ? "" : hex]],
    });
    await expect(collect(body.stream)).rejects.toThrow(/parts after the files changed length/);
  });
});

const quiet: Log = {
  info: () => {},
  notice: () => {},
  warning: () => {},
  error: () => {},
  debug: () => {},
};

describe("progressLogger", () => {
  it("logs at most every 10 % and 10 s, whichever comes later", () => {
    let now = 0;
    const lines: string[] = [];
    const log = { ...quiet, info: (line: string) => lines.push(line) };
    const progress = progressLogger("uploading v.mp4", log, () => now);
    for (let step = 1; step <= 100; step++) {
      now = step * 2000; // 1 % every 2 s: 10 % takes 20 s, so the 10 % rule decides
      progress(step * 10e6, 1000e6);
    }
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("uploading v.mp4: 10% of 1.00 GB (5.0 MB/s, 20s)");
    expect(lines.at(-1)).toMatch(/^uploading v.mp4: 100% of 1.00 GB/);
  });

  it("stays quiet for an upload that is over within 10 s", () => {
    let now = 0;
    const lines: string[] = [];
    const log = { ...quiet, info: (line: string) => lines.push(line) };
    const progress = progressLogger("uploading v.mp4", log, () => now);
    for (let sent = 10; sent <= 100; sent += 10) {
      now += 500;
      progress(sent, 100);
    }
    expect(lines).toEqual([]);
  });
});
