import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDuration } from "../../src/duration.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import { renderSummary, rowOf } from "../support/render.ts";
import { errorLines, makeWorkspace, type RunResult, runAction, type Workspace } from "./harness.ts";

// Short waits: the action's durations take milliseconds, so a walk through every status
// takes a second or two. Time bounds below are generous on purpose (a busy machine).

let workspace: Workspace;
const sandboxes: Sandbox[] = [];

beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
  await workspace.remove();
});

async function sandboxWith(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}

/** Submits James by URL (no quota read, no upload) and waits with short intervals. */
const waitingFor = (inputs: Record<string, string> = {}) => ({
  video: "https://cdn.example.com/james.mp4",
  "creator-name": "James",
  gender: "m",
  "video-scene": "office",
  wait: "true",
  "poll-interval": "100ms",
  "max-poll-interval": "200ms",
  "wait-timeout": "20s",
  ...inputs,
});

/** The log lines reporting a status of the avatar: `Avatar "James" (id): status after 1s`. */
function statusLines(result: RunResult, id: string): { status: string; elapsed: string }[] {
  const line = new RegExp(`^Avatar "[^"]*" \\(${id}\\): (\\w+)(?:, approved)? after (\\S+)$`);
  return result.stdout.split("\n").flatMap((text) => {
    const match = line.exec(text);
    return match?.[1] && match[2] ? [{ status: match[1], elapsed: match[2] }] : [];
  });
}

const WALK = [
  "pending",
  "processing",
  "voice_creating",
  "video_validating",
  "crop_and_matte",
  "reviewing",
  "done",
];
/** The sandbox's walk, one step per read: some statuses last several reads. */
const SLOW_WALK = WALK.flatMap((status) =>
  status === "processing" || status === "reviewing" ? [status, status, status] : [status],
);

describe("wait: true", () => {
  it("follows the avatar to approval, logging each status once, with previews in the summary", async () => {
    const sandbox = await sandboxWith({ statuses: SLOW_WALK });
    const result = await runAction({ sandbox, workspace, inputs: waitingFor() });
    expect(result.code).toBe(0);
    const [persona] = sandbox.personas;
    const id = persona?.id ?? "";
    expect(result.outputs).toMatchObject({
      "avatar-id": id,
      status: "done",
      "is-active": "true",
      "failed-reason": "",
    });
    // One value per output, whatever changed on the way: no reader of the file has to pick.
    expect(Object.values(result.writes)).toEqual(Array(10).fill(1));
    const avatar = JSON.parse(result.outputs.avatar ?? "{}");
    expect(avatar.preview_image_16_9).toBe(persona?.preview_image_16_9);
    expect(avatar.preview_image_16_9).toMatch(/^https:\/\//);

    const lines = statusLines(result, id);
    expect(lines.map((line) => line.status)).toEqual(WALK);
    const elapsed = lines.map((line) => parseDuration(line.elapsed));
    expect(elapsed[0]).toBe(0);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(result.stdout).toMatch(new RegExp(`\\(${id}\\): done, approved after `));

    const summary = renderSummary(result.summary);
    const row = rowOf(summary, "James");
    expect(row.cells).toMatchObject({
      id,
      status: "done",
      approved: "✅ yes",
      outcome: "created; approved",
    });
    expect(row.html.preview).toContain(`href="${persona?.preview_image_16_9}"`);
    expect(summary.html).toContain(`<img src="${persona?.preview_image_16_9}" alt="James"`);
    expect(summary.text).toMatch(
      new RegExp(`${WALK.map((status) => `${status} after \\w+`).join(" → ")}`),
    );
  });

  it("fails on rejection with the reason, and still sets the outputs", async () => {
    const sandbox = await sandboxWith({
      statuses: ["pending", "processing", "rejected"],
      failedReason: "face not visible in the first seconds",
    });
    const result = await runAction({ sandbox, workspace, inputs: waitingFor() });
    expect(result.code).toBe(1);
    const id = sandbox.personas[0]?.id ?? "";
    expect(errorLines(result)).toEqual([
      expect.stringMatching(/was rejected: face not visible in the first seconds$/),
    ]);
    expect(result.outputs).toMatchObject({
      "avatar-id": id,
      status: "rejected",
      "is-active": "false",
      "failed-reason": "face not visible in the first seconds",
    });
    expect(statusLines(result, id).map((line) => line.status)).toEqual([
      "pending",
      "processing",
      "rejected",
    ]);
  });

  it("fails on timeout by default, saying how to follow the avatar up", async () => {
    const sandbox = await sandboxWith({ statuses: ["pending", "processing"] });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor({ "wait-timeout": "1s" }),
    });
    expect(result.code).toBe(1);
    const id = sandbox.personas[0]?.id ?? "";
    expect(errorLines(result)).toEqual([expect.stringContaining(`is still processing after 1s`)]);
    expect(errorLines(result)[0]).toContain(`avatar-id: ${id}`);
    expect(result.outputs).toMatchObject({
      "avatar-id": id,
      status: "processing",
      "is-active": "false",
    });
  });

  it("succeeds on timeout with fail-on-timeout: false, leaving the current status", async () => {
    const sandbox = await sandboxWith({ statuses: ["pending", "processing"] });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor({ "wait-timeout": "1s", "fail-on-timeout": "false" }),
    });
    expect(result.code).toBe(0);
    expect(errorLines(result)).toEqual([]);
    const id = sandbox.personas[0]?.id ?? "";
    expect(result.stdout).toMatch(
      new RegExp(`^::warning::.*is still processing after 1s.*avatar-id: ${id}`, "m"),
    );
    expect(result.outputs).toMatchObject({
      "avatar-id": id,
      status: "processing",
      "is-active": "false",
    });
  });

  it("waits on an existing avatar given by avatar-id, without submitting", async () => {
    const sandbox = await sandboxWith();
    const existing = sandbox.seed({
      creator_name: "Ana",
      statuses: ["reviewing", "reviewing", "done"],
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: {
        "avatar-id": existing.id,
        wait: "true",
        "poll-interval": "100ms",
        "wait-timeout": "20s",
      },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      "avatar-id": existing.id,
      status: "done",
      "is-active": "true",
    });
    expect(statusLines(result, existing.id).map((line) => line.status)).toEqual([
      "reviewing",
      "done",
    ]);
    const calls = new Set(sandbox.requests.map((r) => `${r.method} ${r.path}`));
    expect([...calls]).toEqual([`GET /api/personas/${existing.id}/`]);
  });

  it("keeps wait-timeout when even the first read of an avatar-id hangs", async () => {
    const sandbox = await sandboxWith();
    const existing = sandbox.seed({ creator_name: "Ana", statuses: ["reviewing"] });
    sandbox.fault({ method: "GET", path: "/api/personas/*", kind: "hang", times: 1000 });
    const started = Date.now();
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { "avatar-id": existing.id, wait: "true", "wait-timeout": "2s" },
      timeoutMs: 15_000,
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([expect.stringContaining("no answer in time")]);
    // 2 s of wait, 2 s of grace for the read, and slack for a slow machine.
    expect(Date.now() - started).toBeLessThan(9_000);
    // The id was given: it is an output even though no read of it succeeded.
    expect(result.outputs["avatar-id"]).toBe(existing.id);
  });

  it("waits with a wait-timeout of 25 days, past where a timer would overflow", async () => {
    // A deadline past 2^31-1 ms from now used to abort every read at once.
    const sandbox = await sandboxWith({ statuses: ["processing", "reviewing", "done"] });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor({ "wait-timeout": "25d" }),
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe("done");
    expect(result.stdout).not.toContain("no answer in time");
  });

  it("abandons a hung status read when wait-timeout runs out", async () => {
    const sandbox = await sandboxWith({ statuses: ["pending"] });
    sandbox.fault({ method: "GET", path: "/api/personas/*", kind: "hang", times: 1000 });
    const started = Date.now();
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor({ "wait-timeout": "2s" }),
      timeoutMs: 15_000,
    });
    const took = Date.now() - started;
    expect(sandbox.requests.some((r) => r.fault === "hang")).toBe(true);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([expect.stringContaining("is still pending after 2s")]);
    expect(result.outputs.status).toBe("pending");
    // 2 s of wait, the last read's grace (2 s at most), and slack for a slow machine; a
    // read left to its own 60 s timeout would be killed by the harness instead.
    expect(took).toBeLessThan(9_000);
  });

  it("sets the outputs known so far and exits when cancelled", async () => {
    const sandbox = await sandboxWith({ statuses: ["pending", "processing"] });
    const started = Date.now();
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor(),
      signal: { on: "Waiting", signal: "SIGTERM" },
    });
    const took = Date.now() - started;
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(took).toBeLessThan(10_000);
    const id = sandbox.personas[0]?.id ?? "";
    expect(result.outputs["avatar-id"]).toBe(id);
    expect(["pending", "processing"]).toContain(result.outputs.status);
    expect(result.stdout).toContain(`Cancelled (SIGTERM): avatar "James" ${id} was`);
    expect(errorLines(result)).toEqual(["Cancelled by SIGTERM."]);
  });
});

describe("duration inputs", () => {
  it.each([
    ["wait-timeout", "soon"],
    ["wait-timeout", "-5m"],
    ["poll-interval", "5 minutes"],
    ["max-poll-interval", "1h30m"],
    ["poll-interval", "0s"],
  ])("%s: %j fails naming the input, sending nothing", async (input, value) => {
    const sandbox = await sandboxWith();
    const result = await runAction({
      sandbox,
      workspace,
      inputs: waitingFor({ [input]: value }),
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([expect.stringContaining(`Input "${input}"`)]);
    expect(sandbox.requests).toEqual([]);
  });
});

describe("a wait longer than a GitHub-hosted job may run", () => {
  it.each([
    ["github-hosted", true],
    ["self-hosted", false],
  ])(
    "%s runner, a 6h wait-timeout: the notice that it ends at 5h50m shown: %s",
    async (runner, noticed) => {
      const sandbox = await sandboxWith({ statuses: ["pending", "done"] });
      const result = await runAction({
        sandbox,
        workspace,
        inputs: waitingFor({ "wait-timeout": "6h" }),
        env: { RUNNER_ENVIRONMENT: runner },
      });
      expect(result.code, result.stdout).toBe(0);
      const notices = result.stdout.split("\n").filter((line) => line.startsWith("::notice::"));
      const said = notices.some((line) =>
        /ends after 5h50m, not the 6h of wait-timeout/.test(line),
      );
      expect(said).toBe(noticed);
      expect(result.outputs.status).toBe("done");
    },
  );
});
