// The summary as GitHub shows it: rendered with cmark-gfm, read back as table cells.
import { describe, expect, it } from "vitest";
import { type AvatarRecord, newRecord, type PlanEntry } from "../../src/avatar/record.ts";
import { summaryMarkdown } from "../../src/avatar/summary.ts";
import type { Persona } from "../../src/creatify/persona.ts";
import { renderSummary, rowOf } from "../support/render.ts";

const persona = (status: string, extra: Partial<Persona> = {}): Persona => ({
  id: `id-${status}`,
  creator_name: "James",
  process_status: status,
  is_active: status === "done",
  failed_reason: null,
  ...extra,
});

const plan = (action: PlanEntry["action"], extra: Partial<PlanEntry> = {}): PlanEntry => ({
  action,
  fingerprint: "video-sha256:0123456789abcdef",
  avatarId: undefined,
  replaces: undefined,
  reason: `${action} because`,
  deletes: [],
  ...extra,
});

function record(name: string, fill: Partial<AvatarRecord>): AvatarRecord {
  const named = fill.persona && { ...fill.persona, creator_name: name };
  return {
    ...newRecord(`avatars/${name}.mp4`, name, 0),
    finishedAt: 65_000,
    ...fill,
    persona: named,
  };
}

const render = (records: AvatarRecord[], dryRun = false) =>
  renderSummary(summaryMarkdown(records, 100_000, dryRun));

describe("the summary of a run, as GitHub renders it", () => {
  const summary = render([
    record("Approved", {
      persona: persona("done", { preview_image_16_9: "https://cdn.example/a.jpg" }),
      plan: plan("create"),
      sent: "12.3 MB · 12.5 s · 1920×1080 · audio",
    }),
    record("Waiting", {
      persona: persona("reviewing"),
      plan: plan("create"),
      waitedMs: 6 * 3_600_000,
    }),
    record("Rejected", {
      persona: persona("rejected", { failed_reason: "too | dark" }),
      plan: plan("create"),
    }),
    record("Reused", {
      persona: persona("done"),
      reused: true,
      plan: plan("reuse", { reason: "same video" }),
    }),
    record("Replacing", {
      persona: persona("pending"),
      plan: plan("create", { replaces: "old-1" }),
    }),
    record("Broken", { error: "HTTP 400: gender: bad", plan: plan("create") }),
    record("Cleaned", {
      persona: persona("done"),
      plan: plan("create", { replaces: "old-2", deletes: ["old-1", "old-2"] }),
      deleted: ["old-1", "old-2"],
    }),
    record("Pending", {
      persona: persona("reviewing"),
      plan: plan("create", { replaces: "old-3", deletes: ["old-3"] }),
    }),
  ]);

  it("is one table with a row per avatar", () => {
    expect(summary.tables).toHaveLength(1);
    expect(summary.tables[0]?.header).toEqual([
      "avatar",
      "id",
      "status",
      "approved",
      "outcome",
      "video",
      "preview",
      "elapsed",
    ]);
    expect(summary.tables[0]?.rows.map((row) => row[0])).toEqual([
      "Approved",
      "Waiting",
      "Rejected",
      "Reused",
      "Replacing",
      "Broken",
      "Cleaned",
      "Pending",
    ]);
  });

  it.each([
    ["Approved", { approved: "✅ yes", outcome: "created; approved", preview: "preview" }],
    ["Approved", { video: "avatars/Approved.mp4 (12.3 MB · 12.5 s · 1920×1080 · audio)" }],
    [
      "Waiting",
      { status: "reviewing", outcome: "created; wait timed out after 6h, still reviewing" },
    ],
    ["Rejected", { status: "rejected", outcome: "created; rejected: too | dark" }],
    ["Reused", { outcome: "reused: same video; approved" }],
    ["Replacing", { outcome: "created; replaces old-1" }],
    ["Broken", { id: "–", status: "error", outcome: "error: HTTP 400: gender: bad" }],
    [
      "Cleaned",
      { outcome: "created; replaces old-2; approved; deleted 2 replaced takes: old-1, old-2" },
    ],
    ["Pending", { outcome: "created; replaces old-3; to delete once approved: old-3" }],
  ])("shows %s's outcome in its row", (name, cells) => {
    expect(rowOf(summary, name).cells).toMatchObject(cells);
  });

  it("renders outside text as itself, never as markup", () => {
    const hostile = "<b>x</b> *y* | [z](http://e) `c` #1";
    const cells = rowOf(render([record(hostile, { error: hostile })]), hostile).cells;
    expect(cells.avatar).toBe(hostile);
    expect(cells.outcome).toBe(`error: ${hostile}`);
  });

  it("stays under 1 MiB and says how many rows it left out", () => {
    const reason = "r".repeat(5000);
    const many = Array.from({ length: 1200 }, (_, i) =>
      record(`Avatar ${i}`, { error: reason, plan: plan("create", { reason }) }),
    );
    const markdown = summaryMarkdown(many, 0, false);
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024);
    const rendered = renderSummary(markdown);
    const shown = rendered.tables[0]?.rows.length ?? 0;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(1200);
    expect(rendered.text).toContain(`${1200 - shown} more avatars were left out`);
  });
});

describe("the summary of a dry run", () => {
  it("is the plan: a row per avatar with its action and reason", () => {
    const summary = render(
      [
        record("New", { plan: plan("create", { reason: "no avatar has this name yet" }) }),
        record("Old", {
          plan: plan("reuse", { avatarId: "a-1", reason: "same video", deletes: ["a-0", "a-2"] }),
        }),
        record("Offline", { plan: plan("checked", { reason: "checked" }) }),
      ],
      true,
    );
    expect(summary.tables[0]?.header).toEqual([
      "avatar",
      "action",
      "avatar id",
      "replaces",
      "deletes",
      "fingerprint",
      "video",
      "reason",
    ]);
    expect(rowOf(summary, "New").cells).toMatchObject({
      action: "create",
      reason: "no avatar has this name yet",
    });
    expect(rowOf(summary, "Old").cells).toMatchObject({
      action: "reuse",
      "avatar id": "a-1",
      deletes: "a-0, a-2",
    });
    expect(rowOf(summary, "New").cells).toMatchObject({ deletes: "–" });
    expect(rowOf(summary, "Offline").cells).toMatchObject({
      action: "checked",
      fingerprint: "video-sha256:0123456789abcdef",
    });
    expect(summary.text).toContain("A dry run: nothing was created");
  });
});
