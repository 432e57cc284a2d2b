// The generate bundle against answers an implementation of Creatify's API may give that the default
// sandbox does not: a progress that moves within a status, a paginated job list, credits and
// ids as a DRF serializer may write them, and a video host that drip-feeds the file.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { creates, errorLines, requestFingerprintOf, setupGenerate } from "./harness.ts";

const jsonFault = (method: string, path: string, body: unknown) => ({
  method,
  path,
  kind: "status" as const,
  status: 200,
  contentType: "application/json",
  body: JSON.stringify(body),
});

describe("generate: the wait's log", () => {
  it("logs each status change once, with its progress, however often progress moves", async (context) => {
    const { generate } = await setupGenerate(context, {
      lipsync: {
        statuses: ["pending", "running", "running", "running", "done"],
        progress: ["0%", "10%", "40%", "80%", "100%"],
      },
    });
    const result = await generate({ script: "Hello" });
    expect(result.code, result.stdout).toBe(0);
    const changes = result.stdout.split("\n").filter((line) => /^Video \S+: \w+/.test(line));
    expect(
      changes.map((line) => line.replace(/^Video \S+: /, "").replace(/ after .*/, "")),
    ).toEqual(["pending (0%)", "running (10%)", "done (100%)"]);
    for (const line of changes.slice(0, 3)) expect(line).toMatch(/ after \d+(ms|s)$/);
  });
});

describe("generate: answer shapes", () => {
  it("reuses a job from a paginated {results} list as from a plain array", async (context) => {
    const { sandbox, avatarId, generate } = await setupGenerate(context);
    const done = sandbox.lipsync.seed({ name: `Hi [${requestFingerprintOf(avatarId, "Hi")}]` });
    sandbox.fault(jsonFault("GET", "/api/lipsyncs_v2/", { count: 1, next: null, results: [done] }));
    const result = await generate({ script: "Hi" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(0);
    expect(result.outputs).toMatchObject({ "video-id": done.id, reused: "true" });
  });

  it("reads remaining_credits written as a decimal string (DRF's DecimalField)", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault(jsonFault("GET", "/api/remaining_credits/", { remaining_credits: "12.50" }));
    const result = await generate({ script: "Hello" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(1);
    expect(result.outputs["remaining-credits"]).toBe("12.5");
  });

  it("still fails before creating on a decimal string of none left", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault(jsonFault("GET", "/api/remaining_credits/", { remaining_credits: "0.00" }));
    const result = await generate({ script: "Hello" });
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toMatch(/No Creatify credits left/);
    expect(creates(sandbox)).toHaveLength(0);
  });

  it("takes a job whose id is a number as its text", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault(
      jsonFault("POST", "/api/lipsyncs_v2/", { id: 4242, status: "pending", output: null }),
    );
    const result = await generate({ script: "Hello", wait: "false" });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs).toMatchObject({ "video-id": "4242", status: "pending" });
    expect(JSON.parse(result.outputs.video ?? "{}").id).toBe("4242");
  });
});

describe("generate: a drip-fed video", () => {
  it("is abandoned once the call budget is spent, the step failed with its outputs", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context, {
      lipsync: { video: { size: 4 * 2 ** 20, dripMs: 50 } },
    });
    const started = Date.now();
    const result = await generate(
      { script: "Hello", download: "out/v.mp4" },
      { env: { CREATIFY_CALL_BUDGET: "1s" }, timeoutMs: 30_000 },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(/^download: the video came slower than 256 KiB\/s once 1s/),
    ]);
    expect(result.outputs).toMatchObject({
      "video-id": sandbox.lipsync.jobs[0]?.id,
      status: "done",
      file: "",
    });
    expect(await readdir(path.join(workspace.dir, "out")).catch(() => [])).toEqual([]);
  });
});

describe("generate: the bounds on an answer", () => {
  it("fails clearly on a job list past 16 MiB, creating nothing", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault({ method: "GET", path: "/api/lipsyncs_v2/", kind: "endless" });
    const started = Date.now();
    const result = await generate({ script: "Hello" }, { measureRss: true });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      "GET /api/lipsyncs_v2/: HTTP 200: answer larger than 16 MiB",
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.peakRssKiB).toBeLessThan(256 * 1024);
    expect(creates(sandbox)).toHaveLength(0);
  });

  it("abandons a drip-fed job read within the call budget", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    sandbox.fault({
      method: "GET",
      path: "/api/lipsyncs_v2/",
      kind: "drip",
      contentLength: 10_000,
      everyMs: 100,
      times: 10,
    });
    const started = Date.now();
    const result = await generate(
      { script: "Hello" },
      { env: { CREATIFY_CALL_BUDGET: "2s" }, timeoutMs: 30_000 },
    );
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(errorLines(result).join("\n")).toMatch(/GET \/api\/lipsyncs_v2\//);
    expect(creates(sandbox)).toHaveLength(0);
  });
});
