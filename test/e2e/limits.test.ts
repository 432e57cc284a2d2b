// What GitHub accepts and keeps, with no secret in an output: server text
// cut to 1,000 characters ending in `…`; one avatar's outputs under 64 KiB; the summary under
// 1 MiB, leaving rows out with a line that says how many; a webhook URL's query never shown (GitHub
// drops a job output that contains a masked value, so a token in `avatar` empties
// `needs.<job>.outputs.avatar`); credentials echoed by the server replaced by `***`.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readView } from "../sandbox/schema.ts";
import type { Persona, Sandbox, SandboxOptions } from "../sandbox/server.ts";
import { columnIndex, renderSummary, rowOf, tableWith } from "../support/render.ts";
import { mp4Bytes, type RunResult, runAction, setup, type Workspace } from "./harness.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const MAX_TEXT = 1000;

const james = { "creator-name": "James", gender: "m", "video-scene": "office" };
const byUrl = { ...james, video: "https://cdn.example.com/james.mp4" };
const waiting = {
  wait: "true",
  "poll-interval": "100ms",
  "max-poll-interval": "200ms",
  "wait-timeout": "20s",
};

/** The lines the runner sees. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);
const bytes = (text: string) => Buffer.byteLength(text);
/** Code points, as the action counts characters. */
const length = (text: string) => Array.from(text).length;
/** A lone surrogate: text cut in the middle of a character. */
const BROKEN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Server text of about `size` characters, with astral and accented characters to cut through. */
function longText(size: number, start = "The face is not visible in the first seconds."): string {
  const filler = " Ré-enregistrez 🙂 with the face in full light;";
  return `${start}${filler.repeat(Math.ceil(size / filler.length))}`;
}

/** Every output the run wrote, names and values, in bytes. */
const outputBytes = (result: RunResult) =>
  Object.entries(result.outputs).reduce(
    (sum, [name, value]) => sum + bytes(name) + bytes(value),
    0,
  );

/** `text` cut to the limit: at most 1,000 characters, ending in `…`, starting as the original. */
function expectCut(text: string | undefined, original: string): void {
  expect(text).toBeDefined();
  const cut = text ?? "";
  expect(length(cut)).toBeLessThanOrEqual(MAX_TEXT);
  expect(cut.endsWith("…"), `ends in …: ${cut.slice(-20)}`).toBe(true);
  expect(cut.startsWith(original.slice(0, 200))).toBe(true);
  expect(cut).not.toMatch(BROKEN);
}

describe.concurrent("a 10 MB failed_reason", () => {
  // Under 16 MiB, past which the action refuses an answer outright.
  const reason = longText(10_000_000);

  it.for<{
    name: string;
    avatar: string;
    sandbox?: SandboxOptions;
    inputs?: Record<string, string>;
  }>([
    {
      name: "an avatar-id that was rejected",
      avatar: "Ana",
    },
    {
      name: "a submission followed to its rejection",
      avatar: "James",
      sandbox: { statuses: ["pending", "rejected"], failedReason: reason },
      inputs: { ...byUrl, ...waiting },
    },
  ])(
    "$name: outputs, log lines and summary carry it cut",
    { timeout: 60_000 },
    async (row, context) => {
      const { sandbox, workspace } = await setup(context, row.sandbox);
      const inputs =
        row.inputs ??
        (() => {
          const { id } = sandbox.seed({
            creator_name: row.avatar,
            process_status: "rejected",
            failed_reason: reason,
          });
          return { "avatar-id": id };
        })();
      const result = await runAction({ sandbox, workspace, inputs, timeoutMs: 60_000 });
      expect(result.code).toBe(1);
      expect(result.outputs.status).toBe("rejected");

      expectCut(result.outputs["failed-reason"], reason);
      const avatar = JSON.parse(result.outputs.avatar ?? "null");
      expect(avatar).toBeTypeOf("object");
      expectCut(avatar.failed_reason, reason);
      const [summary] = JSON.parse(result.outputs.avatars ?? "[]");
      expectCut(summary?.failed_reason, reason);
      expect(outputBytes(result), "one avatar's outputs").toBeLessThan(64 * KiB);

      // The log too: the failure quotes the reason, cut (a line has room for a few cut texts).
      for (const line of linesOf(result.stdout)) expect(line.length).toBeLessThan(4 * KiB);
      expect(result.stdout).toContain(reason.slice(0, 200));

      expect(bytes(result.summary)).toBeLessThan(MiB);
      const table = tableWith(renderSummary(result.summary), ["avatar", "outcome"]);
      expect(table, "the summary's table renders").toBeDefined();
      const { cells } = rowOf(table ?? { header: [], rows: [], rowsHtml: [] }, row.avatar);
      expect(cells.outcome).toContain(reason.slice(0, 200));
      expect(length(cells.outcome ?? "")).toBeLessThan(MAX_TEXT + 200);
    },
  );
});

describe("a batch whose summary would pass 1 MiB", () => {
  it("keeps the summary under 1 MiB and says how many rows were left out", {
    timeout: 120_000,
  }, async (context) => {
    // Each row carries a 200-character name and an error cut to 1,000 characters: 1,000 rows
    // come to more than 1.2 MB however the rest of the row is written.
    const count = 1000;
    const { sandbox, workspace } = await setup(context, { maxCount: 100_000 });
    const names = Array.from({ length: count }, (_, i) =>
      `Avatar ${String(i).padStart(4, "0")} `.padEnd(200, "x"),
    );
    const yaml = names
      .map(
        (name, i) =>
          `  - video: https://cdn.example.com/${i}.mp4\n    creator-name: ${name}\n    gender: f\n    video-scene: office\n`,
      )
      .join("");
    await workspace.write("avatars.yml", `avatars:\n${yaml}`);
    sandbox.fault({
      method: "POST",
      path: "/api/personas/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ detail: longText(10_000, "The video could not be processed.") }),
      times: count,
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest: "avatars.yml", "max-parallel": "20" },
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(1);
    expect(sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(count);

    expect(bytes(result.summary)).toBeLessThan(MiB);
    const rendered = renderSummary(result.summary);
    const table = tableWith(rendered, ["avatar"]);
    const shown = table?.rows ?? [];
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(count);
    const avatar = columnIndex(table ?? { header: [], rows: [], rowsHtml: [] }, "avatar");
    for (const row of shown) expect(names).toContain(row[avatar]);
    // A line outside the table says how many were left out.
    const leftOut = count - shown.length;
    const notes = rendered.text
      .split("\n")
      .filter((line) => /left out|omitted|not shown/i.test(line))
      .filter((line) =>
        (line.match(/\d[\d,]*/g) ?? []).some((n) => Number(n.replace(/,/g, "")) === leftOut),
      );
    expect(notes, `a line saying ${leftOut} rows were left out`).not.toEqual([]);

    // Each avatar's element of `avatars` stays within its share.
    for (const element of JSON.parse(result.outputs.avatars ?? "[]")) {
      expect(bytes(JSON.stringify(element))).toBeLessThan(64 * KiB);
      expect(length(element.failed_reason)).toBeLessThanOrEqual(MAX_TEXT + 300);
    }
  });
});

/** The lines of stdout, stderr, the outputs and the summary that show `secret` outside `::add-mask::`. */
function shownOutsideMask(result: RunResult, secret: string): string[] {
  const lines = [
    ...linesOf(result.stdout).filter((line) => !line.startsWith("::add-mask::")),
    ...linesOf(result.stderr),
    ...Object.entries(result.outputs).map(([name, value]) => `output ${name}: ${value}`),
    ...linesOf(result.summary),
  ];
  return lines.filter((line) => line.includes(secret));
}

describe.concurrent("a webhook URL with a token", () => {
  const TOKEN = "SECRET123";
  const WEBHOOK = `https://hooks.example.com/x?token=${TOKEN}`;
  const SHOWN = "https://hooks.example.com/x?***";
  const fingerprint = `video-sha256:${createHash("sha256").update(mp4Bytes(4096)).digest("hex").slice(0, 16)}`;

  /** A server that answers reads with the webhook URL too, beyond the documented read schema. */
  const withWebhook = (persona: Persona) => ({ ...readView(persona), webhook_url: WEBHOOK });
  const answering = (sandbox: Sandbox, method: string, path: string, body: unknown) =>
    sandbox.fault({ method, path, kind: "status", status: 200, body: JSON.stringify(body) });

  it.for<{
    name: string;
    arrange: (ctx: { sandbox: Sandbox; workspace: Workspace }) => Promise<Record<string, string>>;
    sent?: boolean;
    /** The `avatar` output's webhook_url: absent where it is a documented read. */
    shown?: string;
  }>([
    {
      name: "a file submitted",
      sent: true,
      arrange: async ({ workspace }) => {
        await workspace.video("v.mp4");
        return { ...james, video: "v.mp4", "webhook-url": WEBHOOK };
      },
    },
    {
      name: "a URL submitted and waited on",
      sent: true,
      arrange: async () => ({ ...byUrl, ...waiting, "webhook-url": WEBHOOK }),
    },
    {
      name: "a manifest entry",
      sent: true,
      arrange: async ({ workspace }) => {
        await workspace.write(
          "avatars.yml",
          `avatars:\n  - video: https://cdn.example.com/a.mp4\n    creator-name: James\n    gender: m\n    video-scene: office\n    webhook-url: "${WEBHOOK}"\n`,
        );
        return { manifest: "avatars.yml" };
      },
    },
    {
      // The create's answer (its schema has webhook_url) is what is known when the read fails.
      name: "a create whose answer carries it, and whose read after it fails",
      sent: true,
      shown: SHOWN,
      arrange: async ({ sandbox }) => {
        sandbox.fault({ method: "GET", path: "/api/personas/*", kind: "status", status: 404 });
        return { ...byUrl, "webhook-url": WEBHOOK };
      },
    },
    {
      name: "an avatar-id whose read carries it",
      shown: SHOWN,
      arrange: async ({ sandbox }) => {
        const persona = sandbox.seed({ creator_name: "Ana" });
        answering(sandbox, "GET", `/api/personas/${persona.id}/`, withWebhook(persona));
        return { "avatar-id": persona.id };
      },
    },
    {
      name: "a reused avatar whose listing carries it",
      shown: SHOWN,
      arrange: async ({ sandbox, workspace }) => {
        const persona = sandbox.seed({ creator_name: "James", keywords: fingerprint });
        answering(sandbox, "GET", "/api/personas_v2/", [withWebhook(persona)]);
        await workspace.video("v.mp4");
        return { ...james, video: "v.mp4" };
      },
    },
  ])("$name: shown without its query, the token only in ::add-mask::", async (row, context) => {
    const { sandbox, workspace } = await setup(context);
    const inputs = await row.arrange({ sandbox, workspace });
    const result = await runAction({ sandbox, workspace, inputs });
    expect(result.code).toBe(0);
    if (row.sent) {
      // Passed through to Creatify whole: only what the action shows is cut.
      const create = sandbox.requests.find((r) => r.method === "POST");
      const sent =
        create?.fields?.webhook_url?.[0] ?? (create?.json as { webhook_url?: string })?.webhook_url;
      expect(sent).toBe(WEBHOOK);
    }
    const avatar: unknown = JSON.parse(result.outputs.avatar ?? "null");
    expect(avatar).toBeTypeOf("object");
    expect(Array.isArray(avatar)).toBe(false);
    expect((avatar as { webhook_url?: unknown }).webhook_url).toBe(row.shown);
    expect(shownOutsideMask(result, TOKEN)).toEqual([]);
    expect(result.summary).not.toMatch(/token=/);
  });

  it.for([
    {
      name: "input",
      arrange: async () => ({
        ...byUrl,
        "webhook-url": "https//hooks.example.com/x?token=SECRET456",
      }),
    },
    {
      name: "manifest entry",
      arrange: async (workspace: Workspace) => {
        await workspace.write(
          "avatars.yml",
          'avatars:\n  - video: https://cdn.example.com/a.mp4\n    creator-name: James\n    gender: m\n    video-scene: office\n    webhook-url: "https//hooks.example.com/x?token=SECRET456"\n',
        );
        return { manifest: "avatars.yml" };
      },
    },
  ])("a mistyped webhook-url $name fails without showing its token", async (row, context) => {
    const { sandbox, workspace } = await setup(context);
    const result = await runAction({ sandbox, workspace, inputs: await row.arrange(workspace) });
    expect(result.code).toBe(1);
    expect(sandbox.requests).toEqual([]);
    const errors = linesOf(result.stdout).filter((line) => line.startsWith("::error"));
    expect(errors.join("\n")).toContain("webhook-url");
    expect(shownOutsideMask(result, "SECRET456")).toEqual([]);
  });
});

describe.concurrent("server text that echoes the credentials", () => {
  // runAction fails the test when a credential shows anywhere but `::add-mask::`; each case also
  // checks that the text is still there, with `***` in the credential's place.
  const echo = (sandbox: Sandbox) => `bad key ${sandbox.apiKey} for ${sandbox.apiId}`;

  it.for<{
    name: string;
    arrange: (sandbox: Sandbox) => Record<string, string>;
    shown: (result: RunResult) => string;
  }>([
    {
      name: "a 400 detail",
      arrange: (sandbox) => {
        sandbox.fault({
          method: "POST",
          path: "/api/personas/",
          kind: "status",
          status: 400,
          body: JSON.stringify({ detail: echo(sandbox) }),
        });
        return byUrl;
      },
      shown: (result) => result.stdout,
    },
    {
      name: "a 400 field error",
      arrange: (sandbox) => {
        sandbox.fault({
          method: "POST",
          path: "/api/personas/",
          kind: "status",
          status: 400,
          body: JSON.stringify({ non_field_errors: [echo(sandbox)] }),
        });
        return byUrl;
      },
      shown: (result) => result.stdout,
    },
    {
      name: "a 503 detail, retried",
      arrange: (sandbox) => {
        sandbox.fault({
          method: "GET",
          path: "/api/personas_v2/",
          kind: "status",
          status: 503,
          body: JSON.stringify({ detail: echo(sandbox) }),
        });
        return byUrl;
      },
      shown: (result) => result.stdout,
    },
    {
      name: "a failed_reason, in the outputs",
      arrange: (sandbox) => {
        const { id } = sandbox.seed({
          creator_name: "Ana",
          process_status: "rejected",
          failed_reason: echo(sandbox),
        });
        return { "avatar-id": id };
      },
      shown: (result) => result.outputs["failed-reason"] ?? "",
    },
  ])("$name shows *** instead", async (row, context) => {
    const { sandbox, workspace } = await setup(context);
    const result = await runAction({ sandbox, workspace, inputs: row.arrange(sandbox) });
    expect(row.shown(result)).toMatch(/bad key \*\*\* for \*\*\*/);
  });
});
