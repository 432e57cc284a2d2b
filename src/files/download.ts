import { randomBytes } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Dispatcher, EnvHttpProxyAgent, request } from "undici";
import { CALL_BUDGET_MS, formatDuration } from "../duration.js";
import { withoutQuery } from "../text.js";
import { sniffContentType } from "./video.js";

/** Hops of a redirect chain followed, as browsers and curl stop at a few. */
const MAX_REDIRECTS = 5;
/** The bound on an answer that does not say its size. */
const MAX_DOWNLOAD_BYTES = 4 * 2 ** 30;
/** Longest silence: for the answer's headers, and between two chunks of its body. */
const IDLE_TIMEOUT_MS = 60_000;
const SNIFF_BYTES = 4096;
/**
 * The pace a download must keep past its budget: a drip-fed answer is abandoned, a large
 * video on a slow link is not (4 GiB at this pace is 4.5 hours).
 */
const MIN_BYTES_PER_SECOND = 256 * 1024;

export interface DownloadOptions {
  /** Where the file goes; missing folders are made. */
  readonly target: string;
  /** Called as bytes arrive; `total` is the Content-Length, when given. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
  readonly dispatcher?: Dispatcher;
  /** The bound on an answer without Content-Length; 4 GiB unless told otherwise. */
  readonly maxBytes?: number;
  /** How long the download may take before it must keep MIN_BYTES_PER_SECOND; 3 minutes by default. */
  readonly budgetMs?: number | undefined;
}

/** A download that failed, in words that need no more context than "download:". */
class DownloadError extends Error {}

/** Temporary files being written, for a cancelled step to remove on its way out. */
const partial = new Set<string>();

/**
 * Removes the temporary file of a download still under way: a cancelled step (SIGTERM) exits
 * at once, and a `.part` file left in the workspace would end up in a later commit.
 */
export function removePartialDownloads(): void {
  for (const file of partial) rmSync(file, { force: true });
  partial.clear();
}

/**
 * Streams a finished video to `target`: into a temporary file beside it, renamed into place
 * once complete and MP4 by its bytes, so a failed download never leaves a half file where
 * the user looks. The request carries no credential (the video's host is not the API), and
 * redirects are followed by hand so each hop is checked to be http(s). Returns the size.
 */
export async function downloadVideo(url: string, options: DownloadOptions): Promise<number> {
  const dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
  const pace = withSpeedFloor(options.budgetMs ?? CALL_BUDGET_MS);
  try {
    const answer = await follow(url, dispatcher, pace.signal);
    return await save(answer, options, pace);
  } catch (error) {
    // An abort surfaces as undici's AbortError, or as whatever the stream made of it.
    throw pace.signal.aborted ? pace.signal.reason : error;
  } finally {
    pace.stop();
    // A dispatcher passed in is the caller's to close.
    if (options.dispatcher === undefined) await dispatcher.close();
  }
}

interface Pace {
  readonly signal: AbortSignal;
  received: number;
  stop(): void;
}

/**
 * The call budget for the download (redirects, headers and body): past its budget it must have
 * averaged MIN_BYTES_PER_SECOND, or it is aborted, so a drip-fed answer cannot hold the step.
 */
function withSpeedFloor(budgetMs: number): Pace {
  const controller = new AbortController();
  const started = Date.now();
  const pace: Pace = { signal: controller.signal, received: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(
    () => {
      const allowedMs = budgetMs + (pace.received / MIN_BYTES_PER_SECOND) * 1000;
      if (Date.now() - started <= allowedMs) return;
      clearInterval(timer);
      controller.abort(
        new DownloadError(
          `the video came slower than ${MIN_BYTES_PER_SECOND / 1024} KiB/s once ${formatDuration(budgetMs)} were spent (${pace.received} bytes); abandoned`,
        ),
      );
    },
    Math.min(1000, budgetMs / 4),
  );
  timer.unref();
  return pace;
}

type Answer = Dispatcher.ResponseData;

async function follow(first: string, dispatcher: Dispatcher, signal: AbortSignal): Promise<Answer> {
  let url = httpUrl(first, first);
  for (let hop = 0; ; hop++) {
    const answer = await request(url, {
      method: "GET",
      headers: { accept: "video/mp4, */*" },
      dispatcher,
      signal,
      headersTimeout: IDLE_TIMEOUT_MS,
      bodyTimeout: IDLE_TIMEOUT_MS,
    }).catch((error: unknown) => {
      throw new DownloadError(`GET ${shown(url)}: ${describe(error)}`);
    });
    const location = answer.headers.location;
    if (answer.statusCode >= 300 && answer.statusCode < 400 && location !== undefined) {
      await answer.body.dump();
      if (hop >= MAX_REDIRECTS) {
        throw new DownloadError(`GET ${shown(first)}: more than ${MAX_REDIRECTS} redirects`);
      }
      const next = Array.isArray(location) ? location[0] : location;
      url = httpUrl(next ?? "", first, url);
      continue;
    }
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      await answer.body.dump();
      throw new DownloadError(`GET ${shown(url)}: HTTP ${answer.statusCode}`);
    }
    return answer;
  }
}

/** Only http(s), at the first URL and at every redirect (relative to the hop before). */
function httpUrl(text: string, first: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new DownloadError(`GET ${shown(first)}: "${withoutQuery(text)}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(
      `GET ${shown(first)}: leads to a ${url.protocol} URL; only http(s) is followed`,
    );
  }
  return url;
}

/** A signed video URL's query is its key: logs show the URL without it. */
function shown(url: string | URL): string {
  return withoutQuery(String(url));
}

async function save(answer: Answer, options: DownloadOptions, pace: Pace): Promise<number> {
  const { target } = options;
  const declared = Number(answer.headers["content-length"] ?? Number.NaN);
  const total = Number.isFinite(declared) ? declared : undefined;
  // What the answer announced, or the 4 GiB a video never reaches when it announced nothing.
  const bound = total ?? options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString("hex")}.part`,
  );
  let received = 0;
  let head = Buffer.alloc(0);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      pace.received = received;
      if (received > bound) {
        const what = total === undefined ? "allowed without a Content-Length" : "it announced";
        done(new DownloadError(`the video sent more than the ${bound} bytes ${what}`));
        return;
      }
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]);
      options.onProgress?.(received, total);
      done(null, chunk);
    },
  });
  partial.add(temporary);
  try {
    await pipeline(answer.body, counter, createWriteStream(temporary, { flags: "wx" }));
    if (total !== undefined && received !== total) {
      throw new DownloadError(`the video ended after ${received} of its ${total} bytes`);
    }
    if (sniffContentType(head) !== "video/mp4") {
      throw new DownloadError("what was downloaded is not an MP4 video (no ftyp box)");
    }
    await rename(temporary, target);
    return received;
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`the video broke off after ${received} bytes: ${describe(error)}`);
  } finally {
    partial.delete(temporary);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
