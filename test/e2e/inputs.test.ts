import { symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox/server.ts";
import { errorLines, makeWorkspace, runAction, type Workspace } from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

beforeAll(async () => {
  sandbox = await startSandbox();
  workspace = await makeWorkspace();
  await workspace.video("ok.mp4");
  await workspace.write("empty.mp4", "");
  await workspace.write("notes.mp4", "not a video");
});
afterAll(async () => {
  await sandbox.close();
  await workspace.remove();
});

const valid = { video: "ok.mp4", "creator-name": "James", gender: "m", "video-scene": "office" };

// Bad input fails at once with one line naming the input, and sends no request.
describe("bad input never reaches the network", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ["a missing file", { video: "missing.mp4" }, /^Input "video": "missing.mp4" does not exist\.$/],
    ["an empty file", { video: "empty.mp4" }, /^Input "video": "empty.mp4" is empty\.$/],
    [
      "a file that is not a video",
      { video: "notes.mp4" },
      /^Input "video": "notes.mp4" is not an MP4/,
    ],
    [
      "a consent video that is not a video",
      { "consent-video": "notes.mp4" },
      /^Input "consent-video": "notes.mp4"/,
    ],
    [
      "a path outside the workspace",
      { video: "../../etc/hosts" },
      /^Input "video": .* is outside the workspace/,
    ],
    [
      "a URL that is not http(s)",
      { video: "file:///etc/hosts" },
      /^Input "video": "file:" URLs are not supported/,
    ],
    ["an unknown gender", { gender: "robot" }, /^Input "gender": "robot" is not one of m, f, nb/],
    [
      "a name over 255 characters",
      { "creator-name": "n".repeat(300) },
      /^Input "creator-name": 300 characters/,
    ],
    [
      "a duration that does not parse",
      { "wait-timeout": "a while" },
      /^Input "wait-timeout": "a while" is not a duration/,
    ],
    ["no api-key", { "api-key": "" }, /^Input "api-key" is required \(only a dry-run may/],
    [
      "two targets",
      { "avatar-id": "abc" },
      /^Give exactly one of inputs "video", "avatar-id" or "manifest"/,
    ],
  ])("%s", async (_name, overrides, message) => {
    const before = sandbox.requests.length;
    const result = await runAction({ sandbox, workspace, inputs: { ...valid, ...overrides } });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([expect.stringMatching(message)]);
    expect(sandbox.requests.length - before).toBe(0);
    expect(result.outputs).toEqual({});
  });
});

// One path rule for videos and the manifest, symlinks resolved, `..` segments only.
describe("paths", () => {
  it("refuses a manifest that links outside the workspace, printing nothing of its content", async () => {
    const outside = await makeWorkspace();
    try {
      await outside.write("secret.yml", "database_password: hunter2\n");
      await symlink(path.join(outside.dir, "secret.yml"), path.join(workspace.dir, "linked.yml"));
      const before = sandbox.requests.length;
      const result = await runAction({ sandbox, workspace, inputs: { manifest: "linked.yml" } });
      expect(result.code).toBe(1);
      expect(errorLines(result)).toEqual([
        'Input "manifest": "linked.yml" links outside the workspace.',
      ]);
      expect(result.stdout).not.toContain("hunter2");
      expect(sandbox.requests.length - before).toBe(0);
    } finally {
      await outside.remove();
    }
  });

  it("takes a video whose name merely starts with two dots", async () => {
    await workspace.video("..intro.mp4");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...valid, video: "..intro.mp4" },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.avatars ?? "[]")[0]).toMatchObject({ video: "..intro.mp4" });
  });

  it.each([
    ["a .. segment", "sub/../../x.mp4"],
    ["a bare ..", ".."],
  ])("refuses %s", async (_name, video) => {
    const result = await runAction({ sandbox, workspace, inputs: { ...valid, video } });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(/^Input "video": .* is outside the workspace/),
    ]);
  });

  it("names the limit of a wait-timeout past 30 days", async () => {
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...valid, "wait-timeout": "50d" },
    });
    expect(errorLines(result)).toEqual([
      'Input "wait-timeout": "50d" is longer than the limit of 30d.',
    ]);
  });
});
