// Data kept whole, text cut where it is shown: ids and URLs from the server are used and
// output exactly as received, whatever their length; free text is cut to 1,000 characters
// ending in `…` in the log, the summary and the outputs, and nothing else breaks.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSummary } from "../support/render.ts";
import { runBundle } from "../support/runner.ts";
import { fingerprintOf, mp4Bytes, runAction, setup, setupGenerate } from "./harness.ts";

const MAX_TEXT = 1000;
/** 5,000 characters, one sentence after another, with nothing Markdown would escape. */
const REASON = Array.from(
  { length: 200 },
  (_, i) => `Take ${String(i).padStart(3, "0")} is too dark`,
)
  .join(" ")
  .padEnd(5000, " x")
  .slice(0, 5000);
/** What every place that shows it shows: its first 999 characters and `…`. */
const CUT = `${REASON.slice(0, MAX_TEXT - 1)}…`;

/**
 * The log quotes the reason cut; the summary's cell, the reason with words before it, is cut
 * as a whole. Neither shows more than 1,000 characters of it.
 */
function expectCutEverywhere({ log, summary }: { log: string; summary: string }): void {
  expect(log).toContain(CUT);
  expect(summary).toContain(REASON.slice(0, MAX_TEXT - 100));
  expect(summary).toMatch(/…/);
  for (const shown of [log, summary]) expect(shown).not.toContain(REASON.slice(0, MAX_TEXT));
}

describe("generate: a 2,000-character signed video URL", () => {
  it("is downloaded whole and output whole, the log showing it without its query", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context, {
      lipsync: { signedLength: 2000 },
    });
    const result = await generate({ script: "Hello", download: "out/v.mp4" });
    expect(result.code, result.stdout).toBe(0);
    const [job] = sandbox.lipsync.jobs;
    const url = job?.output ?? "";
    expect(url.length).toBeGreaterThan(2000);
    // The origin refuses any other query: the file is there only if the URL went whole.
    expect(sandbox.lipsync.videoRequests.map((r) => r.query.length)).toEqual([2000]);
    const written = await readFile(path.join(workspace.dir, "out/v.mp4"));
    expect(written.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(result.outputs["video-url"]).toBe(url);
    expect(JSON.parse(result.outputs.video ?? "{}").output).toBe(url);
    expect(result.stdout).not.toContain(url.slice(url.indexOf("?")));
  });
});

describe("a 5,000-character failed_reason", () => {
  it("is cut in the log, the summary and the avatar outputs, and the step ends as it should", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const { id } = sandbox.seed({
      creator_name: "Ana",
      process_status: "rejected",
      failed_reason: REASON,
    });
    const result = await runAction({ sandbox, workspace, inputs: { "avatar-id": id } });
    expect(result.code).toBe(1);
    expect(result.outputs["avatar-id"]).toBe(id);
    expect(result.outputs.status).toBe("rejected");
    const avatar = JSON.parse(result.outputs.avatar ?? "{}");
    expect(avatar.id).toBe(id);
    expect(avatar.failed_reason).toBe(CUT);
    expect(result.outputs["failed-reason"]).toBe(CUT);
    expect(JSON.parse(result.outputs.avatars ?? "[]")[0].failed_reason).toBe(CUT);
    expectCutEverywhere({ log: result.stdout, summary: renderSummary(result.summary).text });
  });

  it("is cut in the log, the summary and the video output of a failed video", async (context) => {
    const { generate } = await setupGenerate(context, {
      lipsync: { statuses: ["running", "failed"], failedReason: REASON },
    });
    const result = await generate({ script: "Hello" });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe("failed");
    expect(JSON.parse(result.outputs.video ?? "{}").failed_reason).toBe(CUT);
    expectCutEverywhere({ log: result.stdout, summary: renderSummary(result.summary).text });
  });
});

describe("a short credential inside an id", () => {
  it("leaves the id as received: read with it, and output with it", async (context) => {
    const { sandbox, workspace } = await setup(context, { apiId: "ab" });
    const video = mp4Bytes(4096);
    await workspace.write("v.mp4", video);
    const id = "avatar-ab-0001";
    sandbox.seed({
      id,
      creator_name: "James",
      keywords: fingerprintOf(video),
      statuses: ["pending", "done"],
    });
    // Not runAction: the id itself carries the credential, so its leak check would fail on the
    // `avatar-id` output, which must carry the id as it is.
    const result = await runBundle({
      sandbox,
      workspace,
      inputs: {
        "creator-name": "James",
        gender: "m",
        "video-scene": "office",
        video: "v.mp4",
        wait: "true",
        "poll-interval": "50ms",
        "max-poll-interval": "100ms",
      },
    });
    expect(result.code, result.stdout).toBe(0);
    const reads = sandbox.requests.filter(
      (r) => r.method === "GET" && r.path.startsWith("/api/personas/"),
    );
    expect(reads.map((r) => r.path)).toContain(`/api/personas/${id}/`);
    expect(result.outputs["avatar-id"]).toBe(id);
    expect(result.outputs.status).toBe("done");
    // Shown text is still redacted: the log and the summary show the id with `***`.
    expect(result.stdout).toContain("avatar-***-0001");
  });
});
