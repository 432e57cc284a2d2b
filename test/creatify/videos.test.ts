// The client's preview and render calls against the sandbox: what each sends, and that an
// ambiguous failure reads back before anything is sent again.
import { beforeEach, describe, expect, it } from "vitest";
import type { Lipsync } from "../../src/creatify/lipsync.ts";
import type { VideosClient } from "../../src/creatify/videos.ts";
import { afterRender } from "../../src/generate/videos/decide.ts";
import { lines, newVideosClient, sandbox, useSandbox } from "../support/http-sandbox.ts";

useSandbox();

let client: VideosClient;
let avatarId: string;

beforeEach(() => {
  avatarId = sandbox.seed({ creator_name: "James" }).id;
  client = newVideosClient();
});

const FP = "lipsync-sha256:0123456789abcdef";
const body = () => ({
  video_inputs: [
    {
      character: { type: "avatar", avatar_id: avatarId },
      voice: { type: "text", input_text: "Hello" },
    },
  ],
  name: `Promo [preview ${FP}]`,
});
const calls = (path: string) =>
  sandbox.requests.filter((request) => request.method === "POST" && request.path === path);
/** The run's rule: a render was taken unless the job still reads as the preview it was. */
const taken = (job: Lipsync) => afterRender(job).next !== "render-again";

describe("VideosClient.preview", () => {
  it("sends a create's body to the preview route and answers the job with its link", async () => {
    const job = await client.preview(body(), FP, new Set());
    expect(job).toMatchObject({ status: "done", output: null, preview: expect.any(String) });
    const [sent] = calls("/api/lipsyncs_v2/preview/");
    expect(sent?.json).toEqual(body());
  });

  it("after a 502 it looks before previewing again, and adopts what it finds", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/lipsyncs_v2/preview/",
      kind: "status",
      status: 502,
      store: true,
    });
    const job = await client.preview(body(), FP, new Set());
    expect(job.id).toBe(sandbox.lipsync.jobs[0]?.id);
    expect(calls("/api/lipsyncs_v2/preview/")).toHaveLength(1);
  });
});

describe("VideosClient.render", () => {
  const preview = () => sandbox.lipsync.seed({ name: `Promo [preview ${FP}]`, previewed: true });

  it("sends no body and answers the job, pending", async () => {
    const { id } = preview();
    const job = await client.render(id, taken);
    expect(job).toMatchObject({ id, status: "pending" });
    const [sent] = calls(`/api/lipsyncs_v2/${id}/render/`);
    expect(sent?.bytes).toBe(0);
    expect(sent?.headers["content-type"]).toBeUndefined();
  });

  it("after a 502 of a render the server took, reads the job back and renders no more", async () => {
    const { id } = preview();
    const path = `/api/lipsyncs_v2/${id}/render/`;
    sandbox.fault({ method: "POST", path, kind: "status", status: 502, store: true });
    const job = await client.render(id, taken);
    expect(job).toMatchObject({ id });
    expect(calls(path)).toHaveLength(1);
    expect(lines.some((line) => line.startsWith("warning: rendering the video"))).toBe(true);
  });

  it("after a 502 of a render the server did not take, renders once more", async () => {
    const { id } = preview();
    const path = `/api/lipsyncs_v2/${id}/render/`;
    sandbox.fault({ method: "POST", path, kind: "status", status: 502 });
    const job = await client.render(id, taken);
    expect(job).toMatchObject({ id, status: "pending" });
    expect(calls(path).map((call) => call.status)).toEqual([502, 200]);
  });

  it("reports a refused render (a second one) without sending it again", async () => {
    const { id } = preview();
    await client.render(id, taken);
    await expect(client.render(id, taken)).rejects.toThrow(/already been rendered/);
    expect(calls(`/api/lipsyncs_v2/${id}/render/`)).toHaveLength(2);
  });
});
