// The bundle against a misbehaving API and behind a proxy: no duplicates, nothing
// lost, clear errors. Each test has its own sandbox and workspace so that the
// tests, most of which wait on backoff or timeouts, run side by side.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startProxy } from "../sandbox/proxy.ts";
import { htmlFault, type Sandbox } from "../sandbox/server.ts";
import { errorLines, type RunOptions, runAction, setup, type Workspace } from "./harness.ts";

const james = { "creator-name": "James", gender: "m", "video-scene": "office" };
const UPLOAD = "POST /api/personas_v2/";

/** A self-signed certificate for localhost, trusted by the action through NODE_EXTRA_CA_CERTS. */
const TLS_DIR = path.resolve(import.meta.dirname, "../fixtures/tls");
const TLS = {
  key: readFileSync(path.join(TLS_DIR, "localhost.key"), "utf8"),
  cert: readFileSync(path.join(TLS_DIR, "localhost.crt"), "utf8"),
};

/** Submits `v.mp4` of `size` bytes as James. */
async function submit(
  sandbox: Sandbox,
  workspace: Workspace,
  size = 4096,
  extra: Partial<RunOptions> = {},
) {
  await workspace.video("v.mp4", size);
  return runAction({ sandbox, workspace, inputs: { ...james, video: "v.mp4" }, ...extra });
}

/** The first contact: the one read of a new avatar after its create. */
const READ = "GET /api/personas/{id}/";
const calls = (sandbox: Sandbox) =>
  sandbox.requests.map(
    (r) => `${r.method} ${r.path.replace(/^\/api\/personas\/[^/]+\/$/, "/api/personas/{id}/")}`,
  );

describe.concurrent("reliability", () => {
  it("retries reads through a burst of 503s and a 429 with Retry-After", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 503,
      times: 3,
    });
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/count/",
      kind: "status",
      status: 429,
      headers: { "retry-after": "1" },
    });
    const result = await submit(sandbox, workspace);
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    expect(calls(sandbox)).toEqual([
      ...Array(4).fill("GET /api/personas_v2/"),
      "GET /api/personas_v2/count/",
      "GET /api/personas_v2/count/",
      UPLOAD,
      READ,
    ]);
    const [throttled, retried] = sandbox.requests.filter(
      (r) => r.path === "/api/personas_v2/count/",
    );
    expect(throttled?.status).toBe(429);
    expect((retried?.startedAt ?? 0) - (throttled?.startedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(result.stdout).toContain("HTTP 429: Request was throttled.; retrying in 1s");
  });

  it("adopts the avatar a 502 stored instead of uploading twice", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    const result = await submit(sandbox, workspace);
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    expect(calls(sandbox).filter((call) => call === UPLOAD)).toHaveLength(1);
    expect(result.stdout).toMatch(
      /::warning::uploading v\.mp4: POST \/api\/personas_v2\/: HTTP 502/,
    );
    expect(result.stdout).toContain(
      `Found avatar ${sandbox.personas[0]?.id} created by that attempt`,
    );
  });

  it("uploads the whole file again after a reset before the server stored it", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const size = 3_000_000;
    const result = await submit(sandbox, workspace, size);
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    const [first, second, ...more] = sandbox.requests.filter((r) => r.method === "POST");
    expect(more).toEqual([]);
    expect(first?.status).toBeUndefined();
    expect(first?.bytes).toBeLessThan(size);
    expect(second?.status).toBe(201);
    expect(second?.files).toMatchObject([
      { field: "lipsync_input", filename: "v.mp4", contentType: "video/mp4", bytes: size },
    ]);
    expect(second?.bytes).toBe(Number(second?.headers["content-length"]));
  });

  it("sends a create again after 429, without looking for it first", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "POST", path: "/api/personas/", kind: "status", status: 429 });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "https://cdn.example.com/v.mp4" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(calls(sandbox)).toEqual([
      "GET /api/personas_v2/",
      "GET /api/personas_v2/count/",
      "POST /api/personas/",
      "POST /api/personas/",
      READ,
    ]);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
  });

  it("gives up on a create that gets no answer in time, then sends it again once nothing was stored", async (context) => {
    // The hang reads the whole upload and stores nothing: ambiguous, so look first, then resend.
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "hang" });
    const started = Date.now();
    const result = await submit(sandbox, workspace, 4096, {
      env: { CREATIFY_REQUEST_TIMEOUT: "1s" },
    });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sandbox.personas).toHaveLength(1);
    expect(calls(sandbox)).toEqual([
      "GET /api/personas_v2/",
      "GET /api/personas_v2/count/",
      UPLOAD,
      "GET /api/personas_v2/",
      UPLOAD,
      READ,
    ]);
    expect(result.stdout).toContain("no answer in time (IDLE_TIMEOUT)");
  });

  it("adopts the avatar when the answer comes after the timeout but the server stored it", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "delay", ms: 5000 });
    const result = await submit(sandbox, workspace, 4096, {
      env: { CREATIFY_REQUEST_TIMEOUT: "1s" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    expect(calls(sandbox).filter((call) => call === UPLOAD)).toHaveLength(1);
  });

  it("fails clearly, in bounded time, against a server that never answers", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "*", path: "*", kind: "hang", times: 100 });
    const started = Date.now();
    const result = await submit(sandbox, workspace, 4096, {
      env: { CREATIFY_REQUEST_TIMEOUT: "1s" },
    });
    // Five attempts of at most ~2 s (the idle timeout) plus at most 7.5 s of backoff.
    expect(Date.now() - started).toBeLessThan(22_000);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual(["GET /api/personas_v2/: no answer in time (IDLE_TIMEOUT)"]);
    expect(calls(sandbox)).toEqual(Array(5).fill("GET /api/personas_v2/"));
    expect(sandbox.personas).toHaveLength(0);
  });

  it("names the status and content type of an HTML error page", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const existing = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault(htmlFault("GET", `/api/personas/${existing.id}/`, 502, 10));
    const result = await runAction({ sandbox, workspace, inputs: { "avatar-id": existing.id } });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      `GET /api/personas/${existing.id}/: HTTP 502: a text/html body, not JSON`,
    ]);
    expect(sandbox.requests).toHaveLength(5);
    expect(result.stdout).not.toContain("<html>");
  });

  it("says the credentials were refused on 401, without retrying or printing them", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const existing = sandbox.seed({ creator_name: "Ana" });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: {
        "avatar-id": existing.id,
        "api-id": "someone-else-id",
        "api-key": "wrong-key-4567",
      },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      `GET /api/personas/${existing.id}/: Creatify refused the credentials (HTTP 401); check the api-id and api-key inputs (Invalid API credentials.)`,
    ]);
    expect(sandbox.requests).toHaveLength(1);
    expect(result.stdout).toContain("::add-mask::wrong-key-4567");
  });
});

/** The action's peak RSS bound, 256 MB, in the KiB GNU time reports. */
const MAX_RSS_KIB = 256 * 1024;

describe.concurrent("bounded memory and time", () => {
  it("fails in one clear line on an endless list, reading no more than 16 MiB of it", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "endless" });
    const started = Date.now();
    const result = await submit(sandbox, workspace, 4096, { measureRss: true });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      "GET /api/personas_v2/: HTTP 200: answer larger than 16 MiB",
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.peakRssKiB).toBeLessThan(MAX_RSS_KIB);
    expect(calls(sandbox)).toEqual(["GET /api/personas_v2/"]);
    expect(sandbox.personas).toHaveLength(0);
  });

  it("abandons a drip-fed list when the call's time runs out, and says which limit", async (context) => {
    const { sandbox, workspace } = await setup(context);
    // The budget is 3 minutes; CREATIFY_CALL_BUDGET shortens it so the test takes seconds.
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "drip",
      contentLength: 1_000_000,
      everyMs: 50,
    });
    const started = Date.now();
    const result = await submit(sandbox, workspace, 4096, { env: { CREATIFY_CALL_BUDGET: "2s" } });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      "GET /api/personas_v2/: no answer in time (2s limit per call)",
    ]);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(calls(sandbox)).toEqual(["GET /api/personas_v2/"]);
  });

  it("submits beside 20,000 avatars, whose list it reads whole", async (context) => {
    const { sandbox, workspace } = await setup(context, { maxCount: 30_000 });
    for (let i = 0; i < 20_000; i++) {
      sandbox.seed({
        creator_name: `Avatar ${i}`,
        process_status: "reviewing",
        video_scene: "office",
        labels: ["brand-a"],
        lipsync_input_url: `https://cdn.sandbox.creatify.example/uploads/${randomUUID()}/a${i}.mp4`,
      });
    }
    const result = await submit(sandbox, workspace, 4096, { measureRss: true });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(20_001);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[20_000]?.id);
    expect(result.peakRssKiB).toBeLessThan(MAX_RSS_KIB);
  });
});

describe.concurrent("proxy", () => {
  it.for([
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY and HTTP_PROXY",
    "https_proxy and http_proxy",
    // A runner behind a proxy may set only HTTPS_PROXY: it serves an http:// API root too.
    "HTTPS_PROXY",
    "https_proxy",
  ])("sends every request through the proxy with %s set", async (set, context) => {
    const { sandbox, workspace } = await setup(context);
    const proxy = await startProxy();
    context.onTestFinished(() => proxy.close());
    const env = Object.fromEntries(set.split(" and ").map((name) => [name, proxy.url]));
    const result = await submit(sandbox, workspace, 4096, { env });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    // The sandbox speaks plain HTTP, so each request is forwarded in absolute form (an
    // https:// API would be tunnelled with CONNECT).
    expect(proxy.seen).toEqual([
      `GET ${sandbox.url}/api/personas_v2/`,
      `GET ${sandbox.url}/api/personas_v2/count/`,
      `POST ${sandbox.url}/api/personas_v2/`,
      `GET ${sandbox.url}/api/personas/${sandbox.personas[0]?.id}/`,
    ]);
  });

  it.for([
    ["directly", {}],
    ["tunnelled through HTTPS_PROXY with CONNECT", { HTTPS_PROXY: "proxy" }],
  ] as const)("speaks TLS to an https:// API %s", async ([, proxied], context) => {
    const { sandbox, workspace } = await setup(context, { tls: TLS });
    const proxy = await startProxy();
    context.onTestFinished(() => proxy.close());
    const env = {
      NODE_EXTRA_CA_CERTS: path.join(TLS_DIR, "localhost.crt"),
      ...("HTTPS_PROXY" in proxied && { HTTPS_PROXY: proxy.url }),
    };
    const result = await submit(sandbox, workspace, 4096, { env });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(calls(sandbox)).toEqual([
      "GET /api/personas_v2/",
      "GET /api/personas_v2/count/",
      UPLOAD,
      READ,
    ]);
    // Kept alive, a tunnel may carry several requests: only CONNECTs to the API, and one at least.
    const port = new URL(sandbox.url).port;
    if ("HTTPS_PROXY" in proxied) {
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT localhost:${port}`]));
    } else {
      expect(proxy.seen).toEqual([]);
    }
  });

  it("fails at once on a certificate it cannot trust, having sent nothing", async (context) => {
    const { sandbox, workspace } = await setup(context, { tls: TLS });
    const result = await submit(sandbox, workspace);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      "GET /api/personas_v2/: cannot trust the server's certificate (DEPTH_ZERO_SELF_SIGNED_CERT); behind a proxy that inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS",
    ]);
    expect(result.stdout).not.toContain("retrying");
    expect(sandbox.requests).toEqual([]);
  });

  it.for(["NO_PROXY", "no_proxy"])("bypasses the proxy for hosts in %s", async (name, context) => {
    const { sandbox, workspace } = await setup(context);
    const proxy = await startProxy();
    context.onTestFinished(() => proxy.close());
    const result = await submit(sandbox, workspace, 4096, {
      env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, [name]: "127.0.0.1" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(1);
    expect(proxy.seen).toEqual([]);
    expect(sandbox.requests).toHaveLength(4);
  });
});
