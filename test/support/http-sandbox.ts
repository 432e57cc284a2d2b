// The HTTP layer's tests against the in-process sandbox: undici over real sockets, an injected
// `sleep` so that backoff costs no time but is still observed. A file calls `useSandbox()` once;
// `sandbox`, `sleeps` and `lines` are then the current test's (live bindings, set per test).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { type AvatarFields, AvatarsClient } from "../../src/creatify/avatars.ts";
import type { Mine } from "../../src/creatify/create.ts";
import { Http, type HttpOptions } from "../../src/creatify/http.ts";
import type { Persona } from "../../src/creatify/persona.ts";
import { VideosClient } from "../../src/creatify/videos.ts";
import type { VideoFile } from "../../src/files/video.ts";
import type { Log } from "../../src/log.ts";
import { type Sandbox, startSandbox } from "../sandbox/server.ts";
import { mp4Bytes } from "./runner.ts";

// The default dispatcher reads the proxy variables: keep a developer's proxy out of loopback tests.
const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

export let sandbox: Sandbox;
export let sleeps: number[];
export let lines: string[];
export let client: AvatarsClient | undefined;
let http: Http | undefined;
let dir: string;

const log: Log = {
  info: (message) => lines.push(`info: ${message}`),
  warning: (message) => lines.push(`warning: ${message}`),
  notice: (message) => lines.push(`notice: ${message}`),
  error: (message) => lines.push(`error: ${message}`),
  debug: () => {},
};

function options(overrides: Partial<HttpOptions> = {}): HttpOptions {
  return {
    baseUrl: sandbox.url,
    apiId: sandbox.apiId,
    apiKey: sandbox.apiKey,
    log,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    // Jitter at its floor: delays are half the ceiling, 250, 500, 1000, 2000 ms.
    random: () => 0,
    ...overrides,
  };
}

export function newClient(overrides: Partial<HttpOptions> = {}): AvatarsClient {
  const given = options(overrides);
  http = new Http(given);
  client = new AvatarsClient(http, given);
  return client;
}

export function newVideosClient(overrides: Partial<HttpOptions> = {}): VideosClient {
  const given = options(overrides);
  http = new Http(given);
  return new VideosClient(http, given);
}

export function newHttp(overrides: Partial<HttpOptions> = {}): Http {
  http = new Http(options(overrides));
  return http;
}

/** `METHOD path` of every request the sandbox saw, in order. */
export const calls = () => sandbox.requests.map((r) => `${r.method} ${r.path}`);
export const posts = () => sandbox.requests.filter((r) => r.method === "POST");

/** A sandbox per test, and no proxy from the developer's environment. */
export function useSandbox(): void {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "creatify-http-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) vi.stubEnv(name, "");
    sandbox = await startSandbox();
    sleeps = [];
    lines = [];
  });
  afterEach(async () => {
    await http?.close();
    client = undefined;
    http = undefined;
    await sandbox.close();
    vi.unstubAllEnvs();
  });
}

export const fields: AvatarFields = {
  creator_name: "James",
  gender: "m",
  video_scene: "office",
  labels: ["brand-a"],
};

/** What these creates made: any avatar of the name that the listing before did not hold (no fingerprint is sent here). */
export const mine = (known: ReadonlySet<string> = new Set()): Mine<Persona> => ({
  known,
  carries: () => true,
});

export async function videoFile(size: number): Promise<VideoFile> {
  const file = path.join(dir, `v-${size}.mp4`);
  await writeFile(file, mp4Bytes(size));
  const header = { found: false, reason: "not read" } as const;
  return { path: file, relativePath: "v.mp4", size, contentType: "video/mp4", header };
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes the sandbox wrote of its first answer, once it has stopped writing. */
export async function sentOnceStopped(): Promise<number | undefined> {
  const sent = () => sandbox.requests[0]?.sent;
  let before: number | undefined;
  do {
    before = sent();
    await settle(100);
  } while (sent() !== before);
  return before;
}

/** A loopback URL on which nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}
