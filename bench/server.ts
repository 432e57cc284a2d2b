/**
 * Just enough of the Creatify API for the action's upload path and its reuse decision, on 127.0.0.1.
 * Uploads are read at full speed, framing-checked by a streaming scanner (never buffered)
 * and timed from the first to the last body byte with process.hrtime.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { boundaryOf, type MultipartResult, MultipartScanner } from "./multipart.ts";

export const API_ID = "bench-id";
export const API_KEY = "bench-key";

export interface Upload {
  /** hrtime (ns) of the first and last body byte. */
  firstByte: bigint | undefined;
  lastByte: bigint | undefined;
  contentLength: number | undefined;
  transferEncoding: string | undefined;
  userAgent: string | undefined;
  result: MultipartResult | undefined;
  /** Framing errors, including the checks against the expected file size. */
  errors: string[];
  personaId: string | undefined;
  aborted: boolean;
  /** The `video-sha256:` label the upload carried, and whether it came after the file part. */
  fingerprint: string | undefined;
  fingerprintAfterFile: boolean;
}

export interface RunLog {
  /** hrtime (ns) of the first request of the run. */
  firstRequest: bigint | undefined;
  requests: { method: string; path: string; status: number; at: bigint }[];
  uploads: Upload[];
  /** Anything the action did that the API would not accept or the bench did not expect. */
  notes: string[];
}

export type Persona = Record<string, unknown> & { id: string };

/** What the server knows of the file and account for a run. */
export interface RunSetup {
  /** Bytes the `lipsync_input` part must carry. */
  fileSize: number;
  /** `video-sha256:<16 hex>` of the file: a label that says otherwise fails the upload. */
  fingerprint?: string;
  /** The account's avatars, served by `GET /api/personas_v2/` (none by default). */
  existing?: Persona[];
}

const FINGERPRINT_PREFIX = "video-sha256:";

export class BenchServer {
  private server: Server | undefined;
  private readonly personas = new Map<string, Persona>();
  private run: RunLog = emptyRun();
  private setup: RunSetup = { fileSize: -1 };
  /** Resolvers waiting for the current run's upload to finish. */
  private waiters: (() => void)[] = [];
  url = "";

  async start(): Promise<string> {
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** Starts a new run; its log is filled in as requests arrive. */
  beginRun(setup: RunSetup): RunLog {
    this.run = emptyRun();
    this.setup = setup;
    for (const persona of setup.existing ?? []) this.personas.set(persona.id, persona);
    return this.run;
  }

  /** Resolves once no upload of the current run is still being received (bounded by timeoutMs). */
  async settle(timeoutMs = 2000): Promise<void> {
    if (!this.run.uploads.some((u) => u.result === undefined && !u.aborted)) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const at = process.hrtime.bigint();
    const run = this.run;
    run.firstRequest ??= at;
    const method = req.method ?? "";
    const path = new URL(req.url ?? "/", "http://bench").pathname;
    const send = (status: number, body: unknown) => {
      run.requests.push({ method, path, status, at });
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };

    if (req.headers["x-api-id"] !== API_ID || req.headers["x-api-key"] !== API_KEY) {
      run.notes.push(`${method} ${path} without the right X-API-ID/X-API-KEY headers`);
      req.resume();
      req.once("end", () => send(401, { detail: "Authentication credentials were not provided." }));
      return;
    }

    if (method === "GET" && path === "/api/personas_v2/count/") {
      req.resume();
      send(200, { max_count: 1000, current_count: 0 });
    } else if (method === "GET" && path === "/api/personas_v2/") {
      req.resume();
      send(200, this.setup.existing ?? []);
    } else if (method === "POST" && path === "/api/personas_v2/") {
      this.receiveUpload(req, run, send);
    } else if (method === "GET" && /^\/api\/personas\/[^/]+\/$/.test(path)) {
      req.resume();
      const id = decodeURIComponent(path.split("/")[3] ?? "");
      const p = this.personas.get(id);
      if (p) send(200, p);
      else send(404, { detail: "Not found." });
    } else {
      run.notes.push(`unexpected request ${method} ${path}`);
      req.resume();
      send(404, { detail: "Not found." });
    }
  }

  private receiveUpload(
    req: IncomingMessage,
    run: RunLog,
    send: (status: number, body: unknown) => void,
  ): void {
    const cl = req.headers["content-length"];
    const upload: Upload = {
      firstByte: undefined,
      lastByte: undefined,
      contentLength: cl === undefined ? undefined : Number(cl),
      transferEncoding: req.headers["transfer-encoding"],
      userAgent: req.headers["user-agent"],
      result: undefined,
      errors: [],
      personaId: undefined,
      aborted: false,
      fingerprint: undefined,
      fingerprintAfterFile: false,
    };
    run.uploads.push(upload);
    const { fileSize: expected, fingerprint } = this.setup;
    const boundary = boundaryOf(req.headers["content-type"]);
    const scanner = boundary ? new MultipartScanner(boundary) : undefined;
    let bytes = 0;

    req.on("data", (chunk: Buffer) => {
      const now = process.hrtime.bigint();
      upload.firstByte ??= now;
      upload.lastByte = now;
      bytes += chunk.length;
      scanner?.write(chunk);
    });
    req.once("aborted", () => {
      upload.aborted = true;
      run.notes.push(`upload aborted by the client after ${bytes} bytes`);
      this.wake();
    });
    req.once("error", () => {
      upload.aborted = true;
      this.wake();
    });
    req.once("end", () => {
      const errors = upload.errors;
      if (!boundary) {
        errors.push(
          `Content-Type is not multipart/form-data with a boundary: ${req.headers["content-type"]}`,
        );
      }
      if (upload.contentLength === undefined) {
        errors.push(
          `no Content-Length (transfer-encoding: ${upload.transferEncoding ?? "none"}); the file must be streamed with its length`,
        );
      } else if (upload.contentLength !== bytes) {
        errors.push(`received ${bytes} bytes but Content-Length is ${upload.contentLength}`);
      }
      const result = scanner?.finish();
      upload.result = result ?? { bytes, parts: [], errors: [] };
      if (result) {
        errors.push(...result.errors);
        const files = result.parts.filter((p) => p.name === "lipsync_input");
        if (files.length !== 1) {
          errors.push(`expected one lipsync_input part, got ${files.length}`);
        } else {
          const f = files[0] as (typeof files)[number];
          if (f.size !== expected) {
            errors.push(`lipsync_input carries ${f.size} bytes, the file has ${expected}`);
          }
          if (f.filename === undefined) run.notes.push("lipsync_input part has no filename");
          if (f.contentType !== "video/mp4" && f.contentType !== "video/quicktime") {
            run.notes.push(`lipsync_input Content-Type is ${f.contentType ?? "missing"}`);
          }
        }
        const labels = result.parts.filter(
          (p) => p.name === "labels" && p.value?.startsWith(FINGERPRINT_PREFIX),
        );
        const label = labels[0];
        if (labels.length > 1) errors.push(`${labels.length} ${FINGERPRINT_PREFIX} labels`);
        if (label) {
          upload.fingerprint = label.value;
          upload.fingerprintAfterFile =
            result.parts.indexOf(label) > result.parts.findIndex((p) => p.name === "lipsync_input");
          if (fingerprint !== undefined && label.value !== fingerprint) {
            errors.push(`the upload is labelled ${label.value}, the file is ${fingerprint}`);
          }
        }
        // Creatify's reads show keywords, not labels: the fingerprint must ride there too.
        const keywords = result.parts.find((p) => p.name === "keywords")?.value ?? "";
        if (label && keywords.split(",").at(-1)?.trim() !== label.value) {
          errors.push(`the keywords part "${keywords}" does not end with ${label.value}`);
        }
        for (const field of ["creator_name", "gender", "video_scene"]) {
          if (!result.parts.some((p) => p.name === field)) run.notes.push(`no ${field} part`);
        }
      }
      if (errors.length > 0) {
        send(400, { detail: `bench framing check failed: ${errors.join("; ")}` });
        this.wake();
        return;
      }
      const value = (name: string) => result?.parts.find((p) => p.name === name)?.value;
      const now = new Date().toISOString();
      const persona: Persona = {
        id: randomUUID(),
        creator_name: value("creator_name") ?? "",
        gender: "m",
        video_scene: "office",
        keywords: value("keywords") ?? null,
        is_active: false,
        process_status: "pending",
        failed_reason: null,
        preview_image_16_9: null,
        preview_image_1_1: null,
        preview_image_9_16: null,
        preview_video_16_9: null,
        preview_video_1_1: null,
        preview_video_9_16: null,
        created_at: now,
        updated_at: now,
      };
      this.personas.set(persona.id, persona);
      upload.personaId = persona.id;
      send(201, persona);
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

function emptyRun(): RunLog {
  return { firstRequest: undefined, requests: [], uploads: [], notes: [] };
}
