import { describe, expect, it } from "vitest";
import type { Lipsync } from "../../src/creatify/lipsync.ts";
import {
  newVideoRecord,
  videoOutputs as outputValues,
  type VideoRecord,
  videoSummary,
} from "../../src/generate/report.ts";
import { outputText } from "../../src/github/outputs.ts";
import { renderSummary } from "../support/render.ts";

/** The outputs as the runner receives them. */
const videoOutputs = (record: VideoRecord) =>
  new Map([...outputValues(record)].map(([name, value]) => [name, outputText(value)]));

const T0 = 1_750_000_000_000;
const job = (status: string, extra: Partial<Lipsync> = {}): Lipsync => ({
  id: "job-1",
  status,
  output: status === "done" ? "https://cdn.example.com/v.mp4?sig=abc" : null,
  video_thumbnail: status === "done" ? "https://cdn.example.com/t.jpg" : null,
  duration: status === "done" ? 12.5 : null,
  credits_used: status === "done" ? 5 : null,
  ...extra,
});

function record(changes: Partial<VideoRecord>): VideoRecord {
  return { ...newVideoRecord("avatar-1", T0), avatarName: "James", ...changes };
}

const created = { action: "create", reason: "no video was made from this request yet" } as const;

describe("videoSummary", () => {
  it.each<[string, Partial<VideoRecord>, boolean, RegExp]>([
    [
      "created and done",
      { decision: created, job: job("done"), finishedAt: T0 + 65_000 },
      false,
      /^created; done in 1m5s$/,
    ],
    [
      "reused",
      {
        decision: {
          action: "reuse",
          job: job("done"),
          reason: "video job-1 was made from the same request",
        },
        job: job("done"),
        reused: true,
      },
      false,
      // Done before this run: how long the step took is not how long the video took.
      /^reused: video job-1 was made from the same request$/,
    ],
    [
      "reused while running, then done",
      {
        decision: {
          action: "reuse",
          job: job("running"),
          reason: "video job-1 was made from the same request",
        },
        job: job("done"),
        reused: true,
        finishedAt: T0 + 65_000,
      },
      false,
      /^reused: video job-1 was made from the same request; done in 1m5s$/,
    ],
    [
      "failed, its reason with a pipe and a line break",
      { decision: created, job: job("failed", { failed_reason: "voice | missing\nretry" }) },
      false,
      /^created; failed: voice \| missing retry$/,
    ],
    [
      "still running when the wait timed out",
      { decision: created, job: job("running"), waitedMs: 30 * 60_000, error: "still running" },
      false,
      /^created; wait timed out after 30m, still running$/,
    ],
    ["planned in a dry run", { decision: created }, true, /^would create: no video was made/],
    [
      "refused before the create",
      { decision: created, error: "No Creatify credits left (remaining_credits: 0)" },
      false,
      /^error: No Creatify credits left \(remaining_credits: 0\)$/,
    ],
    [
      "an error before any job",
      { error: 'Avatar "James" (avatar-1) is reviewing, not approved yet' },
      false,
      /^error: Avatar "James" \(avatar-1\) is reviewing, not approved yet$/,
    ],
    [
      "downloaded",
      { decision: created, job: job("done"), file: { path: "out/v.mp4", bytes: 3_000_000 } },
      false,
      /downloaded to out\/v\.mp4 \(3\.0 MB\)$/,
    ],
  ])("%s: one row that says so", (_what, changes, dryRun, outcome) => {
    const rendered = renderSummary(videoSummary(record(changes), T0 + 1000, dryRun));
    expect(rendered.tables).toHaveLength(1);
    const [table] = rendered.tables;
    expect(table?.header).toHaveLength(8);
    expect(table?.rows).toHaveLength(1);
    expect(table?.rows[0]).toHaveLength(8);
    expect(table?.rows[0]?.[0]).toBe("James (avatar-1)");
    expect(table?.rows[0]?.[3]).toMatch(outcome);
  });

  it("links the video and shows the thumbnail, and no link for a URL that is not http(s)", () => {
    const good = renderSummary(videoSummary(record({ job: job("done") }), T0, false));
    expect(good.tables[0]?.rowsHtml[0]?.[6]).toContain(
      'href="https://cdn.example.com/v.mp4?sig=abc"',
    );
    expect(good.tables[0]?.rowsHtml[0]?.[7]).toContain('<img src="https://cdn.example.com/t.jpg"');
    const bad = job("done", { output: "javascript:alert(1)", video_thumbnail: "x) ![y](z" });
    const shown = renderSummary(videoSummary(record({ job: bad }), T0, false));
    expect(shown.html).not.toContain("javascript:");
    expect(shown.tables[0]?.rowsHtml[0]?.[6]).toContain('href="#"');
  });
});

describe("videoSummary of answers off the documented shapes", () => {
  it("renders a row for a status that is no string and a duration written as text", () => {
    const odd = job("done", {
      status: 7 as unknown as string,
      duration: "12.5" as unknown as number,
    });
    const rendered = renderSummary(videoSummary(record({ job: odd }), T0, false));
    expect(rendered.tables[0]?.rows[0]?.slice(2, 5)).toEqual(["7", "created", "12.5s"]);
    const none = job("running", { status: { x: 1 } as unknown as string });
    const shown = renderSummary(videoSummary(record({ job: none }), T0, false));
    expect(shown.tables[0]?.rows[0]?.[2]).toBe("unknown");
    expect(videoOutputs(record({ job: none })).get("status")).toBe("unknown");
  });
});

describe("videoOutputs", () => {
  it("sets nothing but the credits before a job is known", () => {
    expect([...videoOutputs(record({ remainingCredits: 40 }))]).toEqual([
      ["remaining-credits", "40"],
    ]);
    expect(videoOutputs(record({}))).toEqual(new Map());
  });

  it("sets every job output once its id is known", () => {
    const outputs = videoOutputs(
      record({ job: job("done"), reused: true, file: { path: "v.mp4", bytes: 1 } }),
    );
    expect(Object.fromEntries(outputs)).toMatchObject({
      "video-id": "job-1",
      status: "done",
      "video-url": "https://cdn.example.com/v.mp4?sig=abc",
      "thumbnail-url": "https://cdn.example.com/t.jpg",
      duration: "12.5",
      "credits-used": "5",
      reused: "true",
      file: "v.mp4",
    });
  });

  it("keeps the video output under its budget with the documented fields", () => {
    const big = job("done", { extra: Array.from({ length: 100 }, () => "x".repeat(1000)) });
    const video = videoOutputs(record({ job: big })).get("video") ?? "";
    expect(video.length).toBeLessThan(32 * 1024);
    expect(JSON.parse(video)).toMatchObject({ id: "job-1", status: "done" });
  });
});
