import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./sandbox/server.ts";

let sandbox: Sandbox;
let avatarId: string;

beforeEach(async () => {
  sandbox = await startSandbox({ lipsync: { credits: 7 } });
  avatarId = sandbox.seed({ creator_name: "James" }).id;
});
afterEach(() => sandbox.close());

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
