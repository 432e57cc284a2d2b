import { Readable } from "node:stream";
import { FormData, ProxyAgent, request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startProxy } from "./proxy.ts";
import { CREATE_FIELDS, READ_FIELDS } from "./schema.ts";
import { type Persona, type Sandbox, type SandboxOptions, startSandbox } from "./server.ts";

let sandbox: Sandbox;
let auth: Record<string, string>;

beforeEach(async () => {
  sandbox = await startSandbox({ maxCount: 2 });
  auth = { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey };
});
afterEach(() => sandbox.close());

/** Bytes the sandbox wrote of answer `index`, once it has stopped writing. */
async function sentOnceStopped(index: number): Promise<number | undefined> {
  const sent = () => sandbox.requests[index]?.sent;
  let before: number | undefined;
  do {
    before = sent();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (sent() !== before);
  return before;
}

function form(labels: string[], video = new Uint8Array(4096).fill(7)): FormData {
  const data = new FormData();
  data.append("creator_name", "James");
  data.append("gender", "m");
  data.append("video_scene", "office");
  for (const label of labels) data.append("labels", label);
  data.append("lipsync_input", new Blob([video], { type: "video/mp4" }), "lipsync.mp4");
  return data;
}

async function upload(body: FormData, headers = auth) {
  const res = await request(`${sandbox.url}/api/personas_v2/`, { method: "POST", headers, body });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

/** A JSON answer of the sandbox: its status and body. */
async function call(path: string, method = "GET", body?: unknown) {
  const res = await request(`${sandbox.url}${path}`, {
    method: method as "GET",
    headers: body === undefined ? auth : { ...auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: text ? JSON.parse(text) : null,
  };
}

const byUrl = (fields: Record<string, unknown> = {}) => ({
  lipsync_input: "https://example.com/a.mp4",
  creator_name: "Ann",
  gender: "f",
  video_scene: "office",
  ...fields,
});

/** Another sandbox, for the tests of an option. */
async function restart(options: SandboxOptions) {
  await sandbox.close();
  sandbox = await startSandbox(options);
  auth = { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey };
}

describe("the documented schema of each answer", () => {
  // Exactly these keys: a field the schema lacks fails the test, and so does one it has missing.
  const keys = (value: unknown) => Object.keys(value as object).sort();
  // Copied from Creatify's API reference, not from schema.ts, so that a slip there fails here.
  const read = [
    ...["id", "created_at", "updated_at", "gender", "creator_name", "suitable_industries"],
    ...["preview_image_16_9", "preview_image_1_1", "preview_image_9_16", "preview_video_16_9"],
    ...["preview_video_1_1", "preview_video_9_16", "landscape_preview_video"],
    ...["squared_preview_video", "portrait_preview_video", "is_active", "process_status"],
    ...["failed_reason", "type", "age_range", "location", "style", "video_scene", "keywords"],
  ].sort();
  const created = [
    ...["id", "gender", "creator_name", "consent_video", "lipsync_input_url"],
    ...["matching_voice_non_null", "process_status", "failed_reason", "created_at", "updated_at"],
    ...["video_scene", "keywords", "lipsync_input", "gdown_url", "labels", "webhook_url"],
  ].sort();

  it("keeps the documented field lists: no labels, webhook_url, lipsync_input_url or consent_video in a read, no is_active or previews in a create", () => {
    expect([...READ_FIELDS].sort()).toEqual(read);
    expect([...CREATE_FIELDS].sort()).toEqual(created);
    for (const field of ["labels", "webhook_url", "lipsync_input_url", "consent_video"]) {
      expect(read).not.toContain(field);
    }
    expect(created.filter((field) => field === "is_active" || field.includes("preview"))).toEqual(
      [],
    );
  });

  it("answers a create by URL, a create by file, a read and the list each in its schema", async () => {
    await restart({ maxCount: 3 });
    sandbox.seed({ creator_name: "Seeded", labels: ["x"], webhook_url: "https://h.example/" });
    const byJson = await call("/api/personas/", "POST", byUrl({ labels: ["brand-a"] }));
    expect(byJson.status).toBe(201);
    expect(keys(byJson.json)).toEqual(created);
    expect(byJson.json).toMatchObject({
      labels: ["brand-a"],
      lipsync_input_url: expect.any(String),
    });
    const byFile = await upload(form(["brand-b"]));
    expect(byFile.status).toBe(201);
    expect(keys(byFile.body)).toEqual(created);

    const one = await call(`/api/personas/${byJson.json.id}/`);
    expect(one.status).toBe(200);
    expect(keys(one.json)).toEqual(read);
    const list = await call("/api/personas_v2/");
    expect(list.json).toHaveLength(3);
    for (const persona of list.json) expect(keys(persona)).toEqual(read);
  });
});

describe("DELETE /api/personas/{id}/", () => {
  it("answers 204 with no body, then 404, and frees the quota slot", async () => {
    const { json: persona } = await call("/api/personas/", "POST", byUrl());
    expect((await call("/api/personas_v2/count/")).json).toEqual({
      max_count: 2,
      current_count: 1,
    });
    const deleted = await call(`/api/personas/${persona.id}/`, "DELETE");
    expect(deleted).toMatchObject({ status: 204, text: "" });
    expect(deleted.headers["content-type"]).toBeUndefined();
    expect((await call(`/api/personas/${persona.id}/`, "DELETE")).status).toBe(404);
    expect((await call(`/api/personas/${persona.id}/`)).status).toBe(404);
    expect((await call("/api/personas_v2/count/")).json).toEqual({
      max_count: 2,
      current_count: 0,
    });
    expect(sandbox.personas).toEqual([]);
  });
});

describe("a Creatify stricter or laxer than documented, on demand", () => {
  const FINGERPRINT = "video-sha256:0123456789abcdef";

  it("strips the fingerprint from keywords (stripFingerprint)", async () => {
    await restart({ stripFingerprint: true });
    const answer = await call(
      "/api/personas/",
      "POST",
      byUrl({ keywords: `sales, ${FINGERPRINT}` }),
    );
    expect(answer.json.keywords).toBe("sales");
    expect((await call(`/api/personas/${answer.json.id}/`)).json.keywords).toBe("sales");
    const alone = await call("/api/personas/", "POST", byUrl({ keywords: FINGERPRINT }));
    expect(alone.json.keywords).toBeNull();
  });

  it("refuses the fingerprint in keywords with a 400 naming keywords (refuseKeywordsWith)", async () => {
    await restart({ refuseKeywordsWith: "video-sha256:" });
    const refused = await call("/api/personas/", "POST", byUrl({ keywords: `a,${FINGERPRINT}` }));
    expect(refused).toMatchObject({ status: 400, json: { keywords: [expect.any(String)] } });
    expect((await call("/api/personas/", "POST", byUrl({ keywords: "a" }))).status).toBe(201);
    expect(sandbox.personas).toHaveLength(1);
  });

  it("ignores a consent video: 201 with consent_video null (ignoreConsentVideo)", async () => {
    const consent = { consent_video: "https://example.com/c.mp4" };
    expect((await call("/api/personas/", "POST", byUrl(consent))).json.consent_video).toBe(
      consent.consent_video,
    );
    await restart({ ignoreConsentVideo: true });
    expect((await call("/api/personas/", "POST", byUrl(consent))).json.consent_video).toBeNull();
  });
});

describe("sandbox", () => {
  it("rejects and records requests with wrong credentials", async () => {
    const res = await request(`${sandbox.url}/api/personas_v2/count/`, {
      headers: { ...auth, "x-api-key": "nope" },
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toEqual({ detail: "Invalid API credentials." });
    expect(sandbox.requests[0]).toMatchObject({ path: "/api/personas_v2/count/", status: 401 });
  });

  it("stores a multipart create with repeated labels and counts it against the quota", async () => {
    const created = await upload(form(["brand-a", "brand-b"]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ creator_name: "James", process_status: "pending" });
    expect(sandbox.personas[0]?.labels).toEqual(["brand-a", "brand-b"]);
    const rec = sandbox.requests[0];
    expect(rec?.fields?.labels).toEqual(["brand-a", "brand-b"]);
    expect(rec?.files).toMatchObject([
      { field: "lipsync_input", filename: "lipsync.mp4", contentType: "video/mp4", bytes: 4096 },
    ]);
    expect(rec?.bytes).toBe(Number(rec?.headers["content-length"]));
    expect(sandbox.maxConcurrentUploads).toBe(1);

    const count = await request(`${sandbox.url}/api/personas_v2/count/`, { headers: auth });
    expect(await count.body.json()).toEqual({ max_count: 2, current_count: 1 });
    await upload(form([]));
    expect((await upload(form([]))).body).toEqual({
      detail: "You have reached the maximum number of custom avatars.",
    });
  });

  it("answers DRF-shaped field errors", async () => {
    const data = form([], new Uint8Array(0));
    data.set("gender", "x");
    data.delete("creator_name");
    const res = await upload(data);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      creator_name: ["This field is required."],
      gender: ['"x" is not a valid choice.'],
      lipsync_input: ["The submitted file is empty."],
    });
    expect(sandbox.personas).toHaveLength(0);
  });

  it("walks a persona's status one step per read until done", async () => {
    const res = await request(`${sandbox.url}/api/personas/`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        lipsync_input: "https://example.com/a.mp4",
        creator_name: "Ann",
        gender: "f",
        video_scene: "office",
        labels: ["x"],
      }),
    });
    const { id } = (await res.body.json()) as Persona;
    const seen: Persona[] = [];
    for (let i = 0; i < 5; i++) {
      const read = await request(`${sandbox.url}/api/personas/${id}/`, { headers: auth });
      seen.push((await read.body.json()) as Persona);
    }
    expect(seen.map((p) => p.process_status)).toEqual([
      "pending",
      "processing",
      "reviewing",
      "done",
      "done",
    ]);
    expect(seen.map((p) => p.is_active)).toEqual([false, false, false, true, true]);
    expect(seen[3]?.preview_video_16_9).toMatch(/^https:\/\//);
    const missing = await request(`${sandbox.url}/api/personas/nope/`, { headers: auth });
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it("stores the persona before answering an ambiguous status fault", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    expect((await upload(form([]))).status).toBe(502);
    const list = await request(`${sandbox.url}/api/personas_v2/`, { headers: auth });
    const personas = (await list.body.json()) as Persona[];
    expect(personas.map((p) => p.creator_name)).toEqual(["James"]);
  });

  it("rejects an upload sent without Content-Length", async () => {
    const body = new Response("--x--\r\n").body;
    const res = await fetch(`${sandbox.url}/api/personas_v2/`, {
      method: "POST",
      headers: { ...auth, "content-type": "multipart/form-data; boundary=x" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      detail: "Content-Length missing does not match the 7 bytes received.",
    });
  });

  it("resets mid-body without storing, or after storing", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    await expect(upload(form([], new Uint8Array(1 << 20)))).rejects.toThrow();
    expect(sandbox.personas).toHaveLength(0);
    expect((await upload(form([]))).status).toBe(201);

    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: true });
    await expect(upload(form([]))).rejects.toThrow();
    expect(sandbox.personas).toHaveLength(2);
  });

  it("answers 429 with Retry-After, then delays, then hangs until close()", async () => {
    const path = "/api/personas_v2/count/";
    sandbox.fault({
      method: "GET",
      path,
      kind: "status",
      status: 429,
      headers: { "Retry-After": "3" },
    });
    sandbox.fault({ method: "GET", path: "/api/*", kind: "delay", ms: 50 });
    sandbox.fault({ method: "GET", path, kind: "hang" });
    const throttled = await request(`${sandbox.url}${path}`, { headers: auth });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("3");
    expect(await throttled.body.json()).toEqual({ detail: "Request was throttled." });

    const started = Date.now();
    const slow = await request(`${sandbox.url}${path}`, { headers: auth });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(slow.statusCode).toBe(200);
    await slow.body.dump();

    const hung = request(`${sandbox.url}${path}`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sandbox.close();
    await expect(hung).rejects.toThrow();
  });

  it("counts uploads received at once, streamed with an exact Content-Length", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const head = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="creator_name"\r\n\r\nJames\r\n' +
        '--b\r\nContent-Disposition: form-data; name="gender"\r\n\r\nnb\r\n' +
        '--b\r\nContent-Disposition: form-data; name="video_scene"\r\n\r\noffice\r\n' +
        '--b\r\nContent-Disposition: form-data; name="lipsync_input"; filename="a.mov"\r\n' +
        "Content-Type: video/quicktime\r\n\r\nfirst-half",
    );
    const tail = Buffer.from("second-half\r\n--b--\r\n");
    const send = () =>
      request(`${sandbox.url}/api/personas_v2/`, {
        method: "POST",
        headers: {
          ...auth,
          "content-type": "multipart/form-data; boundary=b",
          "content-length": String(head.length + tail.length),
        },
        body: Readable.from(
          (async function* () {
            yield head;
            await gate;
            yield tail;
          })(),
        ),
      });
    const both = Promise.all([send(), send()]);
    while (sandbox.requests.filter((r) => r.bytes > 0).length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    release();
    const answers = await Promise.all((await both).map((r) => r.body.json()));
    expect(answers).toMatchObject([{ gender: "nb" }, { gender: "nb" }]);
    expect(sandbox.maxConcurrentUploads).toBe(2);
    expect(sandbox.requests[0]?.files?.[0]?.bytes).toBe(21);
  });

  it("streams an endless answer until the client hangs up, or to its own byte bound", async () => {
    const path = "/api/personas_v2/";
    sandbox.fault({ method: "GET", path, kind: "endless" });
    const hungUp = await request(`${sandbox.url}${path}`, { headers: auth });
    expect(hungUp.statusCode).toBe(200);
    expect(hungUp.headers["transfer-encoding"]).toBe("chunked");
    let read = 0;
    for await (const chunk of hungUp.body) {
      read += chunk.length;
      if (read > 1 << 20) break;
    }
    // Leaving the loop hung up: what was in flight then came, no more.
    expect(await sentOnceStopped(0)).toBeLessThan(16 << 20);

    sandbox.fault({ method: "GET", path, kind: "endless", maxBytes: 100_000 });
    const bounded = await request(`${sandbox.url}${path}`, { headers: auth });
    const text = await bounded.body.text();
    expect(text).toHaveLength(100_000);
    expect(text).toMatch(/^\[\{"id":/);
  });

  it("stops an endless answer at its own time bound", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "endless", maxMs: 200 });
    const started = Date.now();
    const res = await request(`${sandbox.url}/api/personas_v2/`, { headers: auth });
    let bytes = 0;
    for await (const chunk of res.body) bytes += chunk.length;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(bytes).toBe(sandbox.requests[0]?.sent);
  });

  it("drips a declared body one byte per tick, and cuts it off at its time bound", async () => {
    const path = "/api/personas_v2/";
    sandbox.fault({ method: "GET", path, kind: "drip", contentLength: 6, everyMs: 20 });
    const started = Date.now();
    const whole = await request(`${sandbox.url}${path}`, { headers: auth });
    expect(whole.headers["content-length"]).toBe("6");
    expect(await whole.body.json()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    sandbox.fault({
      method: "GET",
      path,
      kind: "drip",
      contentLength: 1000,
      everyMs: 10,
      maxMs: 100,
    });
    const cut = await request(`${sandbox.url}${path}`, { headers: auth });
    await expect(cut.body.text()).rejects.toThrow();
    expect(sandbox.requests[1]?.sent).toBeLessThan(20);
  });

  describe("GitHub's API, without Creatify credentials", () => {
    // a <- b <- c on main; f, pushed with force, also has a as its parent.
    const REPO = {
      commits: [
        { sha: "a", files: [{ filename: "avatars/james.mp4", status: "added" }] },
        { sha: "b", parent: "a", files: [{ filename: "avatars/ana.mp4", status: "added" }] },
        { sha: "c", parent: "b", files: [{ filename: "avatars/ana.mp4", status: "removed" }] },
        { sha: "f", parent: "a", files: [] },
      ],
      runs: [
        {
          id: 1,
          workflow: "x.yml",
          branch: "main",
          event: "push",
          sha: "a",
          conclusion: "success",
        },
        {
          id: 2,
          workflow: "x.yml",
          branch: "main",
          event: "push",
          sha: "b",
          conclusion: "cancelled",
        },
        {
          id: 3,
          workflow: "y.yml",
          branch: "main",
          event: "push",
          sha: "b",
          conclusion: "success",
        },
      ],
    } as const;
    const get = async (path: string) => {
      const res = await request(`${sandbox.url}${path}`, { headers: { authorization: "token t" } });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };

    it.each([
      { basehead: "a...c", status: "ahead", files: ["avatars/ana.mp4:removed"] },
      { basehead: "b...c", status: "ahead", files: ["avatars/ana.mp4:removed"] },
      { basehead: "c...c", status: "identical", files: [] },
      { basehead: "c...a", status: "behind", files: [] },
      { basehead: "c...f", status: "diverged", files: [] },
    ])("compares $basehead: $status", async ({ basehead, status, files }) => {
      sandbox.setGitHub(structuredClone(REPO) as never);
      const { body } = await get(`/repos/o/r/compare/${basehead}?per_page=1`);
      expect(body.status).toBe(status);
      const listed = body.files as { filename: string; status: string }[];
      expect(listed.map((f) => `${f.filename}:${f.status}`)).toEqual(files);
    });

    it("lists a workflow's successful runs on a branch, newest first", async () => {
      sandbox.setGitHub(structuredClone(REPO) as never);
      const { body } = await get(
        "/repos/o/r/actions/workflows/x.yml/runs?branch=main&status=success&event=push",
      );
      expect(body.workflow_runs).toEqual([expect.objectContaining({ id: 1, head_sha: "a" })]);
      expect((await get("/repos/o/r/actions/workflows/x.yml/runs?branch=dev")).body).toMatchObject({
        total_count: 0,
      });
      expect(sandbox.requests[0]?.headers.authorization).toBe("token t");
    });

    it("refuses the runs listing as for a token without actions: read", async () => {
      sandbox.setGitHub({ ...structuredClone(REPO), refuseRuns: true } as never);
      expect((await get("/repos/o/r/actions/workflows/x.yml/runs")).status).toBe(403);
      expect((await get("/repos/o/r/compare/a...c")).status).toBe(200);
    });
  });

  it("forwards through the proxy by CONNECT and by absolute-form requests", async () => {
    const proxy = await startProxy();
    try {
      for (const proxyTunnel of [true, false]) {
        const dispatcher = new ProxyAgent({ uri: proxy.url, proxyTunnel });
        const res = await request(`${sandbox.url}/api/personas_v2/count/`, {
          headers: auth,
          dispatcher,
        });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
        await dispatcher.close();
      }
      const host = new URL(sandbox.url).host;
      expect(proxy.seen).toEqual([`CONNECT ${host}`, `GET ${sandbox.url}/api/personas_v2/count/`]);
    } finally {
      await proxy.close();
    }
  });
});
