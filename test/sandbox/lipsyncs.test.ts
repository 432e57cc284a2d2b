import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOB_FIELDS } from "./schema.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "./server.ts";

let sandbox: Sandbox;
let avatarId: string;

async function start(options: SandboxOptions) {
  sandbox = await startSandbox(options);
  avatarId = sandbox.seed({ creator_name: "James" }).id;
}

beforeEach(() => start({ lipsync: { credits: 7 } }));
afterEach(() => sandbox.close());

/** Another sandbox, for the tests of an option. */
async function restart(options: SandboxOptions) {
  await sandbox.close();
  await start(options);
}

async function call(method: "GET" | "POST", path: string, body?: unknown) {
  const res = await request(`${sandbox.url}${path}`, {
    method,
    headers: {
      "x-api-id": sandbox.apiId,
      "x-api-key": sandbox.apiKey,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

const scene = () => ({
  character: { type: "avatar", avatar_id: avatarId },
  voice: { type: "text", input_text: "Hello" },
});

describe("sandbox lipsyncs_v2", () => {
  it("walks a job pending → in_queue → running → done, one step per read, and bills once", async () => {
    const created = await call("POST", "/api/lipsyncs_v2/", { video_inputs: [scene()] });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "pending", output: null });
    const path = `/api/lipsyncs_v2/${created.body.id}/`;
    const statuses = [];
    for (let read = 0; read < 5; read++) statuses.push((await call("GET", path)).body.status);
    expect(statuses).toEqual(["pending", "in_queue", "running", "done", "done"]);
    const done = await call("GET", path);
    expect(done.body.output).toBe(`${sandbox.lipsync.videoUrl}/videos/${created.body.id}.mp4`);
    expect((await call("GET", "/api/remaining_credits/")).body).toEqual({ remaining_credits: 2 });
  });

  it.each([
    [{ video_inputs: [] }, "video_inputs"],
    [{ video_inputs: undefined }, "video_inputs"],
    [{ video_inputs: [{ voice: { type: "text", input_text: "x" } }] }, "video_inputs[0]"],
    [{ video_inputs: "x" }, "video_inputs"],
    [{ aspect_ratio: "4x3" }, "aspect_ratio"],
    [{ model_version: "turbo" }, "model_version"],
    [{ name: "n".repeat(256) }, "name"],
    [{ webhook_url: "not a url" }, "webhook_url"],
  ])("refuses %o naming %s, storing nothing", async (change, field) => {
    const answer = await call("POST", "/api/lipsyncs_v2/", { video_inputs: [scene()], ...change });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body)).toContain(field);
    expect(sandbox.lipsync.jobs).toHaveLength(0);
  });

  it("refuses an avatar that does not exist", async () => {
    const body = {
      video_inputs: [{ ...scene(), character: { type: "avatar", avatar_id: "nope" } }],
    };
    expect((await call("POST", "/api/lipsyncs_v2/", body)).status).toBe(400);
  });

  it("lists jobs, filtered by ?ids=", async () => {
    const a = sandbox.lipsync.seed({ name: "a" });
    sandbox.lipsync.seed({ name: "b" });
    const all = await request(`${sandbox.url}/api/lipsyncs_v2/`, {
      headers: { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey },
    });
    expect((await all.body.json()) as unknown[]).toHaveLength(2);
    const some = await request(`${sandbox.url}/api/lipsyncs_v2/?ids=${a.id}`, {
      headers: { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey },
    });
    expect(((await some.body.json()) as { id: string }[]).map((job) => job.id)).toEqual([a.id]);
  });

  it("asks for credentials on its routes and not at the video origin", async () => {
    const res = await request(`${sandbox.url}/api/remaining_credits/`);
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    const job = sandbox.lipsync.seed({ name: "a" });
    const video = await request(`${sandbox.lipsync.videoUrl}/videos/${job.id}.mp4`);
    expect(video.statusCode).toBe(200);
    expect((await video.body.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});

describe("sandbox lipsyncs_v2 previews and renders", () => {
  const statusOf = async (id: unknown) => (await call("GET", `/api/lipsyncs_v2/${id}/`)).body;
  const credits = async () => (await call("GET", "/api/remaining_credits/")).body.remaining_credits;

  it("answers every job in its documented fields: no webhook_url, editor_url or media_job", async () => {
    // Copied from the contract's job fields and Creatify's `preview`, not from schema.ts.
    const documented = [
      ...["id", "name", "status", "progress", "output", "preview", "video_thumbnail"],
      ...["duration", "credits_used", "failed_reason", "created_at", "updated_at"],
      ...["aspect_ratio", "model_version", "video_inputs"],
    ].sort();
    expect([...JOB_FIELDS].sort()).toEqual(documented);
    const body = { video_inputs: [scene()], webhook_url: "https://hooks.example/x" };
    const answers = [
      await call("POST", "/api/lipsyncs_v2/", body),
      await call("POST", "/api/lipsyncs_v2/preview/", body),
    ];
    const previewId = answers[1]?.body.id;
    answers.push(await call("POST", `/api/lipsyncs_v2/${previewId}/render/`));
    answers.push(await call("GET", `/api/lipsyncs_v2/${previewId}/`));
    for (const answer of answers) expect(Object.keys(answer.body).sort()).toEqual(documented);
    const list = await request(`${sandbox.url}/api/lipsyncs_v2/`, {
      headers: { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey },
    });
    for (const job of (await list.body.json()) as object[]) {
      expect(Object.keys(job).sort()).toEqual(documented);
    }
  });

  it("answers a preview with its link, done and without output, billed 1 credit", async () => {
    const preview = await call("POST", "/api/lipsyncs_v2/preview/", {
      video_inputs: [scene()],
      name: "Promo [preview lipsync-sha256:0123456789abcdef]",
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      status: "done",
      output: null,
      credits_used: 1,
      preview: `${sandbox.lipsync.videoUrl}/preview?layout=videos/${preview.body.id}.json`,
    });
    expect(await statusOf(preview.body.id)).toMatchObject({ status: "done", output: null });
    expect(await credits()).toBe(6);
  });

  it("renders a preview once: pending, walked to done with output, billed 4 more", async () => {
    const preview = await call("POST", "/api/lipsyncs_v2/preview/", { video_inputs: [scene()] });
    const path = `/api/lipsyncs_v2/${preview.body.id}/render/`;
    const render = await call("POST", path);
    expect(render.status).toBe(200);
    expect(render.body).toMatchObject({ id: preview.body.id, status: "pending", output: null });
    const statuses = [];
    for (let read = 0; read < 4; read++) statuses.push((await statusOf(preview.body.id)).status);
    expect(statuses).toEqual(["pending", "in_queue", "running", "done"]);
    const done = await statusOf(preview.body.id);
    expect(done).toMatchObject({
      output: `${sandbox.lipsync.videoUrl}/videos/${preview.body.id}.mp4`,
      preview: expect.any(String),
      credits_used: 5,
    });
    expect(await credits()).toBe(2);
    // A second render, while running or once done, is refused and bills nothing.
    const again = await call("POST", path);
    expect(again).toMatchObject({
      status: 400,
      body: { detail: expect.stringMatching(/already/) },
    });
    expect(await credits()).toBe(2);
  });

  it.each([
    ["a job made by a create", "create"],
    ["a job that does not exist", "missing"],
  ])("refuses to render %s", async (_, what) => {
    const created = await call("POST", "/api/lipsyncs_v2/", { video_inputs: [scene()] });
    const id = what === "create" ? created.body.id : "3c90c3cc-0000-4b50-8888-8dd25736052a";
    const render = await call("POST", `/api/lipsyncs_v2/${id}/render/`);
    expect(render.status).toBe(what === "create" ? 400 : 404);
  });

  it("renders a seeded preview, as a preview made by an earlier run", async () => {
    const seeded = sandbox.lipsync.seed({ name: "a [preview lipsync-sha256:x]", previewed: true });
    expect(await statusOf(seeded.id)).toMatchObject({ status: "done", output: null });
    expect((await call("POST", `/api/lipsyncs_v2/${seeded.id}/render/`)).status).toBe(200);
  });

  it("takes Creatify's own scene and top-level fields, checking their types", async () => {
    const rich = {
      ...scene(),
      caption_setting: { style: "normal-black", offset: { x: 0, y: 0.4 } },
      background: { type: "image", url: "https://example.com/bg.jpg", fit: "cover" },
      transition_effect: { transition_in: null },
      visual_style: "FullAvatar",
      cta: { text: "Buy" },
    };
    const body = { video_inputs: [rich], background_music: { url: "https://e.x/m.mp3" } };
    expect((await call("POST", "/api/lipsyncs_v2/preview/", body)).status).toBe(200);
    for (const bad of [
      { video_inputs: [{ ...rich, visual_style: { x: 1 } }] },
      { video_inputs: [{ ...rich, caption_setting: "big" }] },
      { video_inputs: [{ ...rich, sparkles: true }] },
      { video_inputs: [rich], cta_end: "Buy now" },
    ]) {
      expect((await call("POST", "/api/lipsyncs_v2/preview/", bad)).status).toBe(400);
    }
    expect(sandbox.lipsync.jobs).toHaveLength(1);
  });

  it("plays a preview job missing from the listings, still read by its id", async () => {
    await restart({ lipsync: { unlistedPreviews: true } });
    const preview = await call("POST", "/api/lipsyncs_v2/preview/", { video_inputs: [scene()] });
    const created = await call("POST", "/api/lipsyncs_v2/", { video_inputs: [scene()] });
    const listed = async (query: string) => {
      const res = await request(`${sandbox.url}/api/lipsyncs_v2/${query}`, {
        headers: { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey },
      });
      return ((await res.body.json()) as { id: string }[]).map((job) => job.id);
    };
    expect(await listed("")).toEqual([created.body.id]);
    expect(await listed(`?ids=${preview.body.id}`)).toEqual([]);
    expect((await statusOf(preview.body.id)).id).toBe(preview.body.id);
  });

  it("plays another reading of a preview's status", async () => {
    await restart({ lipsync: { previewStatus: "pending" } });
    const preview = await call("POST", "/api/lipsyncs_v2/preview/", { video_inputs: [scene()] });
    expect(preview.body).toMatchObject({ status: "pending", preview: expect.any(String) });
    expect(await statusOf(preview.body.id)).toMatchObject({ status: "pending", output: null });
  });

  it("accepts a render it then answers 502, so that a second one is refused", async () => {
    const preview = await call("POST", "/api/lipsyncs_v2/preview/", { video_inputs: [scene()] });
    const path = `/api/lipsyncs_v2/${preview.body.id}/render/`;
    sandbox.fault({ method: "POST", path, kind: "status", status: 502, store: true });
    expect((await call("POST", path)).status).toBe(502);
    expect(await statusOf(preview.body.id)).toMatchObject({ status: "pending" });
    expect((await call("POST", path)).status).toBe(400);
  });
});
