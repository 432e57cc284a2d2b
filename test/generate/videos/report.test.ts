import { describe, expect, it } from "vitest";
import { newVideoRecord } from "../../../src/generate/report.ts";
import type { VideoFile } from "../../../src/generate/videos/file.ts";
import type { VideoPlan } from "../../../src/generate/videos/plan.ts";
import {
  type VideoItem,
  videoEntry,
  videosOutputs,
  videosSummary,
} from "../../../src/generate/videos/report.ts";
import { renderSummary } from "../../support/render.ts";

const item = (file: string, plan: VideoPlan | undefined, job?: Record<string, unknown>) => {
  const video = { file, name: file.replace(/^videos\/|\.yml$/g, ""), avatar: { name: "James" } };
  const record = newVideoRecord("", 0);
  if (job) record.job = { id: "job", ...job };
  return { video: video as unknown as VideoFile, plan, record } satisfies VideoItem;
};

const JAMES = { id: "a1", creator_name: "James" };
const PREVIEWED = item(
  "videos/pr.yml",
  { action: "preview", reason: "no preview yet", estimatedCredits: 1, avatar: JAMES },
  {
    status: "done",
    preview: "https://creatify.example/preview/1",
  },
);
const RENDERED = item(
  "videos/main.yml",
  { action: "render", reason: "a preview", estimatedCredits: 5, avatar: JAMES },
  {
    status: "done",
    output: "https://cdn.example/v.mp4?sig=1",
    video_thumbnail: "https://cdn.example/t.jpg",
    duration: 29.96,
    credits_used: 4,
  },
);
const BLOCKED = item("videos/mia.yml", {
  action: "blocked",
  reason: 'avatar "Mia | x" (m1) is not approved yet (reviewing)',
  estimatedCredits: 0,
});

describe("videosSummary", () => {
  it("renders a row per video with its links, duration, credits and reason, and the total", () => {
    const summary = renderSummary(videosSummary([PREVIEWED, RENDERED, BLOCKED], false));
    const [table] = summary.tables;
    expect(table?.header).toEqual([
      "video",
      "avatar",
      "action",
      "links",
      "duration",
      "credits (est. / used)",
      "reason",
    ]);
    expect(table?.rows.map((row) => row[2])).toEqual([
      "preview (done)",
      "render (done)",
      "blocked",
    ]);
    expect(table?.rowsHtml[0]?.[3]).toContain('<a href="https://creatify.example/preview/1">');
    expect(table?.rowsHtml[1]?.[3]).toContain('<a href="https://cdn.example/v.mp4?sig=1">video');
    expect(table?.rowsHtml[1]?.[3]).toContain('<a href="https://cdn.example/t.jpg">thumbnail');
    expect(table?.rows[1]?.slice(4, 6)).toEqual(["30s", "5 / 4"]);
    // A pipe in server text stays in its cell.
    expect(table?.rows[2]?.[6]).toBe('avatar "Mia | x" (m1) is not approved yet (reviewing)');
    expect(summary.text).toContain("Estimated credits for this run: 6");
  });

  it("says failed, with the error, for a video whose carrying out failed", () => {
    const failed = item("videos/x.yml", { action: "create", reason: "new", estimatedCredits: 5 });
    failed.record.error = "HTTP 400";
    expect(videosSummary([failed], false)).toMatch(/\| failed \| – \| – \| 5 \/ – \| HTTP 400 \|/);
  });
});

describe("videosOutputs", () => {
  it("gives each video flat for a matrix, and the preview links one a line", () => {
    const outputs = videosOutputs([PREVIEWED, RENDERED, BLOCKED]);
    expect(outputs.get("preview-url")).toEqual({ exact: "https://creatify.example/preview/1" });
    expect(videoEntry(RENDERED)).toEqual({
      file: "videos/main.yml",
      name: "main",
      action: "render",
      video_id: "job",
      status: "done",
      preview_url: null,
      video_url: "https://cdn.example/v.mp4?sig=1",
      credits_used: 4,
      estimated_credits: 5,
      file_out: null,
    });
    expect(videoEntry(BLOCKED)).toMatchObject({ action: "blocked", video_id: null, status: null });
  });
});
