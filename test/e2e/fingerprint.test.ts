// Same video, same avatar (SPEC §8) on the bundle: every created avatar carries its video's
// fingerprint, `if-exists: reuse` decides by it rule by rule, a new take replaces the old avatar
// and a revert finds the first one again, and a Creatify that refuses the label still gets one
// avatar. Fingerprints are computed here from the bytes, not by src/, so a wrong hash in the
// action shows up as a mismatch instead of agreeing with itself.
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type RecordedRequest,
  type Sandbox,
  type SeedInput,
  startSandbox,
} from "../sandbox/server.ts";
import {
  errorLines,
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

const VIDEO = "avatars/james.mp4";
/** Two takes of James's video: the same file path, different bytes. */
const TAKE_1 = mp4Bytes(4096);
const TAKE_2 = mp4Bytes(5120);
const F1 = fingerprintOf(TAKE_1);
const F2 = fingerprintOf(TAKE_2);
/** Fingerprints of takes this test never commits. */
const OTHER = "video-sha256:0123456789abcdef";
const OLDER = "video-sha256:fedcba9876543210";

const james = { "creator-name": "James", gender: "m", "video-scene": "office", video: VIDEO };

const LIST = "GET /api/personas_v2/";
const COUNT = "GET /api/personas_v2/count/";
const UPLOAD = "POST /api/personas_v2/";
const BY_URL = "POST /api/personas/";

/** A create's labels: one multipart `labels` part per label, or the JSON body's array. */
const labelsSent = (request: RecordedRequest) =>
  request.fields?.labels ?? (request.json as { labels?: string[] } | undefined)?.labels;
const calls = () => sandbox.requests.map((r) => `${r.method} ${r.path}`);
const posts = () => sandbox.requests.filter((r) => r.method === "POST");
const lines = (result: RunResult) => result.stdout.split(/\r\n|\r|\n/);
const planOf = (result: RunResult) =>
  JSON.parse(result.outputs.plan ?? "null") as Record<string, unknown>[];
const avatarsOf = (result: RunResult) =>
  JSON.parse(result.outputs.avatars ?? "null") as Record<string, unknown>[];
/** An ISO time `hours` ago, to order seeded avatars by `created_at`. */
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** Runs the action on James's video as committed right now, the rest of the inputs given. */
function submit(inputs: Record<string, string> = {}) {
  return runAction({ sandbox, workspace, inputs: { ...james, ...inputs } });
}

describe("the fingerprint label", () => {
  it.each<{ name: string; inputs: Record<string, string>; call: string; labels: string[] }>([
    {
      name: "a file: the SHA-256 of its bytes, after the user's labels",
      inputs: { labels: "brand-a\nbrand-b" },
      call: UPLOAD,
      labels: ["brand-a", "brand-b", F1],
    },
    {
      name: "a file without user labels: the fingerprint alone",
      inputs: {},
      call: UPLOAD,
      labels: [F1],
    },
    {
      // Exactly as given: a normalised URL (lower-cased host, decoded path) would hash otherwise.
      name: "a URL: the SHA-256 of its text exactly as given",
      inputs: { video: "https://CDN.example.com/takes/James%20v2.mp4?take=2", labels: "a, b" },
      call: BY_URL,
      labels: ["a", "b", fingerprintOf("https://CDN.example.com/takes/James%20v2.mp4?take=2")],
    },
  ])("$name", async ({ inputs, call, labels }) => {
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit(inputs);
    expect(result.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, call]);
    expect(posts().map(labelsSent)).toEqual([labels]);
    // A file's fingerprint is known only once it has streamed: its part comes after the file.
    const parts = posts()[0]?.parts;
    if (parts) expect(parts.indexOf("lipsync_input")).toBeLessThan(parts.lastIndexOf("labels"));
    expect(sandbox.personas).toEqual([expect.objectContaining({ labels })]);
    expect(planOf(result)).toEqual([
      expect.objectContaining({ action: "create", fingerprint: labels.at(-1) }),
    ]);
  });

  it("uploads the file's bytes unchanged, hashed while they stream", async () => {
    // Larger than one read buffer of the hash, so a hash of only the first chunk would differ.
    const take = mp4Bytes(3_000_017);
    await workspace.write(VIDEO, take);
    const result = await submit();
    expect(result.code).toBe(0);
    const [create] = posts();
    expect(create?.files).toEqual([
      expect.objectContaining({
        field: "lipsync_input",
        bytes: take.length,
        sha256: createHash("sha256").update(take).digest("hex"),
      }),
    ]);
    expect(create?.fields?.labels).toEqual([fingerprintOf(take)]);
  });
});

/** A same-name avatar already on Creatify, as the listing shows it. */
interface Existing {
  /** Fingerprint labels; omitted: made by hand, no labels at all. */
  labels?: string[];
  status?: string;
  hoursAgo: number;
  failedReason?: string;
  name?: string;
}

/** What a run decided and did for James, with the seeded avatars named by their index. */
interface Expected {
  action: "create" | "reuse" | "refuse";
  /** The seeded avatar reused or refused; for a create, the new one. */
  avatar?: number;
  /** The seeded avatar the new one replaces. */
  replaces?: number;
  /** The plan's fingerprint: F1, or null where no decision needed the hash (SPEC §8 end). */
  fingerprint?: string | null;
  /** Text an `::error::` (refuse) or `::notice::` (hand-made reuse) line must carry. */
  error?: RegExp[];
  notice?: RegExp[];
}

const RULES: { name: string; existing: Existing[]; ifExists?: string; expected: Expected }[] = [
  {
    name: "rule 1: a live avatar made from this video is reused",
    existing: [{ labels: ["brand-a", F1], hoursAgo: 24 }],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1: one still in review counts as live",
    existing: [{ labels: [F1], status: "reviewing", hoursAgo: 1 }],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1: of several made from this video, the newest",
    existing: [
      { labels: [F1], hoursAgo: 72 },
      { labels: [F1], hoursAgo: 24 },
      { labels: [F1], hoursAgo: 48 },
    ],
    expected: { action: "reuse", avatar: 1 },
  },
  {
    // The revert: an older take's avatar is found by its video even though a newer one exists.
    name: "rule 1 before rule 3: this video's avatar wins over a newer one of another take",
    existing: [
      { labels: [F1], hoursAgo: 48 },
      { labels: [OTHER], hoursAgo: 1 },
    ],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1 before rule 2: a live avatar of this video wins over a rejected one",
    existing: [
      { labels: [F1], status: "rejected", hoursAgo: 1 },
      { labels: [F1], hoursAgo: 48 },
    ],
    expected: { action: "reuse", avatar: 1 },
  },
  {
    name: "rule 2: a video Creatify rejected is refused with its reason",
    existing: [
      {
        labels: [F1],
        status: "rejected",
        failedReason: "The face is turned away in most frames.",
        hoursAgo: 24,
      },
    ],
    expected: {
      action: "refuse",
      avatar: 0,
      error: [/The face is turned away in most frames\./, /new take/i, /if-exists.*create/],
    },
  },
  {
    name: "rule 2 before rule 3: rejected this video, though another take is live",
    existing: [
      { labels: [OTHER], hoursAgo: 48 },
      { labels: [F1], status: "rejected", failedReason: "Too dark.", hoursAgo: 24 },
    ],
    expected: { action: "refuse", avatar: 1, error: [/Too dark\./] },
  },
  {
    // A processing failure says nothing against the video itself.
    name: "rule 2 is for rejected only: a failed avatar of this video does not refuse",
    existing: [{ labels: [F1], status: "failed", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "rule 3: a live avatar of another take is replaced",
    existing: [{ labels: [OTHER], hoursAgo: 24 }],
    expected: { action: "create", replaces: 0 },
  },
  {
    name: "rule 3: replaces the newest live avatar, not a newer rejected one",
    existing: [
      { labels: [OLDER], hoursAgo: 72 },
      { labels: [OTHER], status: "reviewing", hoursAgo: 48 },
      { labels: ["video-sha256:1111111111111111"], status: "rejected", hoursAgo: 1 },
    ],
    expected: { action: "create", replaces: 1 },
  },
  {
    name: "rule 3: another take beside a hand-made one; the newest live one is replaced",
    existing: [{ labels: [OTHER], hoursAgo: 48 }, { hoursAgo: 24 }],
    expected: { action: "create", replaces: 1 },
  },
  {
    name: "rule 4: a hand-made avatar is reused, the newest, with a notice",
    existing: [{ hoursAgo: 48 }, { labels: ["brand-a"], hoursAgo: 24 }],
    expected: {
      action: "reuse",
      avatar: 1,
      fingerprint: null,
      notice: [/cannot be compared/, /if-exists.*create/],
    },
  },
  {
    // Failed avatars count for nothing but rule 2: a rejected other take is no "changed video".
    name: "rule 4: a rejected avatar of another take does not make the hand-made one changed",
    existing: [{ hoursAgo: 48 }, { labels: [OTHER], status: "rejected", hoursAgo: 1 }],
    expected: { action: "reuse", avatar: 0, notice: [/if-exists.*create/] },
  },
  {
    name: "rule 5: only failed or rejected avatars of other takes: create, replacing none",
    existing: [
      { labels: [OTHER], status: "rejected", hoursAgo: 48 },
      { status: "failed", hoursAgo: 24 },
    ],
    expected: { action: "create" },
  },
  {
    name: "rule 5: another name's avatar of this very video does not count",
    existing: [{ labels: [F1], name: "Jamie", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "if-exists: fail refuses a live same-name avatar",
    ifExists: "fail",
    existing: [{ labels: [OTHER], hoursAgo: 24 }],
    expected: { action: "refuse", avatar: 0, fingerprint: null, error: [/if-exists/] },
  },
  {
    name: "if-exists: fail creates, labelled, when every same-name avatar failed",
    ifExists: "fail",
    existing: [{ labels: [F1], status: "rejected", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "if-exists: create creates, labelled, beside an avatar of this very video",
    ifExists: "create",
    existing: [{ labels: [F1], hoursAgo: 24 }],
    expected: { action: "create" },
  },
];

describe("if-exists decides by the fingerprint (SPEC §8)", () => {
  it.each(RULES)("$name", async ({ existing, ifExists, expected }) => {
    const seeded = existing.map((avatar) => {
      const seed: SeedInput = {
        creator_name: avatar.name ?? "James",
        process_status: avatar.status ?? "done",
        created_at: ago(avatar.hoursAgo),
      };
      // A hand-made avatar's answer has no `labels` at all (SPEC §8: an array, or absent).
      if (avatar.labels) seed.labels = avatar.labels;
      if (avatar.failedReason) seed.failed_reason = avatar.failedReason;
      const persona = sandbox.seed(seed);
      if (!avatar.labels) delete (persona as { labels?: unknown }).labels;
      return persona;
    });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit(ifExists ? { "if-exists": ifExists } : {});

    const creates = expected.action === "create";
    expect(result.code, result.stdout).toBe(expected.action === "refuse" ? 1 : 0);
    // One listing decides; the quota is read only when there is something to create.
    expect(calls()).toEqual(creates ? [LIST, COUNT, UPLOAD] : [LIST]);
    const created = sandbox.personas[seeded.length];
    if (creates) {
      expect(sandbox.personas).toHaveLength(seeded.length + 1);
      expect(created?.labels).toEqual([F1]);
    }
    const id = (index: number | undefined) =>
      index === undefined ? null : (seeded[index]?.id ?? "missing seed");
    const avatarId = creates ? (created?.id ?? "none created") : id(expected.avatar);
    const replaces = id(expected.replaces);
    const fingerprint = expected.fingerprint === null ? expect.toBeOneOf([F1, null]) : F1;
    expect(planOf(result)).toEqual([
      {
        creator_name: "James",
        video: VIDEO,
        action: expected.action,
        avatar_id: avatarId,
        replaces,
        fingerprint,
        reason: expect.any(String),
      },
    ]);

    const reused = expected.action === "reuse";
    expect(avatarsOf(result)).toEqual([expect.objectContaining({ replaces, reused })]);
    // A refused avatar is not this run's avatar (if-exists: fail names another one).
    if (expected.action !== "refuse") {
      expect(result.outputs.reused).toBe(String(reused));
      expect(result.outputs.replaces).toBe(replaces ?? "");
      expect(result.outputs["avatar-id"]).toBe(avatarId);
      expect(avatarsOf(result)[0]?.avatar_id).toBe(avatarId);
    }

    const errors = errorLines(result);
    for (const pattern of expected.error ?? []) {
      expect(errors.join("\n"), `an error line matching ${pattern}`).toMatch(pattern);
    }
    if (!expected.error) expect(errors).toEqual([]);
    const notices = lines(result).filter((line) => line.startsWith("::notice"));
    if (expected.notice) {
      expect(notices).toHaveLength(1);
      for (const pattern of expected.notice) expect(notices[0]).toMatch(pattern);
    } else {
      expect(notices).toEqual([]);
    }
  });

  it("fails a rejected video with Creatify's earlier reason in the outputs too", async () => {
    const rejected = sandbox.seed({
      creator_name: "James",
      labels: [F1],
      process_status: "rejected",
      failed_reason: "The face is turned away in most frames.",
    });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit();
    expect(result.code).toBe(1);
    expect(posts()).toEqual([]);
    expect(avatarsOf(result)).toEqual([
      expect.objectContaining({
        avatar_id: rejected.id,
        status: "rejected",
        failed_reason: "The face is turned away in most frames.",
        reused: false,
      }),
    ]);
  });
});

describe("a team that commits takes of a video over time", () => {
  it("first take, re-run, new take, revert: one upload per distinct take", async () => {
    const reusing = (id: string | undefined) =>
      new RegExp(`^Avatar "James": reusing ${id}, nothing uploaded`);

    // 1. The first take is committed: avatar A, labelled with its fingerprint.
    await workspace.write(VIDEO, TAKE_1);
    const first = await submit();
    expect(first.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD]);
    const a = sandbox.personas[0];
    expect(a?.labels).toEqual([F1]);
    expect(first.outputs).toMatchObject({ "avatar-id": a?.id, reused: "false", replaces: "" });

    // 2. The workflow runs again on the same commit: A is reused, nothing is uploaded.
    sandbox.requests.length = 0;
    const rerun = await submit();
    expect(rerun.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(rerun.outputs).toMatchObject({ "avatar-id": a?.id, reused: "true", replaces: "" });
    expect(lines(rerun).filter((line) => reusing(a?.id).test(line))).toHaveLength(1);

    // 3. A better take is committed over the file: avatar B, which replaces A.
    sandbox.requests.length = 0;
    await workspace.write(VIDEO, TAKE_2);
    const newTake = await submit();
    expect(newTake.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD]);
    expect(sandbox.personas).toHaveLength(2);
    const b = sandbox.personas[1];
    expect(b?.labels).toEqual([F2]);
    expect(newTake.outputs).toMatchObject({
      "avatar-id": b?.id,
      reused: "false",
      replaces: a?.id,
    });
    expect(avatarsOf(newTake)).toEqual([
      expect.objectContaining({ avatar_id: b?.id, replaces: a?.id }),
    ]);
    expect(planOf(newTake)).toEqual([
      expect.objectContaining({ action: "create", avatar_id: b?.id, replaces: a?.id }),
    ]);

    // 4. The new take re-run: B.
    sandbox.requests.length = 0;
    const again = await submit();
    expect(calls()).toEqual([LIST]);
    expect(again.outputs).toMatchObject({ "avatar-id": b?.id, reused: "true" });

    // 5. The first take is reverted to: A again, though B is newer.
    sandbox.requests.length = 0;
    await workspace.write(VIDEO, TAKE_1);
    const revert = await submit();
    expect(revert.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(revert.outputs).toMatchObject({ "avatar-id": a?.id, reused: "true", replaces: "" });
    expect(planOf(revert)).toEqual([
      expect.objectContaining({ action: "reuse", avatar_id: a?.id, fingerprint: F1 }),
    ]);
    expect(sandbox.personas).toHaveLength(2);
  });
});

describe("a Creatify that refuses the label", () => {
  it.each([
    { kind: "a file", video: VIDEO, call: UPLOAD, fingerprint: F1 },
    {
      kind: "a URL",
      video: "https://cdn.example.com/james.mp4",
      call: BY_URL,
      fingerprint: fingerprintOf("https://cdn.example.com/james.mp4"),
    },
  ])("gets $kind once more without the fingerprint, and one avatar", async (row) => {
    await sandbox.close();
    sandbox = await startSandbox({ refuseLabelsWith: "video-sha256:" });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit({ video: row.video, labels: "brand-a" });

    expect(result.code, result.stdout).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, row.call, row.call]);
    const [refused, resent] = posts();
    expect(refused?.status).toBe(400);
    expect(refused && labelsSent(refused)).toEqual(["brand-a", row.fingerprint]);
    expect(resent && labelsSent(resent)).toEqual(["brand-a"]);
    expect(sandbox.personas).toEqual([expect.objectContaining({ labels: ["brand-a"] })]);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    const warnings = lines(result).filter((line) => /^::warning::Avatar "James"/.test(line));
    expect(warnings).toEqual([expect.stringMatching(/refused .*label.*by name only/)]);
    expect(errorLines(result)).toEqual([]);

    // What the warning promised: the re-run matches by name, and uploads nothing.
    sandbox.requests.length = 0;
    const rerun = await submit({ video: row.video, labels: "brand-a" });
    expect(rerun.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(rerun.outputs).toMatchObject({ "avatar-id": sandbox.personas[0]?.id, reused: "true" });
  });

  it("sends a create refused for another field only once", async () => {
    // Only a 400 naming `labels` is the label's fault; any other 400 is the user's to fix.
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ video_scene: ["Unknown scene."] }),
    });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit();
    expect(result.code).toBe(1);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD]);
    expect(errorLines(result)).toEqual([expect.stringContaining("video_scene: Unknown scene.")]);
    expect(sandbox.personas).toEqual([]);
  });
});
