import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { formatDuration } from "../duration.js";
import { readBuffer, type VideoFile } from "../files/video.js";
import type { Log } from "../log.js";
import type { Body } from "./http.js";

export interface MultipartForm {
  /** Text parts in order; a repeated name (a label each) is sent as several parts. */
  readonly fields: readonly (readonly [string, string])[];
  readonly files: readonly (readonly [string, VideoFile])[];
  /**
   * Text parts sent after the files, made from the SHA-256 (hex) of the first file's bytes
   * as they stream; they must come to the same length for every digest (the Content-Length
   * is fixed up front). Called once more, with 64 zeros, when the body is built, to learn
   * that length.
   */
  readonly digestFields?: (sha256Hex: string) => readonly (readonly [string, string])[];
  /** Called with the real digest once the first file has streamed whole, before its parts go. */
  readonly onDigest?: (sha256Hex: string) => void;
}

/**
 * Reads go into one reused buffer instead of a fresh buffer per chunk: garbage chunks
 * pile up to ~64 MB before V8 collects them, so memory would grow with the file. Reusing
 * it is safe because the transport asks for the next chunk only once the last has reached
 * the socket, or has been copied (`paced` in creatify/transport.ts).
 *
 * The reads are synchronous: from the page cache a chunk takes a fraction of a
 * millisecond, less than a round trip through libuv's thread pool costs, and nothing
 * else runs while the body streams. In `npm run bench`, synchronous 512 KiB reads halved
 * the CPU time of the transfer against awaited 256 KiB ones; larger chunks bought nothing
 * more, and 2 MiB ones cost more system time (docs/benchmarks.md).
 */
const CHUNK_BYTES = 512 * 1024;
const PLACEHOLDER_DIGEST = "0".repeat(64);

/**
 * A `multipart/form-data` body framed by hand so that its exact length is known
 * up front and the files are streamed from disk, never held in memory.
 */
export function multipartBody(
  form: MultipartForm,
  onProgress?: (sent: number, total: number) => void,
): Body {
  const boundary = `----creatify-avatar-${randomBytes(12).toString("hex")}`;
  const textPart = (name: string, value: string) =>
    `--${boundary}\r\n${disposition(name)}\r\n\r\n${value}\r\n`;
  const head = Buffer.from(form.fields.map(([name, value]) => textPart(name, value)).join(""));
  const fileHeads = form.files.map(([name, file]) =>
    Buffer.from(
      `--${boundary}\r\n${disposition(name, path.basename(file.path))}\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`,
    ),
  );
  const { digestFields } = form;
  const digestParts = (sha256Hex: string) =>
    digestFields
      ? Buffer.from(
          digestFields(sha256Hex)
            .map(([name, value]) => textPart(name, value))
            .join(""),
        )
      : undefined;
  const digestLength = digestParts(PLACEHOLDER_DIGEST)?.length ?? 0;
  const lineBreak = Buffer.from("\r\n");
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const contentLength =
    head.length +
    form.files.reduce(
      (sum, [, file], index) => sum + (fileHeads[index]?.length ?? 0) + file.size + 2,
      0,
    ) +
    digestLength +
    tail.length;

  async function* chunks(): AsyncGenerator<Buffer> {
    let sent = 0;
    const emit = (chunk: Buffer) => {
      sent += chunk.length;
      onProgress?.(sent, contentLength);
      return chunk;
    };
    yield emit(head);
    const buffer = readBuffer(CHUNK_BYTES);
    // On this thread: a worker hashing the same buffer won some wall time on two cores but
    // cost more CPU and memory, enough to pass 100 MB at 1 GiB (docs/benchmarks.md).
    const hash = digestFields && createHash("sha256");
    for (const [index, [, file]] of form.files.entries()) {
      yield emit(fileHeads[index] as Buffer);
      const hashing = index === 0 ? hash : undefined;
      const fd = openSync(file.path, "r");
      try {
        for (let position = 0; position < file.size; ) {
          // Never past the size in the Content-Length, should the file grow meanwhile.
          const length = Math.min(CHUNK_BYTES, file.size - position);
          const bytesRead = readSync(fd, buffer, 0, length, position);
          if (bytesRead === 0) throw new Error(`${file.relativePath} shrank while it was uploaded`);
          position += bytesRead;
          const chunk = buffer.subarray(0, bytesRead);
          // The digest is of the bytes sent, whatever happens to the file meanwhile.
          hashing?.update(chunk);
          yield emit(chunk);
        }
      } finally {
        closeSync(fd);
      }
      yield emit(lineBreak);
    }
    if (hash) {
      const sha256Hex = hash.digest("hex");
      form.onDigest?.(sha256Hex);
      const parts = digestParts(sha256Hex) as Buffer;
      // The Content-Length is already on the wire: parts of another length would corrupt the body.
      if (parts.length !== digestLength) {
        throw new Error("the parts after the files changed length with the digest");
      }
      yield emit(parts);
    }
    yield emit(tail);
  }

  return {
    stream: chunks(),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
  };
}

/** WHATWG's escaping of names in a Content-Disposition header. */
function disposition(name: string, filename?: string): string {
  const quote = (text: string) =>
    text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const file = filename === undefined ? "" : `; filename="${quote(filename)}"`;
  return `Content-Disposition: form-data; name="${quote(name)}"${file}`;
}

/**
 * Logs an upload's progress at most every 10 % and 10 s, whichever comes later,
 * so a long upload shows it is moving without flooding the log.
 */
export function progressLogger(
  label: string,
  log: Log,
  now: () => number = Date.now,
): (sent: number, total: number) => void {
  const started = now();
  let lastTime = started;
  let lastBytes = 0;
  return (sent, total) => {
    const time = now();
    const done = sent >= total;
    if (!done && (sent - lastBytes < total / 10 || time - lastTime < 10_000)) return;
    if (done && time - started < 10_000) return;
    lastTime = time;
    lastBytes = sent;
    const seconds = Math.max((time - started) / 1000, 0.001);
    const percent = Math.floor((sent / total) * 100);
    const mbPerSecond = (sent / 1e6 / seconds).toFixed(1);
    log.info(
      `${label}: ${percent}% of ${formatBytes(total)} (${mbPerSecond} MB/s, ${formatDuration(time - started)})`,
    );
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(0)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
