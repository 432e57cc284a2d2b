import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSummary } from "../support/render.ts";
import { creates, errorLines, setupGenerate } from "./harness.ts";

/** No line of the log is a workflow command that the action did not mean. */
function expectNoInjectedCommand(stdout: string): void {
  for (const line of stdout.split("\n")) {
    expect(line).not.toMatch(/^\s*::(?:warning|notice|set-output|add-mask)::pwned/);
    expect(line).not.toContain("##[group]");
    expect(line).not.toMatch(/^::error::pwned/);
  }
}

describe("generate: nothing billed for an avatar that is not approved", () => {
  it.for<[string, { process_status: string; is_active: boolean; failed_reason?: string }, RegExp]>([
    [
      "still in review",
      { process_status: "reviewing", is_active: false },
      /is reviewing, not approved yet/,
    ],
    [
      "rejected",
      { process_status: "rejected", is_active: false, failed_reason: "face not visible" },
      /was rejected: face not visible/,
    ],
  ])(
    "fails before any job read or create when the avatar is %s",
    async ([, state, message], context) => {
      const { sandbox, generate } = await setupGenerate(context);
      const avatar = sandbox.seed({ creator_name: "Ann", ...state });
      const result = await generate({ script: "Hello", "avatar-id": avatar.id });
      expect(result.code).toBe(1);
      expect(errorLines(result).join("\n")).toMatch(message);
      expect(sandbox.requests.map((r) => r.path)).toEqual([`/api/personas/${avatar.id}/`]);
    },
  );

  it("says the avatar does not exist on a 404", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hello", "avatar-id": "0000-missing" });
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toMatch(/Avatar "0000-missing" does not exist/);
    expect(creates(sandbox)).toHaveLength(0);
  });
});

describe("generate: credits, failures and the wait", () => {
  it("fails before creating when no credits are left", async (context) => {
    const { sandbox, generate } = await setupGenerate(context, { lipsync: { credits: 0 } });
    const result = await generate({ script: "Hello" });
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toMatch(
      /No Creatify credits left \(remaining_credits: 0\)/,
    );
    expect(creates(sandbox)).toHaveLength(0);
    expect(result.outputs["remaining-credits"]).toBe("0");
  });

  it("fails with the job's reason and keeps its outputs; hostile text stays text", async (context) => {
    const { sandbox, generate } = await setupGenerate(context, {
      lipsync: {
        statuses: ["pending", "running", "failed"],
        progress: ["0%", "\n::warning::pwned ##[group]x", "\r\n::error::pwned"],
        failedReason: "voice missing\n::error::pwned ##[group]y",
      },
    });
    const result = await generate({ script: "Hello" });
    expect(result.code).toBe(1);
    const [job] = sandbox.lipsync.jobs;
    expect(result.outputs).toMatchObject({ "video-id": job?.id, status: "failed" });
    expect(errorLines(result).join("\n")).toContain("failed: voice missing");
    expectNoInjectedCommand(result.stdout);
    // The server's words reached the log, escaped on one line.
    expect(result.stdout).toContain("running (\\n::warning::pwned ##\u200b[group]x)");
    const rendered = renderSummary(result.summary);
    expect(rendered.tables[0]?.rows[0]?.[3]).toContain("failed: voice missing");
  });

  it("after an ambiguous create (reset once the job is stored) adopts it: exactly one job", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault({ method: "POST", path: "/api/lipsyncs_v2/", kind: "reset", afterStore: true });
    const result = await generate({ script: "Hello" });
    expect(result.code, result.stdout).toBe(0);
    expect(sandbox.lipsync.jobs).toHaveLength(1);
    expect(creates(sandbox)).toHaveLength(1);
    expect(result.outputs["video-id"]).toBe(sandbox.lipsync.jobs[0]?.id);
    expect(result.stdout).toContain("Found video");
  });

  it("after a 500 that stored nothing, sends the create once more: still one job", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault({ method: "POST", path: "/api/lipsyncs_v2/", kind: "status", status: 500 });
    const result = await generate({ script: "Hello" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(2);
    expect(sandbox.lipsync.jobs).toHaveLength(1);
  });

  it("fails a timed-out wait with the outputs set, or warns with fail-on-timeout false", async (context) => {
    const { sandbox, generate } = await setupGenerate(context, {
      lipsync: { statuses: ["pending", "running"] },
    });
    const failed = await generate({ script: "Hello", "wait-timeout": "1s" });
    expect(failed.code).toBe(1);
    const [job] = sandbox.lipsync.jobs;
    expect(failed.outputs).toMatchObject({
      "video-id": job?.id,
      status: "running",
      "video-url": "",
    });
    expect(errorLines(failed).join("\n")).toMatch(/is still running after 1s/);
    expect(renderSummary(failed.summary).tables[0]?.rows[0]?.[3]).toMatch(
      /wait timed out after 1s, still running/,
    );
    const lenient = await generate({
      script: "Hello",
      "wait-timeout": "1s",
      "fail-on-timeout": "false",
    });
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.reused).toBe("true");
    expect(creates(sandbox)).toHaveLength(1);
  });
});

describe("generate: cancelled", () => {
  it("sets the outputs known so far and exits on SIGTERM during the wait", async (context) => {
    const { sandbox, generate } = await setupGenerate(context, {
      lipsync: { statuses: ["pending", "running"] },
    });
    const result = await generate(
      { script: "Hello", "poll-interval": "200ms" },
      { signal: { on: "Waiting up to", signal: "SIGTERM" } },
    );
    expect(result.code).toBe(1);
    const [job] = sandbox.lipsync.jobs;
    expect(result.outputs["video-id"]).toBe(job?.id);
    expect(result.stdout).toMatch(/Cancelled \(SIGTERM\): video .* was pending/);
    expect(renderSummary(result.summary).tables[0]?.rows[0]?.[1]).toBe(job?.id);
  });
});

describe("generate: cancelled during the download", () => {
  it("leaves no partial file in the workspace", { timeout: 60_000 }, async (context) => {
    const { workspace, generate } = await setupGenerate(context, {
      lipsync: { video: { size: 64 * 2 ** 20, stallAfter: 2 ** 20 } },
    });
    const result = await generate(
      { script: "Hello", download: "out/big.mp4" },
      { signal: { on: "is done:", signal: "SIGTERM", delayMs: 1000 }, timeoutMs: 50_000 },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Cancelled (SIGTERM)");
    expect(await readdir(path.join(workspace.dir, "out")).catch(() => [])).toEqual([]);
  });
});

describe("generate: bad inputs fail with one line and send nothing", () => {
  it.for<[Record<string, string>, string]>([
    [
      { script: "" },
      'exactly one of inputs "script", "script-file", "scenes" or "videos" (none was given)',
    ],
    [{ script: "Hi", "script-file": "a.txt" }, "(got script and script-file)"],
    [
      { script: "Hi", "aspect-ratio": "4x3" },
      'Input "aspect-ratio": "4x3" is not one of 9x16, 16x9, 1x1',
    ],
    [{ script: "Hi", "model-version": "turbo" }, 'Input "model-version": "turbo" is not one of'],
    [
      { script: "Hi", "avatar-id": "not an id" },
      'Input "avatar-id": "not an id" does not look like an id',
    ],
    [{ script: "Hi\u0007there" }, 'Input "script": contains a control character'],
    [{ "script-file": "missing.txt" }, 'Input "script-file": "missing.txt" does not exist'],
    [
      { "script-file": "../outside.txt" },
      'Input "script-file": "../outside.txt" is outside the workspace',
    ],
    [{ "script-file": "blank.txt" }, "the script is empty"],
    [
      { scenes: "scenes.yml" },
      'scenes[1]: give exactly one of "script" and "script-file" (got neither)',
    ],
    [{ scenes: "typo.yml" }, 'typo.yml: scenes[0]: unknown key "scirpt"'],
    [{ scenes: "blank.txt" }, 'blank.txt: needs "scenes:", a list of at least one scene'],
    [{ scenes: "../scenes.yml" }, 'Input "scenes": "../scenes.yml" is outside the workspace'],
    [{ script: "Hi", download: "out/" }, 'Input "download": "out/" names a directory'],
    [{ script: "Hi", download: "existing" }, 'Input "download": "existing" is a directory'],
    // Its folder would be a file: caught before the video is billed, not when it is written.
    [
      { script: "Hi", download: "blank.txt/v.mp4" },
      'Input "download": "blank.txt/v.mp4" cannot be written: "blank.txt" is a file, not a folder',
    ],
    [{ script: "Hi", "wait-timeout": "soon" }, 'Input "wait-timeout": "soon" is not a duration'],
    [
      { script: "Hi", "if-exists": "fail" },
      'Input "if-exists": "fail" is not one of reuse, create',
    ],
    [
      { script: "Hi", "webhook-url": "ftp://x?token=1" },
      'Input "webhook-url": "ftp:" URLs are not supported',
    ],
    // A dot segment is no id: /api/personas/../ would be another route.
    [{ script: "Hi", "avatar-id": ".." }, 'Input "avatar-id": ".." does not look like an id'],
    [{ script: "Hi", "voice-id": "." }, 'Input "voice-id": "." does not look like an id'],
    // The URL parser drops a line break and encodes a bell; the text sent would keep them.
    [
      { script: "Hi", "webhook-url": "https://hooks.example.com/a\u0007b?token=1" },
      'Input "webhook-url": contains a line break or another control character',
    ],
    [
      { script: "Hi", download: "out/v\u0007.mp4" },
      'Input "download": contains a line break or another control character',
    ],
    [
      { "script-file": "a\tb.txt" },
      'Input "script-file": contains a line break or another control character',
    ],
    [
      { scenes: "bell.yml" },
      'bell.yml: scenes[0] "background-url": contains a line break or another control character',
    ],
  ])("%j fails: %s", async ([inputs, message], context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context);
    await workspace.write("blank.txt", " \n\n");
    await workspace.write("existing/keep", "");
    await workspace.write("scenes.yml", "scenes:\n  - script: One\n  - voice-id: v1\n");
    await workspace.write("typo.yml", "scenes:\n  - scirpt: One\n");
    await workspace.write(
      "bell.yml",
      'scenes:\n  - script: One\n    background-url: "https://cdn.example.com/a\\nb.jpg"\n',
    );
    const result = await generate(inputs);
    expect(result.code).toBe(1);
    const errors = errorLines(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(sandbox.requests).toHaveLength(0);
    const shown = result.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
    expect(shown.join("\n")).not.toContain("token=1");
  });
});
