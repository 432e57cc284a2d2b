// A loopback fake of the Creatify persona API with scripted faults, for end-to-end
// tests, the demo and fault tests. Types live in types.ts and are re-exported here.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { ClientGone, drain } from "./body.ts";
import { clockOf } from "./clock.ts";
import { drip, endless, FaultQueue } from "./faults.ts";
import { githubRoute, isGitHubPath } from "./github.ts";
import { LipsyncRoutes } from "./lipsyncs.ts";
import { type ApiContext, route } from "./personas.ts";
import { detail, json, type Lister, listing } from "./reply.ts";
import { PersonaStore } from "./store.ts";
import type {
  Fault,
  GitHubRepo,
  RecordedRequest,
  Reply,
  Sandbox,
  SandboxOptions,
} from "./types.ts";

export { djangoTime } from "./clock.ts";
export { htmlFault } from "./faults.ts";
export type * from "./types.ts";

const UPLOAD_PATH = "/api/personas_v2/";

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiId = options.apiId ?? "sandbox-api-id";
  const apiKey = options.apiKey ?? "sandbox-api-key-0123456789";
  const clock = clockOf(options);
  const store = new PersonaStore(
    options.statuses,
    options.failedReason,
    clock,
    options.createStatus,
  );
  // The sandbox's own origin, known once it listens; a listing's `next` points there.
  let origin = "";
  const list: Lister = (items, rec) =>
    listing(items, rec.query, rec.path, {
      listPageSize: options.listPageSize,
      origin: options.nextOrigin ?? origin,
    });
  const ctx: ApiContext = {
    store,
    maxCount: options.maxCount ?? 10,
    refuseLabelsWith: options.refuseLabelsWith,
    refuseKeywordsWith: options.refuseKeywordsWith,
    stripFingerprint: options.stripFingerprint ?? false,
    ignoreConsentVideo: options.ignoreConsentVideo ?? false,
    list,
    readOtherId: options.readOtherId ?? false,
  };
  const faults = new FaultQueue();
  const lipsyncs = new LipsyncRoutes(options.lipsync, clock, list);
  await lipsyncs.start();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let github: GitHubRepo = { commits: [], runs: [] };
  let uploading = 0;
  let peakUploads = 0;

  // Everything a request can be answered with, faults aside.
  async function handle(req: IncomingMessage, rec: RecordedRequest): Promise<Reply> {
    if (isGitHubPath(rec.path)) return githubRoute(req, rec, github);
    if (rec.headers["x-api-id"] !== apiId || rec.headers["x-api-key"] !== apiKey) {
      await drain(req, rec);
      return detail(401, "Invalid API credentials.");
    }
    return (await lipsyncs.route(req, rec, store)) ?? route(req, rec, ctx);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const fault = faults.take(rec.method, rec.path);
    if (fault) rec.fault = fault.kind;
    // The request as a fault that answers wants it: processed (persona stored), or only read.
    const consume = (store: boolean | undefined) => (store ? handle(req, rec) : drain(req, rec));
    switch (fault?.kind) {
      case undefined:
        return send(res, rec, await handle(req, rec));
      case "status":
        await consume(fault.store);
        return send(res, rec, faultReply(fault));
      case "endless":
        await consume(fault.store);
        return endless(res, rec, fault);
      case "drip":
        await consume(fault.store);
        return drip(res, rec, fault);
      case "reset":
        if (fault.afterStore) {
          await handle(req, rec);
          req.socket.destroy();
        } else {
          resetMidBody(req, rec);
        }
        return;
      case "hang":
        // Body read, nothing stored, no answer: the socket stays open until close().
        await drain(req, rec);
        return;
      case "delay": {
        const reply = await handle(req, rec);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, fault.ms);
          timers.add(timer);
        });
        return send(res, rec, reply);
      }
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const rec = record(req);
    requests.push(rec);
    const upload = rec.method === "POST" && rec.path === UPLOAD_PATH;
    if (upload) {
      uploading += 1;
      peakUploads = Math.max(peakUploads, uploading);
      let done = false;
      const finish = () => {
        if (!done) uploading -= 1;
        done = true;
      };
      req.on("end", finish);
      req.on("close", finish);
    }
    serve(req, res, rec).catch((error: unknown) => {
      if (error instanceof ClientGone) return;
      send(res, rec, detail(500, `sandbox error: ${(error as Error).message}`));
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  // The certificate names localhost, not the address.
  origin = options.tls ? `https://localhost:${address.port}` : `http://${host}:${address.port}`;

  return {
    url: origin,
    apiId,
    apiKey,
    personas: store.personas,
    lipsync: lipsyncs.state,
    requests,
    get maxConcurrentUploads() {
      return peakUploads;
    },
    fault: (f: Fault) => faults.push(f),
    seed: (p) => store.seed(p),
    setGitHub: (repo) => {
      github = repo;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await lipsyncs.close();
    },
  };
}

function record(req: IncomingMessage): RecordedRequest {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    startedAt: Date.now(),
    bytes: 0,
  };
}

function faultReply(fault: Extract<Fault, { kind: "status" }>): Reply {
  const base =
    fault.body === undefined
      ? json(fault.status, { detail: defaultDetail(fault.status) })
      : { status: fault.status, body: fault.body, contentType: "application/json" };
  return {
    ...base,
    contentType: fault.contentType ?? base.contentType,
    ...(fault.headers ? { headers: fault.headers } : {}),
  };
}

function defaultDetail(status: number): string {
  if (status === 429) return "Request was throttled.";
  if (status >= 500) return "A server error occurred.";
  return `Error ${status}.`;
}

/** Drops the connection once part of the body has arrived (at once when there is none). */
function resetMidBody(req: IncomingMessage, rec: RecordedRequest): void {
  const cut = () => req.socket.destroy();
  req.once("data", (chunk: Buffer) => {
    rec.bytes += chunk.length;
    cut();
  });
  req.once("end", cut);
}

function send(res: ServerResponse, rec: RecordedRequest, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  rec.status = reply.status;
  // A 204 has neither body nor the headers of one.
  const framing =
    reply.status === 204
      ? {}
      : { "content-type": reply.contentType, "content-length": Buffer.byteLength(reply.body) };
  res.writeHead(reply.status, { ...reply.headers, ...framing });
  res.end(reply.status === 204 ? undefined : reply.body);
}
