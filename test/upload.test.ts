import { Readable } from "node:stream";
import busboy from "busboy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipartBody, progressLogger } from "../src/upload.ts";
import { inspectVideo } from "../src/video.ts";
import { makeWorkspace, mp4Bytes, type Workspace } from "./support/runner.ts";

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

describe("multipartBody", () => {
  it("frames fields and files so a real parser reads them back, with the exact length", async () => {
    const videoBytes = mp4Bytes(1_000_003);
    await workspace.write("james.mp4", videoBytes);
    await workspace.write('con"sent.mov', mp4Bytes(70_000, "qt  "));
    const video = await inspectVideo(
      { path: `${workspace.dir}/james.mp4`, relativePath: "james.mp4" },
      workspace.dir,
      "video",
    );
    const consent = await inspectVideo(
      { path: `${workspace.dir}/con"sent.mov`, relativePath: 'con"sent.mov' },
      workspace.dir,
      "consent-video",
    );
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

    const fields: [string, string][] = [];
    const files: { name: string; filename?: string; mimeType: string; data: Buffer }[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({
        headers: { "content-type": body.contentType },
        defParamCharset: "utf8",
      });
      parser.on("field", (name, value) => fields.push([name, value]));
      parser.on("file", (name, stream, info) => {
        const parts: Buffer[] = [];
        stream.on("data", (part: Buffer) => parts.push(part));
        stream.on("end", () => files.push({ name, ...info, data: Buffer.concat(parts) }));
      });
      parser.on("close", resolve).on("error", reject);
      Readable.from([bytes]).pipe(parser);
    });
    expect(fields).toEqual([
      ["creator_name", "Zoë"],
      ["labels", "a"],
      ["labels", "b"],
    ]);
    expect(
      files.map(({ name, filename, mimeType, data }) => [name, filename, mimeType, data.length]),
    ).toEqual([
      ["lipsync_input", "james.mp4", "video/mp4", 1_000_003],
      ["consent_video", "con%22sent.mov", "video/quicktime", 70_000],
    ]);
    expect(files[0]?.data.equals(videoBytes)).toBe(true);
  });
});

describe("progressLogger", () => {
  it("logs at most every 10 % and 10 s, whichever comes later", () => {
    let now = 0;
    const lines: string[] = [];
    const log = { info: (line: string) => lines.push(line), warning: () => {}, debug: () => {} };
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
    const log = { info: (line: string) => lines.push(line), warning: () => {}, debug: () => {} };
    const progress = progressLogger("uploading v.mp4", log, () => now);
    for (let sent = 10; sent <= 100; sent += 10) {
      now += 500;
      progress(sent, 100);
    }
    expect(lines).toEqual([]);
  });
});
