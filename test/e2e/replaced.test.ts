// delete-replaced on the bundle, against the documented-schema sandbox: once a run
// sees an avatar approved, the older takes of its name that this action made (another
// fingerprint in their keywords) are deleted and their quota slots freed; never one made by
// hand, never before an approval, never in a dry run; a delete that fails only warns.
import { beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import { renderSummary, rowOf } from "../support/render.ts";
import {
  fingerprintOf,
  mp4Bytes,
  type RunResult,
  runAction,
  setup,
  type Workspace,
} from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

beforeEach(async (context) => {
  ({ sandbox, workspace } = await setup(context));
});

async function useSandbox(options: SandboxOptions): Promise<void> {
  await sandbox.close();
  sandbox = await startSandbox(options);
}

const VIDEO = "avatars/james.mp4";
const TAKE_1 = mp4Bytes(4096);
const TAKE_2 = mp4Bytes(5120);
const F1 = fingerprintOf(TAKE_1);
const F2 = fingerprintOf(TAKE_2);
/** A take this test never commits. */
const OLDER = "video-sha256:0123456789abcdef";

const LIST = "GET /api/personas_v2/";
const COUNT = "GET /api/personas_v2/count/";
const UPLOAD = "POST /api/personas_v2/";
const READ = "GET /api/personas/{id}/";
const DELETE = "DELETE /api/personas/{id}/";

const calls = () =>
  sandbox.requests.map(
    (r) => `${r.method} ${r.path.replace(/^\/api\/personas\/[^/]+\/$/, "/api/personas/{id}/")}`,
  );
const deletedPaths = () => sandbox.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
const pathOf = (id: string | undefined) => `/api/personas/${id}/`;
const planOf = (result: RunResult) =>
  JSON.parse(result.outputs.plan ?? "null") as Record<string, unknown>[];
const deletedOf = (result: RunResult) => JSON.parse(result.outputs.deleted ?? "null");
const warnings = (result: RunResult) =>
  result.stdout.split("\n").filter((line) => line.startsWith("::warning"));
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** A take of James's made by this action: its fingerprint the last of its keywords. */
const take = (fingerprint: string, hours: number, status = "done") =>
  sandbox.seed({
    creator_name: "James",
    keywords: `sales, ${fingerprint}`,
    process_status: status,
    created_at: hoursAgo(hours),
  });

const james = { "creator-name": "James", gender: "m", "video-scene": "office", video: VIDEO };
const waiting = { wait: "true", "poll-interval": "1s" };

function submit(inputs: Record<string, string> = {}) {
  return runAction({
    sandbox,
    workspace,
    inputs: { ...james, keywords: "sales", "delete-replaced": "true", ...inputs },
  });
}

/** The quota as Creatify answers it now. */
async function quota(): Promise<{ max_count: number; current_count: number }> {
  const response = await fetch(`${sandbox.url}/api/personas_v2/count/`, {
    headers: { "x-api-id": sandbox.apiId, "x-api-key": sandbox.apiKey },
  });
  return (await response.json()) as { max_count: number; current_count: number };
}

describe("a new take approved within the wait", () => {
  it("deletes the older takes and frees their slots, after the approval", async () => {
    await useSandbox({ maxCount: 3, statuses: ["reviewing", "done"] });
    // Older takes in every state: a rejected one holds no slot, the other two do.
    const rejected = take("video-sha256:fedcba9876543210", 72, "rejected");
    const reviewing = take(OLDER, 48, "reviewing");
    const older = take(F1, 24);
    const takes = [rejected.id, reviewing.id, older.id].sort();
    await workspace.write(VIDEO, TAKE_2);
    expect(await quota()).toEqual({ max_count: 3, current_count: 2 });
    sandbox.requests.length = 0;

    const result = await submit(waiting);
    expect(result.code, result.stdout).toBe(0);
    const created = sandbox.personas.find((p) => p.keywords === `sales, ${F2}`);
    // One listing; the deletes come after the read that saw the approval, not before.
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ, READ, DELETE, DELETE, DELETE]);
    expect(deletedPaths().sort()).toEqual(takes.map(pathOf).sort());
    expect(sandbox.personas.map((p) => p.id)).toEqual([created?.id]);
    // Three slots were taken with the new avatar; two are free again.
    expect(await quota()).toEqual({ max_count: 3, current_count: 1 });

    expect(result.outputs).toMatchObject({
      "avatar-id": created?.id,
      "is-active": "true",
      replaces: older.id,
    });
    expect(deletedOf(result).sort()).toEqual(takes);
    const deletes = (planOf(result)[0]?.deletes ?? []) as string[];
    expect(deletes.sort()).toEqual(takes);
    const { cells } = rowOf(renderSummary(result.summary), "James");
    expect(cells.outcome).toMatch(/deleted 3 replaced takes: /);
    expect(cells.outcome).toContain(older.id);
    expect(warnings(result)).toEqual([]);
  });

  it("deletes nothing without delete-replaced", async () => {
    await useSandbox({ statuses: ["done"] });
    const older = take(F1, 24);
    await workspace.write(VIDEO, TAKE_2);
    const result = await submit({ ...waiting, "delete-replaced": "false" });
    expect(result.code).toBe(0);
    expect(deletedPaths()).toEqual([]);
    expect(sandbox.personas.map((p) => p.id)).toContain(older.id);
    expect(deletedOf(result)).toEqual([]);
    expect(planOf(result)[0]).toMatchObject({ replaces: older.id, deletes: [] });
  });

  it("never deletes a same-name avatar made by hand", async () => {
    await useSandbox({ statuses: ["done"] });
    const byHand = sandbox.seed({
      creator_name: "James",
      keywords: "sales",
      created_at: hoursAgo(1),
    });
    const older = take(F1, 24);
    await workspace.write(VIDEO, TAKE_2);
    const result = await submit(waiting);
    expect(result.code).toBe(0);
    expect(deletedPaths()).toEqual([pathOf(older.id)]);
    expect(sandbox.personas.map((p) => p.id)).toContain(byHand.id);
    expect(deletedOf(result)).toEqual([older.id]);
  });
});

describe("before the approval", () => {
  it("deletes nothing; plan[].deletes names what will go once approved", async () => {
    const older = take(F1, 24);
    await workspace.write(VIDEO, TAKE_2);
    const result = await submit();
    expect(result.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ]);
    expect(result.outputs["is-active"]).toBe("false");
    expect(deletedOf(result)).toEqual([]);
    expect(planOf(result)[0]).toMatchObject({ action: "create", deletes: [older.id] });
    const { cells } = rowOf(renderSummary(result.summary), "James");
    expect(cells.outcome).toContain(`to delete once approved: ${older.id}`);
  });

  it("an avatar-id follow-up that sees the approval deletes then, with one listing after it", async () => {
    const older = take(F1, 48);
    const fresh = sandbox.seed({
      creator_name: "James",
      keywords: `sales, ${F2}`,
      created_at: hoursAgo(1),
      statuses: ["reviewing", "done"],
    });
    const byHand = sandbox.seed({ creator_name: "James", created_at: hoursAgo(72) });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { "avatar-id": fresh.id, "delete-replaced": "true", ...waiting },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(calls()).toEqual([READ, READ, LIST, DELETE]);
    expect(deletedPaths()).toEqual([pathOf(older.id)]);
    expect(sandbox.personas.map((p) => p.id).sort()).toEqual([fresh.id, byHand.id].sort());
    expect(deletedOf(result)).toEqual([older.id]);
    expect(result.outputs).toMatchObject({ "avatar-id": fresh.id, "is-active": "true" });
  });

  it("an avatar-id follow-up of an older approved take leaves the newer take in review alone", async () => {
    const oldest = take("video-sha256:3333333333333333", 72);
    const approved = take(F1, 48);
    // Created after the approved one, with its offset written out as DRF may: newer all the same.
    const newer = take(F2, 1, "reviewing");
    newer.created_at = newer.created_at.replace(/\.(\d{3})Z$/, ".$1000+00:00");
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { "avatar-id": approved.id, "delete-replaced": "true" },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(calls()).toEqual([READ, LIST, DELETE]);
    expect(deletedPaths()).toEqual([pathOf(oldest.id)]);
    expect(sandbox.personas.map((p) => p.id).sort()).toEqual([approved.id, newer.id].sort());
    expect(deletedOf(result)).toEqual([oldest.id]);
  });

  it("an avatar-id follow-up that sees no approval lists nothing and deletes nothing", async () => {
    take(F1, 48);
    const fresh = sandbox.seed({
      creator_name: "James",
      keywords: F2,
      process_status: "reviewing",
      created_at: hoursAgo(1),
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { "avatar-id": fresh.id, "delete-replaced": "true" },
    });
    expect(result.code).toBe(0);
    expect(calls()).toEqual([READ]);
    expect(deletedOf(result)).toEqual([]);
  });
});

describe("reusing an approved avatar", () => {
  it("a dry run deletes nothing and shows what the real run deletes at once", async () => {
    const older = take(OLDER, 48);
    const same = take(F1, 24);
    await workspace.write(VIDEO, TAKE_1);

    const dry = await submit({ "dry-run": "true" });
    expect(dry.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(planOf(dry)[0]).toMatchObject({
      action: "reuse",
      avatar_id: same.id,
      deletes: [older.id],
    });
    expect(deletedOf(dry)).toEqual([]);
    expect(rowOf(renderSummary(dry.summary), "James").cells.deletes).toBe(older.id);

    sandbox.requests.length = 0;
    const real = await submit();
    expect(real.code).toBe(0);
    expect(calls()).toEqual([LIST, DELETE]);
    expect(deletedOf(real)).toEqual([older.id]);
    expect(planOf(real)[0]).toMatchObject({ action: "reuse", deletes: [older.id] });
    expect(real.outputs).toMatchObject({ "avatar-id": same.id, reused: "true" });
  });

  it("a delete that fails five times warns; the step succeeds with its outputs", async () => {
    const older = take(OLDER, 48);
    const same = take(F1, 24);
    await workspace.write(VIDEO, TAKE_1);
    sandbox.fault({
      method: "DELETE",
      path: "/api/personas/*",
      kind: "status",
      status: 500,
      times: 5,
    });
    const result = await submit();
    expect(result.code, result.stdout).toBe(0);
    expect(deletedPaths()).toEqual(Array(5).fill(pathOf(older.id)));
    expect(sandbox.personas.map((p) => p.id)).toContain(older.id);
    expect(warnings(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning::Avatar "James" \\(${same.id}\\) is approved, but deleting the replaced take ${older.id} failed .*HTTP 500`,
        ),
      ),
    ]);
    expect(result.outputs).toMatchObject({ "avatar-id": same.id, reused: "true", deleted: "[]" });
    expect(planOf(result)[0]).toMatchObject({ action: "reuse", deletes: [] });
  });

  it("a take already gone (404) counts as deleted", async () => {
    const older = take(OLDER, 48);
    take(F1, 24);
    await workspace.write(VIDEO, TAKE_1);
    sandbox.fault({ method: "DELETE", path: "/api/personas/*", kind: "status", status: 404 });
    const result = await submit();
    expect(result.code).toBe(0);
    expect(deletedPaths()).toEqual([pathOf(older.id)]);
    expect(deletedOf(result)).toEqual([older.id]);
    expect(warnings(result)).toEqual([]);
  });
});

describe("batch mode", () => {
  it("applies the rule per entry, from the run's one listing", async () => {
    await useSandbox({ statuses: ["done"] });
    const jamesOlder = take(F1, 24);
    const ana = (keywords: string, hours: number) =>
      sandbox.seed({ creator_name: "Ana", keywords, created_at: hoursAgo(hours) });
    const anaOlder = ana(OLDER, 48);
    const anaByHand = sandbox.seed({ creator_name: "Ana", created_at: hoursAgo(72) });
    const anaVideo = mp4Bytes(4608);
    const anaSame = ana(fingerprintOf(anaVideo), 24);
    await workspace.write(VIDEO, TAKE_2);
    await workspace.write("avatars/ana.mp4", anaVideo);
    const avatars = [
      { video: VIDEO, "creator-name": "James", gender: "m", "video-scene": "office" },
      { video: "avatars/ana.mp4", "creator-name": "Ana", gender: "f", "video-scene": "office" },
    ];
    await workspace.write("avatars.json", JSON.stringify({ avatars }));

    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest: "avatars.json", "delete-replaced": "true", ...waiting },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(calls().filter((call) => call === LIST)).toHaveLength(1);
    expect(deletedPaths().sort()).toEqual([pathOf(jamesOlder.id), pathOf(anaOlder.id)].sort());
    expect(deletedOf(result).sort()).toEqual([jamesOlder.id, anaOlder.id].sort());
    const plan = planOf(result);
    expect(plan.map((element) => [element.creator_name, element.action, element.deletes])).toEqual([
      ["James", "create", [jamesOlder.id]],
      ["Ana", "reuse", [anaOlder.id]],
    ]);
    expect(sandbox.personas.map((p) => p.id)).toEqual(
      expect.arrayContaining([anaByHand.id, anaSame.id]),
    );
  });
});
