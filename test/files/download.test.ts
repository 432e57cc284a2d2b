import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/files/download.ts";

/** An `ftyp` box (brand isom), then bytes. */
const MP4 = Buffer.alloc(5024, 7);
MP4.writeUInt32BE(24, 0);
MP4.write("ftypisomisom", 4, "latin1");

let dir: string;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
let close: () => Promise<void>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "download-"));
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterEach(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

const target = () => path.join(dir, "deep/folder/video.mp4");
/** What is left in the target's folder: never a half file. */
const leftovers = async () => readdir(path.dirname(target())).catch(() => []);

describe("downloadVideo", () => {
  it("streams the file into place, making its folders, and logs progress", async () => {
    handler = (_req, res) => res.writeHead(200, { "content-length": MP4.length }).end(MP4);
    const progress: number[] = [];
    const bytes = await downloadVideo(`${base}/v.mp4`, {
      target: target(),
      onProgress: (received) => progress.push(received),
    });
    expect(bytes).toBe(MP4.length);
    expect(Buffer.compare(await readFile(target()), MP4)).toBe(0);
    expect(progress.at(-1)).toBe(MP4.length);
    expect(await leftovers()).toEqual(["video.mp4"]);
  });

  it.each<[string, (req: IncomingMessage, res: ServerResponse) => void, RegExp]>([
    ["an HTTP error", (_req, res) => res.writeHead(403).end("no"), /HTTP 403/],
    [
      "a body that is not MP4",
      (_req, res) => res.writeHead(200).end("<html>expired</html>"),
      /not an MP4 video/,
    ],
    [
      "a body cut short",
      (req, res) => {
        res.writeHead(200, { "content-length": MP4.length * 2 });
        res.write(MP4);
        setTimeout(() => req.socket.destroy(), 20);
      },
      /broke off after 5024 bytes|ended after 5024/,
    ],
    [
      "a redirect to another scheme",
      (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end(),
      /only http\(s\) is followed/,
    ],
    [
      "more than 5 redirects",
      (req, res) => res.writeHead(302, { location: `${req.url}x` }).end(),
      /more than 5 redirects/,
    ],
  ])("fails on %s and leaves no file", async (_what, serve, message) => {
    handler = serve;
    await expect(downloadVideo(`${base}/v`, { target: target() })).rejects.toThrow(message);
    expect(await leftovers()).toEqual([]);
  });

  it("bounds a body without Content-Length by maxBytes", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "transfer-encoding": "chunked" });
      res.end(MP4);
    };
    await expect(downloadVideo(`${base}/v`, { target: target(), maxBytes: 1000 })).rejects.toThrow(
      /more than the 1000 bytes allowed without a Content-Length/,
    );
    expect(await leftovers()).toEqual([]);
  });

  it("follows relative redirects and sends no credential headers", async () => {
    const seen: IncomingMessage["headers"][] = [];
    handler = (req, res) => {
      seen.push(req.headers);
      if (req.url === "/a") res.writeHead(301, { location: "/b" }).end();
      else res.writeHead(200).end(MP4);
    };
    expect(await downloadVideo(`${base}/a`, { target: target() })).toBe(MP4.length);
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(Object.keys(headers).filter((name) => name.startsWith("x-api"))).toEqual([]);
    }
  });

  it("follows exactly 5 redirects", async () => {
    handler = (req, res) => {
      const hops = (req.url ?? "").length - 2;
      if (hops < 5) res.writeHead(302, { location: `${req.url}x` }).end();
      else res.writeHead(200).end(MP4);
    };
    expect(await downloadVideo(`${base}/v`, { target: target() })).toBe(MP4.length);
  });

  it("abandons a drip-fed body once its time budget is spent, leaving no file", async () => {
    let timer: NodeJS.Timeout | undefined;
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": MP4.length });
      let sent = 0;
      // 10 bytes every 20 ms: the whole file would take 10 s.
      timer = setInterval(() => {
        if (res.destroyed || sent >= MP4.length) return clearInterval(timer);
        res.write(MP4.subarray(sent, sent + 10));
        sent += 10;
      }, 20);
    };
    const started = Date.now();
    await expect(downloadVideo(`${base}/v`, { target: target(), budgetMs: 500 })).rejects.toThrow(
      /slower than 256 KiB\/s once 500ms were spent/,
    );
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await leftovers()).toEqual([]);
  });
});
