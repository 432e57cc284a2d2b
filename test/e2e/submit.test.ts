import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { fingerprintLabel, fingerprintOfUrl } from "../../src/avatar/fingerprint.ts";
import { type Sandbox, startSandbox } from "../sandbox/server.ts";
import { errorLines, mp4Bytes, runAction, setup, type Workspace } from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

beforeEach(async (context) => {
  ({ sandbox, workspace } = await setup(context));
});

const james = {
  "creator-name": "James",
  gender: "m",
  "video-scene": "office",
};

describe("submitting a file", () => {
  it("streams the video as multipart with every field and sets the outputs", async () => {
    // Larger than the upload's ring of read buffers, so reused buffers are on the wire too.
    const size = 3_000_017;
    await workspace.video("avatars/james/lipsync.mp4", size);
    const sha256 = createHash("sha256").update(mp4Bytes(size)).digest("hex");
    await workspace.video("avatars/james/consent.mov", 5000, "qt  ");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: {
        ...james,
        video: "avatars/james/lipsync.mp4",
        "consent-video": "avatars/james/consent.mov",
        gender: "Male",
        keywords: "sales, friendly",
        labels: "brand-a\nbrand-b",
        "webhook-url": "https://hooks.example.com/creatify",
      },
    });
    expect(result.code).toBe(0);
    const create = sandbox.requests.find((r) => r.method === "POST");
    expect(create?.path).toBe("/api/personas_v2/");
    expect(create?.fields).toEqual({
      creator_name: ["James"],
      gender: ["m"],
      video_scene: ["office"],
      webhook_url: ["https://hooks.example.com/creatify"],
      // The fingerprint is hashed while the file streams, and follows it in the last parts.
      keywords: [`sales, friendly, ${fingerprintLabel(sha256)}`],
      labels: ["brand-a", "brand-b", fingerprintLabel(sha256)],
    });
    expect(create?.files).toMatchObject([
      {
        field: "lipsync_input",
        filename: "lipsync.mp4",
        contentType: "video/mp4",
        bytes: size,
        sha256,
      },
      {
        field: "consent_video",
        filename: "consent.mov",
        contentType: "video/quicktime",
        bytes: 5000,
      },
    ]);
    const [persona] = sandbox.personas;
    expect(result.outputs["avatar-id"]).toBe(persona?.id);
    expect(result.outputs.status).toBe("pending");
    expect(result.outputs["is-active"]).toBe("false");
    expect(result.outputs["failed-reason"]).toBe("");
    expect(result.outputs.reused).toBe("false");
    expect(JSON.parse(result.outputs.avatar ?? "")).toMatchObject({ id: persona?.id });
    expect(JSON.parse(result.outputs.avatars ?? "")).toEqual([
      {
        video: "avatars/james/lipsync.mp4",
        creator_name: "James",
        avatar_id: persona?.id,
        status: "pending",
        is_active: false,
        failed_reason: "",
        reused: false,
        replaces: null,
      },
    ]);
    expect(result.summary).toContain(`| James | \`${persona?.id}\` | pending |`);
  });

  it("checks the quota before uploading and uploads nothing when it is reached", async () => {
    const full = await startSandbox({ maxCount: 1 });
    full.seed({ creator_name: "Someone else" });
    await workspace.video("v.mp4");
    const result = await runAction({
      sandbox: full,
      workspace,
      inputs: { ...james, video: "v.mp4" },
    });
    await full.close();
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toMatch(
      /quota has 0 free of 1, and this run was to create 1: "James"\. Nothing was created/,
    );
    expect(full.requests.map((r) => `${r.method} ${r.path}`)).not.toContain(
      "POST /api/personas_v2/",
    );
    expect(full.personas).toHaveLength(1);
  });
});

describe("submitting a URL", () => {
  it("posts JSON to /api/personas/", async () => {
    const result = await runAction({
      sandbox,
      workspace,
      inputs: {
        ...james,
        video: "https://cdn.example.com/james.mp4",
        "consent-video": "https://cdn.example.com/consent.mp4",
        labels: "a, b",
      },
    });
    expect(result.code).toBe(0);
    const create = sandbox.requests.find((r) => r.method === "POST");
    expect(create?.path).toBe("/api/personas/");
    expect(create?.headers["content-type"]).toBe("application/json");
    expect(create?.json).toEqual({
      creator_name: "James",
      gender: "m",
      video_scene: "office",
      keywords: fingerprintOfUrl("https://cdn.example.com/james.mp4"),
      labels: ["a", "b", fingerprintOfUrl("https://cdn.example.com/james.mp4")],
      lipsync_input: "https://cdn.example.com/james.mp4",
      consent_video: "https://cdn.example.com/consent.mp4",
    });
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    // The quota is read before a URL's create too: it counts against the same slots.
    expect(sandbox.requests.some((r) => r.path === "/api/personas_v2/count/")).toBe(true);
  });
});

describe("if-exists", () => {
  it("reuses an avatar with the same name by default and uploads nothing", async () => {
    const existing = sandbox.seed({ creator_name: "James" });
    await workspace.video("v.mp4");
    const result = await runAction({ sandbox, workspace, inputs: { ...james, video: "v.mp4" } });
    expect(result.code).toBe(0);
    expect(result.outputs["avatar-id"]).toBe(existing.id);
    expect(result.outputs.reused).toBe("true");
    expect(result.outputs["is-active"]).toBe("true");
    expect(sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("does not reuse a rejected avatar", async () => {
    sandbox.seed({ creator_name: "James", process_status: "rejected", failed_reason: "blurry" });
    await workspace.video("v.mp4");
    const result = await runAction({ sandbox, workspace, inputs: { ...james, video: "v.mp4" } });
    expect(result.code).toBe(0);
    expect(result.outputs.reused).toBe("false");
    expect(sandbox.personas).toHaveLength(2);
  });

  it("creates another with if-exists: create", async () => {
    sandbox.seed({ creator_name: "James" });
    await workspace.video("v.mp4");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "v.mp4", "if-exists": "create" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.personas).toHaveLength(2);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[1]?.id);
  });

  it("fails with if-exists: fail and sends no create", async () => {
    const existing = sandbox.seed({ creator_name: "James" });
    await workspace.video("v.mp4");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "v.mp4", "if-exists": "fail" },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toContain(existing.id);
    expect(sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });
});

describe("avatar-id", () => {
  it("reads the avatar and sets the outputs without submitting", async () => {
    const existing = sandbox.seed({ creator_name: "Ana", gender: "f" });
    const result = await runAction({ sandbox, workspace, inputs: { "avatar-id": existing.id } });
    expect(result.code).toBe(0);
    expect(result.outputs["avatar-id"]).toBe(existing.id);
    expect(result.outputs.status).toBe("done");
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/personas/${existing.id}/`,
    ]);
  });

  it("says when the avatar does not exist", async () => {
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { "avatar-id": "4b0c7a8e-0000-4000-8000-000000000000" },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /Avatar "4b0c7a8e-0000-4000-8000-000000000000" does not exist \(HTTP 404/,
      ),
    ]);
  });

  it("fails on a rejected avatar with its reason and still sets the outputs", async () => {
    const existing = sandbox.seed({
      creator_name: "Ana",
      process_status: "rejected",
      failed_reason: "face not visible",
    });
    const result = await runAction({ sandbox, workspace, inputs: { "avatar-id": existing.id } });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toContain("face not visible");
    expect(result.outputs.status).toBe("rejected");
    expect(result.outputs["failed-reason"]).toBe("face not visible");
  });
});

describe("API errors", () => {
  it("says the credentials were refused on 401, without printing them", async () => {
    await workspace.video("v.mp4");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "v.mp4", "api-key": "wrong-key-value-123" },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(result.stdout.replace("::add-mask::wrong-key-value-123", "")).not.toContain(
      "wrong-key-value-123",
    );
  });

  it("lists the fields of a 400", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas/",
      kind: "status",
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({ video_scene: ["Ensure this field has no more than 255 characters."] }),
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "https://cdn.example.com/v.mp4" },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toContain(
      "HTTP 400: video_scene: Ensure this field has no more than 255 characters.",
    );
  });
});
