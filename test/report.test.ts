import { describe, expect, it } from "vitest";
import type { Persona } from "../src/creatify/persona.ts";
import { newRecord, outputsFor, Report, summaryMarkdown } from "../src/report.ts";

const approved: Persona = {
  id: "a1",
  creator_name: "James",
  is_active: true,
  process_status: "done",
  failed_reason: null,
  preview_image_16_9: "https://cdn.example/a1.jpg",
  preview_video_1_1: "https://cdn.example/a1.mp4",
};

describe("outputsFor", () => {
  it("sets the single-avatar outputs and a one-element avatars array", () => {
    const record = newRecord("v.mp4", "James", 0);
    record.persona = approved;
    record.reused = true;
    expect(Object.fromEntries(outputsFor([record]))).toEqual({
      avatars: JSON.stringify([
        {
          video: "v.mp4",
          creator_name: "James",
          avatar_id: "a1",
          status: "done",
          is_active: true,
          failed_reason: "",
          reused: true,
        },
      ]),
      "avatar-id": "a1",
      status: "done",
      "is-active": "true",
      "failed-reason": "",
      reused: "true",
      avatar: JSON.stringify(approved),
    });
  });

  it("lists an entry that failed before it had an id, and sets only avatars for several", () => {
    const failed = newRecord("b.mp4", "Ana", 0);
    failed.error = "quota reached";
    const ok = newRecord("a.mp4", "James", 0);
    ok.persona = approved;
    const outputs = outputsFor([ok, failed]);
    expect([...outputs.keys()]).toEqual(["avatars"]);
    expect(JSON.parse(outputs.get("avatars") ?? "")[1]).toEqual({
      video: "b.mp4",
      creator_name: "Ana",
      avatar_id: null,
      status: "error",
      is_active: false,
      failed_reason: "quota reached",
      reused: false,
    });
  });
});

describe("Report.publish", () => {
  it("writes nothing before an id is known, then only what changed", () => {
    const written: [string, string][] = [];
    const report = new Report((name, value) => written.push([name, value]));
    const record = report.add(newRecord("v.mp4", "James", 0));
    report.publish();
    expect(written).toEqual([]);
    record.persona = { ...approved, is_active: false, process_status: "pending" };
    report.publish();
    expect(written.map(([name]) => name)).toEqual([
      "avatars",
      "avatar-id",
      "status",
      "is-active",
      "failed-reason",
      "reused",
      "avatar",
    ]);
    written.length = 0;
    report.publish();
    expect(written).toEqual([]);
    record.persona = { ...approved, is_active: false, process_status: "reviewing" };
    report.publish();
    expect(written.map(([name]) => name)).toEqual(["avatars", "status", "avatar"]);
  });

  it("sets avatars=[] for a batch with nothing to do", () => {
    const written: [string, string][] = [];
    const report = new Report((name, value) => written.push([name, value]));
    report.batch = true;
    report.publish();
    expect(written).toEqual([["avatars", "[]"]]);
  });
});

describe("summaryMarkdown", () => {
  it("has a row per avatar, the preview, and the timeline of an approved one", () => {
    const record = newRecord("v.mp4", "James | Jr", 0);
    record.persona = { ...approved, creator_name: "James | Jr" };
    record.timeline.push(
      { status: "pending", elapsedMs: 0 },
      { status: "done", elapsedMs: 252_000 },
    );
    record.finishedAt = 252_000;
    const failed = newRecord("b.mp4", "Ana", 0);
    failed.error = "HTTP 400: gender: bad";
    const markdown = summaryMarkdown([record, failed], 300_000);
    expect(markdown).toContain(
      "| James \\| Jr | `a1` | done | ✅ yes | – | [preview](https://cdn.example/a1.jpg) | 4m12s |",
    );
    expect(markdown).toContain("| Ana | – | error | no | HTTP 400: gender: bad | – | 5m |");
    expect(markdown).toContain("![James \\| Jr](https://cdn.example/a1.jpg)");
    expect(markdown).toContain("Preview videos: [1:1](https://cdn.example/a1.mp4)");
    expect(markdown).toContain("pending after 0ms → done after 4m12s");
  });
});
