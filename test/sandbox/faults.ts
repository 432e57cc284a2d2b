// The queue of scripted faults: the first one matching a request handles it, until used up;
// and the answers of the faults that stream their body.

import { once } from "node:events";
import { type ServerResponse, STATUS_CODES } from "node:http";
import { readView } from "./schema.ts";
import { PersonaStore } from "./store.ts";
import type { Fault, RecordedRequest } from "./types.ts";

export class FaultQueue {
  readonly #queue: { fault: Fault; left: number }[] = [];

  push(fault: Fault): void {
    this.#queue.push({ fault, left: fault.times ?? 1 });
  }

  take(method: string, path: string): Fault | undefined {
    const index = this.#queue.findIndex(({ fault }) => matches(fault, method, path));
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method !== "*" && fault.method.toUpperCase() !== method) return false;
  if (fault.path.endsWith("*")) return path.startsWith(fault.path.slice(0, -1));
  return fault.path === path;
}

/** A gateway error page, as a load balancer in front of the API would serve it. */
export function htmlFault(method: string, path: string, status = 502, times?: number): Fault {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const page = `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>\n`;
  return {
    method,
    path,
    kind: "status",
    status,
    body: page,
    contentType: "text/html",
    ...(times === undefined ? {} : { times }),
  };
}

const ENDLESS_AVATAR = new PersonaStore(undefined, undefined).seed({ creator_name: "Endless" });
/** ~64 KiB of avatars as the list shows them, written again and again by an endless answer. */
const ENDLESS_CHUNK = Buffer.from(`${JSON.stringify(readView(ENDLESS_AVATAR))},`.repeat(56));

/** Writes avatars as fast as the client reads them, until it leaves or a bound is reached. */
export async function endless(
  res: ServerResponse,
  rec: RecordedRequest,
  fault: Extract<Fault, { kind: "endless" }>,
): Promise<void> {
  const stop = bounded(res, fault.maxMs);
  const maxBytes = fault.maxBytes ?? 4 * 2 ** 30;
  let sent = 0;
  rec.status = fault.status ?? 200;
  res.writeHead(rec.status, { "content-type": "application/json" });
  while (!stop.aborted && sent < maxBytes) {
    const piece = sent === 0 ? Buffer.from("[") : ENDLESS_CHUNK.subarray(0, maxBytes - sent);
    sent += piece.length;
    rec.sent = sent;
    if (!res.write(piece)) await once(res, "drain", { signal: stop }).catch(() => {});
  }
  if (!res.closed) res.end();
}

/** Sends the declared body one byte per tick, and cuts the connection if it runs out of time. */
export function drip(
  res: ServerResponse,
  rec: RecordedRequest,
  fault: Extract<Fault, { kind: "drip" }>,
): void {
  const stop = bounded(res, fault.maxMs);
  const length = fault.contentLength;
  let sent = 0;
  rec.status = fault.status ?? 200;
  rec.sent = sent;
  res.writeHead(rec.status, { "content-type": "application/json", "content-length": length });
  // Headers now, so the client is already reading the body when the first byte comes.
  res.flushHeaders();
  const ticks = setInterval(() => {
    res.write(sent === 0 ? "[" : sent === length - 1 ? "]" : " ");
    sent += 1;
    rec.sent = sent;
    if (sent < length) return;
    clearInterval(ticks);
    res.end();
  }, fault.everyMs);
  stop.addEventListener("abort", () => {
    clearInterval(ticks);
    if (!res.closed) res.destroy();
  });
}

/** Aborts once the answer is over, the client has gone, or `maxMs` (default 60 s) has passed. */
function bounded(res: ServerResponse, maxMs = 60_000): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), maxMs);
  res.once("close", () => {
    clearTimeout(timer);
    controller.abort();
  });
  return controller.signal;
}
