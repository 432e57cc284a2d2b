// The HTTP layer and the client's create path against the in-process sandbox: undici over real
// sockets, an injected `sleep` so that backoff costs no time but is still observed.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_ANSWER_BYTES, MAX_ANSWER_KEYS, MAX_ANSWER_VALUES } from "../../src/creatify/answer.ts";
import { type AvatarFields, CreatifyClient } from "../../src/creatify/client.ts";
import type { Mine } from "../../src/creatify/create.ts";
import { CreatifyError } from "../../src/creatify/errors.ts";
import { describeErrorBody, Http, type HttpOptions } from "../../src/creatify/http.ts";
import type { Persona } from "../../src/creatify/persona.ts";
import { dispatcherFor } from "../../src/creatify/transport.ts";
import type { VideoFile } from "../../src/files/video.ts";
import type { Log } from "../../src/log.ts";
import { DEFAULT_BACKOFF } from "../../src/retry.ts";
import { mp4Bytes } from "../e2e/harness.ts";
import { htmlFault, type Sandbox, startSandbox } from "../sandbox/server.ts";

describe("describeErrorBody", () => {
  it("gives a DRF detail as is", () => {
    expect(describeErrorBody({ detail: "Invalid API credentials." })).toBe(
      "Invalid API credentials.",
    );
  });

  it("lists field errors with their messages", () => {
    expect(
      describeErrorBody({
        gender: ['"x" is not a valid choice.'],
        video_scene: ["This field is required.", "Second message."],
      }),
    ).toBe(
      'gender: "x" is not a valid choice.; video_scene: This field is required. Second message.',
    );
  });

  it("keeps detail as a field when other fields come along", () => {
    expect(describeErrorBody({ detail: "Bad.", code: "quota" })).toBe("detail: Bad.; code: quota");
  });

  it("copes with nested errors, strings and other JSON", () => {
    expect(describeErrorBody({ labels: { 0: ["Too long."] } })).toBe('labels: {"0":["Too long."]}');
    expect(describeErrorBody({ non_field_errors: ["Invalid data."] })).toBe(
      "non_field_errors: Invalid data.",
    );
    expect(describeErrorBody("plain words")).toBe("plain words");
    expect(describeErrorBody(null)).toBe("null");
    expect(describeErrorBody(42)).toBe("42");
  });
});

// The default dispatcher reads the proxy variables: keep a developer's proxy out of loopback tests.
const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

let sandbox: Sandbox;
let sleeps: number[];
let lines: string[];
let client: CreatifyClient | undefined;
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

function newClient(overrides: Partial<HttpOptions> = {}): CreatifyClient {
  client = new CreatifyClient(options(overrides));
  return client;
}

function newHttp(overrides: Partial<HttpOptions> = {}): Http {
  http = new Http(options(overrides));
  return http;
}

/** `METHOD path` of every request the sandbox saw, in order. */
const calls = () => sandbox.requests.map((r) => `${r.method} ${r.path}`);
const posts = () => sandbox.requests.filter((r) => r.method === "POST");

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
  await client?.close();
  await http?.close();
  client = undefined;
  http = undefined;
  await sandbox.close();
  vi.unstubAllEnvs();
});

describe("reads", () => {
  it("retry a burst of 503s with growing backoff, then succeed", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/count/",
      kind: "status",
      status: 503,
      times: 3,
    });
    expect(await newClient().quota()).toEqual({ max_count: 10, current_count: 0 });
    expect(calls()).toEqual(Array(4).fill("GET /api/personas_v2/count/"));
    expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(lines[0]).toBe(
      "info: GET /api/personas_v2/count/: HTTP 503: A server error occurred.; retrying in 250ms (attempt 2 of 5)",
    );
  });

  it("honour Retry-After on 429", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 429,
      headers: { "retry-after": "3" },
    });
    expect(await newClient().list()).toEqual([]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(sandbox.requests).toHaveLength(2);
  });

  it("retry a reset connection and a 502", async () => {
    const persona = sandbox.seed({ creator_name: "Ana" });
    const path = `/api/personas/${persona.id}/`;
    sandbox.fault({ method: "GET", path, kind: "reset", afterStore: false });
    sandbox.fault({ method: "GET", path, kind: "status", status: 502 });
    expect(await newClient().get(persona.id)).toMatchObject({ id: persona.id });
    expect(sandbox.requests.map((r) => r.status)).toEqual([undefined, 502, 200]);
    expect(sleeps).toHaveLength(2);
  });

  it("give up after the policy's attempts with the last failure", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 503,
      times: 10,
    });
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreatifyError);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 503: A server error occurred.",
      status: 503,
    });
    expect(sandbox.requests).toHaveLength(5);
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it("report a non-JSON HTML page by status and content type", async () => {
    sandbox.fault(htmlFault("GET", "/api/personas_v2/", 502));
    expect(await newClient().list()).toEqual([]);
    expect(lines[0]).toMatch(
      /^info: GET \/api\/personas_v2\/: HTTP 502: a text\/html body, not JSON; retrying in/,
    );

    sandbox.fault(htmlFault("GET", "/api/personas_v2/", 502, 10));
    const error = await client?.list().catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 502: a text/html body, not JSON",
      status: 502,
    });
    expect(String((error as Error).message)).not.toContain("<html>");
  });

  it("do not retry 401, and never show the credentials", async () => {
    const error = await newClient({ apiKey: "wrong-secret-key-987" })
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "final", reason: "credentials", status: 401 });
    expect((error as Error).message).toBe(
      "GET /api/personas_v2/: Creatify refused the credentials (HTTP 401); check the api-id and api-key inputs (Invalid API credentials.)",
    );
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]?.headers["x-api-key"]).toBe("wrong-secret-key-987");
    expect(JSON.stringify(lines)).not.toContain("wrong-secret-key-987");
  });

  it("say an unknown avatar does not exist, without retrying", async () => {
    const error = await newClient()
      .get("no-such-id")
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Avatar "no-such-id" does not exist \(HTTP 404/);
    expect(sandbox.requests).toHaveLength(1);
  });

  it("refuse a 200 that is not JSON", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: "<html>login</html>",
      contentType: "text/html; charset=utf-8",
    });
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      reason: "not-json",
      message:
        "GET /api/personas_v2/: HTTP 200 with a text/html; charset=utf-8 content type, not JSON",
    });
    expect(sandbox.requests).toHaveLength(1);
  });

  it("time out on a server that never answers, with a clear message", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "hang", times: 10 });
    const started = Date.now();
    // Three attempts keep the test short.
    const error = await newClient({
      readTimeoutMs: 150,
      backoff: { ...DEFAULT_BACKOFF, attempts: 3 },
    })
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: "GET /api/personas_v2/: no answer in time (IDLE_TIMEOUT)",
    });
    expect(sandbox.requests).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("abandon a read and its retries at the deadline", async () => {
    const persona = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({ method: "GET", path: "/api/personas/*", kind: "hang", times: 10 });
    const started = Date.now();
    const error = await newClient()
      .get(persona.id, started + 300)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: `GET /api/personas/${persona.id}/: no answer in time (deadline)`,
    });
    expect(sandbox.requests).toHaveLength(1);
  });
});

describe("a dispatcher shared with other requests", () => {
  it("carries the layer's requests and stays open when the layer closes", async () => {
    const shared = dispatcherFor({});
    try {
      const layer = newHttp({ dispatcher: shared });
      await layer.read({ method: "GET", path: "/api/personas_v2/" });
      layer.close();
      const other = await shared.request({
        origin: sandbox.url,
        path: "/api/personas_v2/count/",
        method: "GET",
      });
      expect(other.statusCode).toBe(401);
      await other.body.dump();
      expect(calls()).toEqual(["GET /api/personas_v2/", "GET /api/personas_v2/count/"]);
    } finally {
      await shared.destroy();
    }
  });
});

describe("list", () => {
  it("reads a plain array, and a paginated {results} the same way", async () => {
    const seeded = sandbox.seed({ creator_name: "Ana" });
    expect((await newClient().list()).map((p) => p.id)).toEqual([seeded.id]);
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ count: 1, next: null, results: [seeded] }),
    });
    expect((await newClient().list()).map((p) => p.id)).toEqual([seeded.id]);
  });
});

describe("delete", () => {
  it("takes a 204 without body or content type, retried like a read through 5xx", async () => {
    const { id } = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({ method: "DELETE", path: `/api/personas/${id}/`, kind: "status", status: 502 });
    await newClient().delete(id);
    expect(calls()).toEqual([`DELETE /api/personas/${id}/`, `DELETE /api/personas/${id}/`]);
    expect(sandbox.requests.map((r) => r.status)).toEqual([502, 204]);
    expect(sleeps).toEqual([250]);
    expect(sandbox.personas).toEqual([]);
  });

  it("counts an avatar already gone (404) as deleted", async () => {
    await expect(newClient().delete("gone")).resolves.toBeUndefined();
    expect(calls()).toEqual(["DELETE /api/personas/gone/"]);
  });

  it("throws after the policy's attempts of 500", async () => {
    const { id } = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({
      method: "DELETE",
      path: "/api/personas/*",
      kind: "status",
      status: 500,
      times: 5,
    });
    await expect(newClient().delete(id)).rejects.toThrow(/DELETE \/api\/personas\/.*HTTP 500/);
    expect(calls()).toHaveLength(DEFAULT_BACKOFF.attempts);
  });

  it("still refuses a 200 without a body: only a 204 may be empty", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/count/",
      kind: "status",
      status: 200,
      body: "",
    });
    await expect(
      newHttp().read({ method: "GET", path: "/api/personas_v2/count/" }),
    ).rejects.toThrow(/HTTP 200 .*not JSON/);
  });
});

describe("one attempt (Http.send) classifies real transport failures", () => {
  it("a refused connection is unprocessed", async () => {
    const error = await newHttp({ baseUrl: await closedPortUrl() })
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unprocessed", reason: "network" });
    expect((error as Error).message).toMatch(
      /^GET \/api\/personas_v2\/: cannot connect \(ECONNREFUSED/,
    );
  });

  it("a reset is ambiguous", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const error = await newHttp()
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "network" });
    expect((error as Error).message).toMatch(/^GET \/api\/personas_v2\/: connection lost \(/);
  });

  it("no headers in time is an ambiguous timeout", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "hang" });
    const error = await newHttp({ readTimeoutMs: 100 })
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout" });
  });
});

const fields: AvatarFields = {
  creator_name: "James",
  gender: "m",
  video_scene: "office",
  labels: ["brand-a"],
};

/** What these creates made: any avatar of the name that the listing before did not hold (no fingerprint is sent here). */
const mine = (known: ReadonlySet<string> = new Set()): Mine<Persona> => ({
  known,
  carries: () => true,
});

async function videoFile(size: number): Promise<VideoFile> {
  const file = path.join(dir, `v-${size}.mp4`);
  await writeFile(file, mp4Bytes(size));
  const header = { found: false, reason: "not read" } as const;
  return { path: file, relativePath: "v.mp4", size, contentType: "video/mp4", header };
}

describe("creates", () => {
  const upload = async (size = 4096, known: ReadonlySet<string> = new Set()) =>
    newClient().createFromFiles(fields, await videoFile(size), undefined, mine(known));
  const UPLOAD = "POST /api/personas_v2/";
  const LIST = "GET /api/personas_v2/";

  it("adopt the avatar a 502 stored, without a second POST", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
    expect(sleeps).toEqual([]);
    expect(lines).toContain(`info: Found avatar ${persona.id} created by that attempt; using it.`);
  });

  it("reports the digest of the bytes that went out, not a later attempt's cut-off body", async () => {
    // The first attempt's whole body arrives and is stored, answered 502, and the list does not
    // show it yet; the second is cut off before its file has streamed, and then the list does.
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: "[]",
    });
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const video = await videoFile(16_000_000);
    const digests: string[] = [];
    const persona = await newClient().createFromFiles(fields, video, undefined, mine(), {
      parts: (hex) => [["keywords", hex]],
      onDigest: (hex) => digests.push(hex),
    });
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD, LIST]);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(sandbox.personas).toHaveLength(1);
    const sha256 = createHash("sha256").update(mp4Bytes(16_000_000)).digest("hex");
    expect(posts()[0]?.fields?.keywords).toEqual([sha256]);
    expect(digests).toEqual([sha256]);
  });

  it("resend after a reset before the server stored it, with the whole file again", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const size = 2_000_000;
    const persona = await upload(size);
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    const [first, second] = posts();
    expect(first?.status).toBeUndefined();
    expect(first?.bytes).toBeLessThan(size);
    expect(second?.status).toBe(201);
    expect(second?.files).toMatchObject([
      { field: "lipsync_input", filename: `v-${size}.mp4`, contentType: "video/mp4", bytes: size },
    ]);
    expect(second?.bytes).toBe(Number(second?.headers["content-length"]));
  });

  it("adopt the avatar when the connection drops after the server stored it", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: true });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
  });

  it.each([429, 503])("resend at once after %i, without looking first", async (status) => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status,
      headers: { "retry-after": "2" },
    });
    await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(calls()).toEqual([UPLOAD, UPLOAD]);
    expect(sleeps).toEqual([2000]);
  });

  it("resend after a 500 that stored nothing, once the list shows no new avatar", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 500 });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    expect(sleeps).toEqual([250]);
    expect(lines[0]).toMatch(
      /^warning: uploading v\.mp4: POST \/api\/personas_v2\/: HTTP 500.*looking for the avatar/,
    );
  });

  it("do not adopt an avatar of the same name that existed before", async () => {
    const older = sandbox.seed({
      creator_name: "James",
      process_status: "pending",
      is_active: false,
    });
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 504 });
    const persona = await upload(4096, new Set([older.id]));
    expect(persona.id).not.toBe(older.id);
    expect(sandbox.personas).toHaveLength(2);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
  });

  it("do not resend a 400, and list its fields", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ gender: ['"x" is not a valid choice.'] }),
    });
    const error = await upload().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      message:
        'uploading v.mp4: POST /api/personas_v2/: HTTP 400: gender: "x" is not a valid choice.',
    });
    expect(calls()).toEqual([UPLOAD]);
    expect(sandbox.personas).toHaveLength(0);
  });

  it("resend a JSON create after a 502 that stored nothing", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas/", kind: "status", status: 502 });
    const persona = await newClient().createFromUrls(
      fields,
      "https://cdn.example.com/v.mp4",
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual(["POST /api/personas/", LIST, "POST /api/personas/"]);
  });

  it("resend after no answer in time when nothing was stored", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "hang" });
    const persona = await newClient({ createTimeoutMs: 200 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    expect(lines[0]).toMatch(/no answer in time \(IDLE_TIMEOUT\)/);
  });

  it("adopt the avatar when the answer comes too late, after the server stored it", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "delay", ms: 3000 });
    const persona = await newClient({ createTimeoutMs: 200 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
  });

  it("say the avatar may exist when looking for it fails too", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 502 });
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 503,
      times: 10,
    });
    const error = await upload().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      status: 502,
      message:
        "uploading v.mp4: POST /api/personas_v2/: HTTP 502: A server error occurred.; the avatar may have been created, but looking for it failed: GET /api/personas_v2/: HTTP 503: A server error occurred.",
    });
    expect(calls()).toEqual([UPLOAD, ...Array(5).fill(LIST)]);
  });

  it("give up with a clear timeout after every attempt hangs, having created nothing", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "hang", times: 10 });
    const started = Date.now();
    const error = await newClient({
      createTimeoutMs: 150,
      backoff: { ...DEFAULT_BACKOFF, attempts: 3 },
    })
      .createFromFiles(fields, await videoFile(4096), undefined, mine())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: "uploading v.mp4: POST /api/personas_v2/: no answer in time (IDLE_TIMEOUT)",
    });
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD, LIST, UPLOAD, LIST]);
    expect(sandbox.personas).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("keep trying while the connection is refused, then say so", async () => {
    const error = await newClient({ baseUrl: await closedPortUrl() })
      .createFromUrls(fields, "https://cdn.example.com/v.mp4", undefined, mine())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unprocessed", reason: "network" });
    expect((error as Error).message).toMatch(
      /^submitting https:\/\/cdn\.example\.com\/v\.mp4: POST \/api\/personas\/: cannot connect \(ECONNREFUSED/,
    );
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
    expect(lines.some((line) => line.startsWith("warning:"))).toBe(false);
  });
});

const MiB = 2 ** 20;
const DAY_MS = 86_400_000;
const LIST = { method: "GET", path: "/api/personas_v2/" } as const;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Avatars still in review, as a large account lists them: ~610 bytes each. */
function seedAvatars(count: number): void {
  for (let i = 0; i < count; i++) {
    sandbox.seed({
      creator_name: `Avatar ${i}`,
      process_status: "reviewing",
      video_scene: "office",
      labels: ["brand-a"],
      lipsync_input_url: `https://cdn.sandbox.creatify.example/uploads/${randomUUID()}/a${i}.mp4`,
    });
  }
}

/** Bytes the sandbox wrote of its first answer, once it has stopped writing. */
async function sentOnceStopped(): Promise<number | undefined> {
  const sent = () => sandbox.requests[0]?.sent;
  let before: number | undefined;
  do {
    before = sent();
    await settle(100);
  } while (sent() !== before);
  return before;
}

describe("bounds on an answer (SPEC §11)", () => {
  it("stop reading an endless list at 16 MiB, hang up, and say so", async () => {
    sandbox.fault({ ...LIST, kind: "endless" });
    const started = Date.now();
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      reason: "not-json",
      status: 200,
      message: "GET /api/personas_v2/: HTTP 200: answer larger than 16 MiB",
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sandbox.requests).toHaveLength(1);
    // Only what was in flight when the client hung up came after the cap.
    expect(await sentOnceStopped()).toBeLessThan(MAX_ANSWER_BYTES + 8 * MiB);
  });

  it.each([
    [MAX_ANSWER_BYTES, "HTTP 200 with a application/json content type, not JSON"],
    [MAX_ANSWER_BYTES + 1, "HTTP 200: answer larger than 16 MiB"],
  ])("read a chunked answer of %i bytes to its end only within the cap", async (bytes, problem) => {
    sandbox.fault({ ...LIST, kind: "endless", maxBytes: bytes });
    const error = await newHttp()
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: `GET /api/personas_v2/: ${problem}` });
  });

  it("refuse an answer whose Content-Length is over the cap without waiting for it", async () => {
    // One byte a minute: only refusing on the header can end this in time.
    sandbox.fault({ ...LIST, kind: "drip", contentLength: MAX_ANSWER_BYTES + 1, everyMs: 60_000 });
    const started = Date.now();
    const error = await newHttp()
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 200: answer larger than 16 MiB",
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await sentOnceStopped()).toBe(0);
  });

  it("keep the status's own classification for a failure over the cap", async () => {
    sandbox.fault({ ...LIST, kind: "endless", status: 502 });
    const error = await newHttp()
      .send(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "server",
      status: 502,
      message: "GET /api/personas_v2/: HTTP 502: answer larger than 16 MiB",
    });
  });

  const distinctKeys = Object.fromEntries(
    Array.from({ length: MAX_ANSWER_KEYS + 1 }, (_, i) => [`key${i}`, 0]),
  );
  it.each([
    [
      "empty objects",
      `[${"{},".repeat(MAX_ANSWER_VALUES)}{}]`,
      "answer of more than 750,000 JSON values",
    ],
    ["distinct keys", JSON.stringify(distinctKeys), "answer with more than 10,000 distinct keys"],
  ])(
    "refuse JSON of %s that would cost far more memory than its bytes",
    async (_, body, problem) => {
      sandbox.fault({ ...LIST, kind: "status", status: 200, body });
      const error = await newHttp()
        .read(LIST)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "final",
        message: `GET /api/personas_v2/: HTTP 200: ${problem}`,
      });
    },
  );

  it("count neither what strings hold nor a key seen before", async () => {
    // Commas, brackets and escaped quotes followed by colons, inside strings over many chunks.
    const note = '",[{:'.repeat(400_000);
    const answer = Array.from({ length: 20_000 }, (_, i) => ({ id: `a${i}`, labels: ["x"] }));
    sandbox.fault({
      ...LIST,
      kind: "status",
      status: 200,
      body: JSON.stringify([note, ...answer]),
    });
    expect(await newHttp().read(LIST)).toHaveLength(20_001);
  });

  it("read a list of 20,000 avatars", async () => {
    seedAvatars(20_000);
    const started = Date.now();
    expect(await newClient().list()).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    [1000, 60_000, "1s limit per call"],
    [60_000, 1000, "deadline"],
  ])(
    "end a drip-fed answer at the call budget (%i ms) or the deadline (in %i ms), whichever is first",
    async (callBudgetMs, deadlineIn, limit) => {
      sandbox.fault({ ...LIST, kind: "drip", contentLength: 1_000_000, everyMs: 20, times: 10 });
      const started = Date.now();
      const error = await newHttp({ callBudgetMs })
        .read({ ...LIST, deadline: started + deadlineIn })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "ambiguous",
        reason: "timeout",
        message: `GET /api/personas_v2/: no answer in time (${limit})`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeLessThan(3000);
      // No time was left for another attempt, and the client hung up.
      expect(sandbox.requests).toHaveLength(1);
      expect(await sentOnceStopped()).toBeLessThan(200);
    },
  );

  it("make no retry that would start after the call budget", async () => {
    sandbox.fault({ ...LIST, kind: "status", status: 503, headers: { "retry-after": "2" } });
    const error = await newHttp({ callBudgetMs: 1000 })
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(sandbox.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("bound reading a create's answer by the budget, but not its upload", async () => {
    const json = JSON.stringify({ ...fields, lipsync_input: "https://cdn.example.com/v.mp4" });
    const third = Math.ceil(json.length / 3);
    async function* slowly() {
      for (let at = 0; at < json.length; at += third) {
        await settle(300);
        yield Buffer.from(json.slice(at, at + third));
      }
    }
    const body = () => ({
      stream: slowly(),
      contentType: "application/json",
      contentLength: Buffer.byteLength(json),
    });
    const created = await newHttp({ callBudgetMs: 200 }).send({
      method: "POST",
      path: "/api/personas/",
      body,
    });
    expect(created).toMatchObject({ creator_name: "James" });

    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "drip",
      status: 201,
      contentLength: 1000,
      everyMs: 20,
      store: true,
    });
    const persona = await newClient({ callBudgetMs: 300 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(persona.id).toBe(sandbox.personas[1]?.id);
    expect(calls().slice(1)).toEqual(["POST /api/personas_v2/", "GET /api/personas_v2/"]);
    expect(lines[0]).toMatch(/no answer in time \(300ms limit per call\).*looking for the avatar/);
  });

  it.each([
    [true, "adopt it"],
    [false, "fail"],
  ])(
    "take a create's answer over the cap as unreadable: look, never resend (stored: %s, so %s)",
    async (store) => {
      sandbox.fault({
        method: "POST",
        path: "/api/personas_v2/",
        kind: "endless",
        status: 201,
        store,
      });
      const outcome = await newClient()
        .createFromFiles(fields, await videoFile(4096), undefined, mine())
        .catch((e: unknown) => e);
      expect(calls()).toEqual(["POST /api/personas_v2/", "GET /api/personas_v2/"]);
      if (store) {
        expect(outcome).toMatchObject({ id: sandbox.personas[0]?.id });
      } else {
        expect(outcome).toMatchObject({
          kind: "final",
          reason: "not-json",
          message: "uploading v.mp4: POST /api/personas_v2/: HTTP 201: answer larger than 16 MiB",
        });
        expect(sandbox.personas).toHaveLength(0);
      }
    },
  );

  it.each<[number | undefined, string]>([
    [undefined, "the default budget"],
    [30 * DAY_MS, "a budget beyond a timer's reach"],
  ])("keep a deadline 25 days out with %s", async (callBudgetMs) => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const persona = sandbox.seed({ creator_name: "Ana" });
      const read = await newClient({ callBudgetMs }).get(persona.id, Date.now() + 25 * DAY_MS);
      expect(read.id).toBe(persona.id);
      await settle(10);
      expect(warnings).not.toContain("TimeoutOverflowWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});

/** A loopback URL on which nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}
