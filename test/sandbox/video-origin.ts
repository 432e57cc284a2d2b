// Where a finished video is served from: a second loopback server, another origin to the
// action (as Creatify's CDN is), recording the headers of every request so that a test can
// see no credential reached it. `/r/{id}` redirects to `/videos/{id}.mp4`. Signed, it serves a
// video only to its signed URL, query and all, as an object store checks a presigned URL.

import { createHmac, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface VideoRequest {
  path: string;
  /** The query string, without its `?`. */
  query: string;
  /** Lower-cased names, as Node reads them. */
  headers: Record<string, string>;
}

/**
 * A video streamed rather than held: `size` bytes generated as they go; with `stallAfter`, the
 * answer stops there and hangs (a download to cancel halfway); with `dripMs`, it comes 1 KiB
 * at a time, one every `dripMs` (a drip-fed answer).
 */
export interface StreamedVideo {
  size: number;
  stallAfter?: number;
  dripMs?: number;
}

export class VideoOrigin {
  readonly requests: VideoRequest[] = [];
  readonly #video: Buffer | StreamedVideo;
  readonly #sockets = new Set<Socket>();
  readonly #key = randomBytes(32);
  readonly #signedLength: number | undefined;
  #server: Server | undefined;

  /**
   * Default a small MP4-shaped file. With `signedLength`, a video is served only to the URL
   * `signed` gives, whose query runs to that many characters, and any other query is refused.
   */
  constructor(video: Buffer | StreamedVideo = mp4Pattern(300_017), signedLength?: number) {
    this.#video = video;
    this.#signedLength = signedLength;
  }

  /** A path with its query: signed when the origin signs, as a presigned URL is. */
  signed(path: string): string {
    return this.#signedLength === undefined ? path : `${path}?${this.#signature(path)}`;
  }

  /** `X-Signature=` and a signature of the path, its hex repeated to the signed length. */
  #signature(path: string): string {
    const hex = createHmac("sha256", this.#key).update(path).digest("hex");
    const prefix = "X-Signature=";
    const length = (this.#signedLength ?? 0) - prefix.length;
    return prefix + hex.repeat(Math.ceil(length / hex.length)).slice(0, length);
  }

  /** Listens on a free loopback port; resolves with the origin's URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://video.invalid");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
      );
      this.requests.push({ path: url.pathname, query: url.search.slice(1), headers });
      const hop = /^\/r\/([^/]+)$/.exec(url.pathname)?.[1];
      if (hop) {
        res.writeHead(302, { location: `/videos/${hop}.mp4` }).end();
        return;
      }
      if (!/^\/videos\/[^/]+\.mp4$/.test(url.pathname)) {
        res.writeHead(404).end();
        return;
      }
      if (this.#signedLength !== undefined && url.search !== `?${this.#signature(url.pathname)}`) {
        res
          .writeHead(403, { "content-type": "application/xml" })
          .end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        return;
      }
      const video = this.#video;
      const size = Buffer.isBuffer(video) ? video.length : video.size;
      res.writeHead(200, { "content-type": "video/mp4", "content-length": size });
      if (Buffer.isBuffer(video)) res.end(video);
      else void stream(res, video);
    });
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

/** The pattern, 1 MiB at a time as the client reads them: memory stays flat. */
async function stream(
  res: ServerResponse,
  { size, stallAfter, dripMs }: StreamedVideo,
): Promise<void> {
  const chunk = mp4Pattern(dripMs === undefined ? 2 ** 20 : 1024);
  const until = Math.min(size, stallAfter ?? size);
  for (let sent = 0; sent < until && !res.destroyed; ) {
    const piece = chunk.subarray(0, Math.min(chunk.length, until - sent));
    sent += piece.length;
    if (!res.write(piece)) await once(res, "drain").catch(() => {});
    if (dripMs !== undefined) await new Promise((resolve) => setTimeout(resolve, dripMs));
  }
  // A stalled answer is left open: close() ends it.
  if (until === size) res.end();
}

/** A file that is MP4 by its first box, with a pattern that shows a byte out of place. */
function mp4Pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 253;
  bytes.writeUInt32BE(24, 0);
  bytes.write("ftypisom", 4, "latin1");
  bytes.writeUInt32BE(0x200, 12);
  bytes.write("isomiso2", 16, "latin1");
  return bytes;
}
