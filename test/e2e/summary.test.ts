import { describe, expect, it } from "vitest";
import {
  columnIndex,
  type RenderedTable,
  renderSummary,
  rowOf,
  tableWith,
} from "../support/render.ts";
import {
  fingerprintOf,
  mp4Bytes,
  type RunResult,
  runAction,
  setup,
  type Workspace,
} from "./harness.ts";

const james = { "creator-name": "James", gender: "m", "video-scene": "office" };
/** Short waits: the walk through the statuses takes a second or two. */
const waiting = { wait: "true", "poll-interval": "100ms", "max-poll-interval": "200ms" };

/** The fingerprint of `workspace.video(path)` at its default size. */
const FINGERPRINT = fingerprintOf(mp4Bytes(4096));
/** A fingerprint no test video has: the same name with another video: a new take. */
const OTHER_TAKE = "video-sha256:0000000000000000";

const REAL_COLUMNS = [
  "avatar",
  "id",
  "status",
  "approved",
  "outcome",
  "video",
  "preview",
  "elapsed",
];
const PLAN_COLUMNS = [
  "avatar",
  "action",
  "avatar id",
  "replaces",
  "deletes",
  "fingerprint",
  "video",
  "reason",
];

/**
 * The summary rendered, with a real table of `columns` (the first such: a summary may hold
 * others) that has one row per avatar in `names`, and no table markdown left over as text
 * (what an HTML block that swallows the table shows).
 */
function avatarTable(result: RunResult, columns: string[], names: string[]): RenderedTable {
  const rendered = renderSummary(result.summary);
  expect(rendered.text, "a table shown as a paragraph of pipes").not.toMatch(/^\|.*\|/m);
  const table = tableWith(rendered, columns);
  const headers = rendered.tables.map((t) => `[${t.header.join(" | ")}]`).join(", ") || "none";
  expect(
    table,
    `no table with columns ${columns.join(", ")} (tables: ${headers}) in:\n${result.summary}`,
  ).toBeDefined();
  const found = table as RenderedTable;
  const avatar = columnIndex(found, "avatar");
  expect(found.rows.map((row) => row[avatar])).toEqual(names);
  return found;
}

const YES = /yes|✅/i;

/** What a size may be written as: 1,500,000 bytes, 1500000 B, 1.5 MB, 1.43 MiB, 1465 KiB… */
function sizePattern(bytes: number): RegExp {
  const forms = new Set<string>();
  const scales: [number, string][] = [
    [1, "B|bytes"],
    [1000, "KB|kB"],
    [1024, "KiB|KB"],
    [1e6, "MB"],
    [2 ** 20, "MiB|MB"],
  ];
  for (const [scale, units] of scales) {
    for (let digits = 0; digits <= 2; digits++) {
      const value = bytes / scale;
      const plain = value.toFixed(digits);
      const grouped = value.toLocaleString("en-US", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      for (const number of [plain, grouped]) {
        forms.add(`${number.replace(/[.,]/g, "\\$&")}\\s?(?:${units})`);
      }
    }
  }
  return new RegExp(`(?<![\\d.,])(?:${[...forms].join("|")})(?![a-z])`, "i");
}

describe.concurrent("the summary of a run renders a row per avatar with its outcome", () => {
  it("approved: the row says approved, with the id, the preview and the file's size", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const size = 1_500_000;
    await workspace.video("avatars/james/lipsync.mp4", size);
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, ...waiting, video: "avatars/james/lipsync.mp4", "wait-timeout": "20s" },
    });
    expect(result.code).toBe(0);
    const persona = sandbox.personas[0];
    const { cells, html } = rowOf(avatarTable(result, REAL_COLUMNS, ["James"]), "James");
    expect(cells.id).toContain(persona?.id);
    expect(cells.status).toMatch(/done/i);
    expect(cells.approved).toMatch(YES);
    // The preview is a link or an image of one of the persona's preview URLs.
    const previews = Object.entries(persona ?? {})
      .filter(([field, value]) => field.startsWith("preview_") && typeof value === "string")
      .map(([, value]) => value as string);
    expect(previews.some((url) => html.preview?.includes(url))).toBe(true);
    expect(cells.video).toMatch(/lipsync\.mp4/);
    expect(cells.video).toMatch(sizePattern(size));
  });

  it.for([
    { failOnTimeout: "true", code: 1 },
    { failOnTimeout: "false", code: 0 },
  ])(
    "still reviewing when the wait timed out (fail-on-timeout: $failOnTimeout): says so, and after how long",
    async ({ failOnTimeout, code }, context) => {
      const { sandbox, workspace } = await setup(context, { statuses: ["pending", "reviewing"] });
      const result = await runAction({
        sandbox,
        workspace,
        inputs: {
          ...james,
          ...waiting,
          video: "https://cdn.example.com/james.mp4",
          "wait-timeout": "1s",
          "fail-on-timeout": failOnTimeout,
        },
      });
      expect(result.code).toBe(code);
      const { cells } = rowOf(avatarTable(result, REAL_COLUMNS, ["James"]), "James");
      expect(cells.id).toContain(sandbox.personas[0]?.id);
      expect(cells.status).toMatch(/reviewing/i);
      expect(cells.approved).not.toMatch(YES);
      // Today a timed-out wait reads as a plain "reviewing": the row must say the wait ended.
      expect(cells.outcome).toMatch(/timed out/i);
      // …and after how long (the 1 s wait-timeout, or the time actually waited).
      expect(cells.outcome).toMatch(/\b1(\.\d+)?\s?s(ec(ond)?s?)?\b/i);
    },
  );

  it.for([
    { status: "rejected", reason: "face not visible in the first seconds" },
    { status: "failed", reason: "could not decode the audio track" },
  ])("$status: the row gives the reason", async ({ status, reason }, context) => {
    const { sandbox, workspace } = await setup(context, {
      statuses: ["pending", status],
      failedReason: reason,
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: {
        ...james,
        ...waiting,
        video: "https://cdn.example.com/james.mp4",
        "wait-timeout": "20s",
      },
    });
    expect(result.code).toBe(1);
    const { cells } = rowOf(avatarTable(result, REAL_COLUMNS, ["James"]), "James");
    expect(cells.status).toMatch(new RegExp(status, "i"));
    expect(cells.approved).not.toMatch(YES);
    expect(cells.outcome).toContain(reason);
  });

  it("reused: the row says the existing avatar was reused", async (context) => {
    const { sandbox, workspace } = await setup(context);
    // Same name, same video (its fingerprint): reused.
    const existing = sandbox.seed({ creator_name: "James", keywords: FINGERPRINT });
    await workspace.video("v.mp4");
    const result = await runAction({ sandbox, workspace, inputs: { ...james, video: "v.mp4" } });
    expect(result.code).toBe(0);
    expect(sandbox.requests.filter((r) => r.method === "POST")).toEqual([]);
    const { cells } = rowOf(avatarTable(result, REAL_COLUMNS, ["James"]), "James");
    expect(cells.id).toContain(existing.id);
    expect(cells.approved).toMatch(YES);
    expect(cells.outcome).toMatch(/reused/i);
  });

  it("created replacing an older avatar: the row names the replaced avatar", async (context) => {
    const { sandbox, workspace } = await setup(context);
    // Same name, another take of the video: a new avatar that replaces it.
    const older = sandbox.seed({ creator_name: "James", keywords: `brand-a, ${OTHER_TAKE}` });
    await workspace.video("v.mp4");
    const result = await runAction({ sandbox, workspace, inputs: { ...james, video: "v.mp4" } });
    expect(result.code).toBe(0);
    const created = sandbox.personas.find((p) => p.id !== older.id);
    expect(created, "a new avatar was created").toBeDefined();
    const { cells } = rowOf(avatarTable(result, REAL_COLUMNS, ["James"]), "James");
    expect(cells.id).toContain(created?.id);
    expect(cells.outcome).toMatch(/replaces/i);
    expect(cells.outcome).toContain(older.id);
  });

  it("a batch: a row per entry, the failed entry's row with its error", async (context) => {
    const { sandbox, workspace } = await setup(context);
    await workspace.video("avatars/james/lipsync.mp4");
    await workspace.write(
      "avatars.yml",
      [
        "avatars:",
        "  - video: avatars/james/lipsync.mp4",
        "    creator-name: James",
        "    gender: m",
        "    video-scene: office",
        "  - video: https://cdn.example.com/mia.mp4",
        "    creator-name: Mia",
        "    gender: f",
        "    video-scene: studio",
        "",
      ].join("\n"),
    );
    sandbox.fault({
      method: "POST",
      path: "/api/personas/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ lipsync_input: ["The video must be at least 30 seconds long."] }),
    });
    const result = await runAction({ sandbox, workspace, inputs: { manifest: "avatars.yml" } });
    expect(result.code).toBe(1);
    const rendered = avatarTable(result, REAL_COLUMNS, ["James", "Mia"]);
    const jamesRow = rowOf(rendered, "James").cells;
    expect(jamesRow.id).toContain(sandbox.personas[0]?.id);
    expect(jamesRow.status).toMatch(/pending/i);
    const mia = rowOf(rendered, "Mia").cells;
    expect(mia.id).not.toMatch(/[0-9a-f]{8}-/);
    expect(mia.outcome).toMatch(/30 seconds long/);
    expect(mia.video).toContain("https://cdn.example.com/mia.mp4");
  });
});

describe.concurrent("the summary of a dry run renders the plan, a row per avatar", () => {
  /** Three entries sharing one video file: a new name, the same video, another take. */
  async function planWorkspace(workspace: Workspace): Promise<string> {
    await workspace.video("avatars/shared.mp4");
    const entry = (name: string) =>
      `  - video: avatars/shared.mp4\n    creator-name: ${name}\n    gender: f\n    video-scene: office\n`;
    await workspace.write(
      "avatars.yml",
      `avatars:\n${["New", "Kept", "Changed"].map(entry).join("")}`,
    );
    return "avatars.yml";
  }

  it("with credentials: create, reuse and create-replacing rows, each with a reason; nothing created", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const manifest = await planWorkspace(workspace);
    const kept = sandbox.seed({ creator_name: "Kept", keywords: FINGERPRINT });
    const older = sandbox.seed({ creator_name: "Changed", keywords: OTHER_TAKE });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "dry-run": "true" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(sandbox.personas).toHaveLength(2);

    const rendered = avatarTable(result, PLAN_COLUMNS, ["New", "Kept", "Changed"]);
    const fingerprint = FINGERPRINT.replace("video-sha256:", "");
    const created = rowOf(rendered, "New").cells;
    expect(created.action).toMatch(/\bcreate\b/i);
    expect(created.fingerprint).toContain(fingerprint);
    expect(created.reason).not.toBe("");

    const reused = rowOf(rendered, "Kept").cells;
    expect(reused.action).toMatch(/\breuse\b/i);
    expect(reused["avatar id"]).toContain(kept.id);
    expect(reused.reason).not.toBe("");

    const replacing = rowOf(rendered, "Changed").cells;
    expect(replacing.action).toMatch(/\bcreate\b/i);
    expect(replacing.replaces).toContain(older.id);
    expect(replacing.reason).not.toBe("");
  });

  it("refuse: the row gives Creatify's earlier reason, and the step fails as the real run would", async (context) => {
    const { sandbox, workspace } = await setup(context);
    await workspace.video("v.mp4");
    const rejected = sandbox.seed({
      creator_name: "James",
      process_status: "rejected",
      failed_reason: "blurry face in the first seconds",
      keywords: FINGERPRINT,
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { ...james, video: "v.mp4", "dry-run": "true" },
    });
    expect(result.code).toBe(1);
    expect(sandbox.requests.filter((r) => r.method !== "GET")).toEqual([]);
    const { cells } = rowOf(avatarTable(result, PLAN_COLUMNS, ["James"]), "James");
    expect(cells.action).toMatch(/\brefuse\b/i);
    expect(cells["avatar id"]).toContain(rejected.id);
    expect(cells.reason).toContain("blurry face in the first seconds");
  });

  it("without credentials: every entry checked, no request sent", async (context) => {
    const { sandbox, workspace } = await setup(context);
    const manifest = await planWorkspace(workspace);
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "dry-run": "true", "api-id": "", "api-key": "" },
    });
    expect(result.code).toBe(0);
    expect(sandbox.requests).toEqual([]);
    const rendered = avatarTable(result, PLAN_COLUMNS, ["New", "Kept", "Changed"]);
    for (const name of ["New", "Kept", "Changed"]) {
      const { cells } = rowOf(rendered, name);
      expect(cells.action).toMatch(/\bchecked\b/i);
      expect(cells.reason).not.toBe("");
    }
  });
});
