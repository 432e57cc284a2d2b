// Same video, same avatar on the bundle, against a sandbox that answers Creatify's
// documented schemas (reads show `keywords`, never `labels`): every created avatar carries its
// video's fingerprint in its keywords (and as a label), `if-exists: reuse` decides by it rule by
// rule, a new take replaces the old avatar and a revert finds the first one again, and a Creatify
// that refuses the fingerprint still gets one avatar. Fingerprints are computed here from the
// bytes, not by src/, so a wrong hash in the action shows up as a mismatch instead of agreeing
// with itself.
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
/** The first contact: the one read of a new avatar after its create. */
const READ = "GET /api/personas/{id}/";

/** A create's labels: one multipart `labels` part per label, or the JSON body's array. */
const labelsSent = (request: RecordedRequest) =>
  request.fields?.labels ?? (request.json as { labels?: string[] } | undefined)?.labels;
/** A create's keywords: the multipart part (one, or the last wins as in DRF), or the JSON's. */
const keywordsSent = (request: RecordedRequest) =>
  request.fields?.keywords?.at(-1) ?? (request.json as { keywords?: string } | undefined)?.keywords;
const calls = () =>
  sandbox.requests.map(
    (r) => `${r.method} ${r.path.replace(/^\/api\/personas\/[^/]+\/$/, "/api/personas/{id}/")}`,
  );
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

describe("the fingerprint, in keywords and as a label", () => {
  it.each<{
    name: string;
    inputs: Record<string, string>;
    call: string;
    labels: string[];
    keywords: string;
  }>([
    {
      name: "a file: the SHA-256 of its bytes, after the user's keywords and labels",
      inputs: { labels: "brand-a\nbrand-b", keywords: "sales, friendly" },
      call: UPLOAD,
      labels: ["brand-a", "brand-b", F1],
      keywords: `sales, friendly, ${F1}`,
    },
    {
      name: "a file without user keywords or labels: the fingerprint alone",
      inputs: {},
      call: UPLOAD,
      labels: [F1],
      keywords: F1,
    },
    {
      // Exactly as given: a normalised URL (lower-cased host, decoded path) would hash otherwise.
      name: "a URL: the SHA-256 of its text exactly as given",
      inputs: {
        video: "https://CDN.example.com/takes/James%20v2.mp4?take=2",
        labels: "a, b",
        keywords: "warm",
      },
      call: BY_URL,
      labels: ["a", "b", fingerprintOf("https://CDN.example.com/takes/James%20v2.mp4?take=2")],
      keywords: `warm, ${fingerprintOf("https://CDN.example.com/takes/James%20v2.mp4?take=2")}`,
    },
  ])("$name", async ({ inputs, call, labels, keywords }) => {
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit(inputs);
    expect(result.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, call, READ]);
    expect(posts().map(labelsSent)).toEqual([labels]);
    expect(posts().map(keywordsSent)).toEqual([keywords]);
    // A file's fingerprint is known only once it has streamed: its parts come after the file,
    // and the keywords are sent once, not once before it with the user's alone.
    const parts = posts()[0]?.parts;
    if (parts) {
      expect(parts.filter((part) => part === "keywords")).toHaveLength(1);
      expect(parts.indexOf("lipsync_input")).toBeLessThan(parts.indexOf("keywords"));
      expect(parts.indexOf("lipsync_input")).toBeLessThan(parts.lastIndexOf("labels"));
    }
    expect(sandbox.personas).toEqual([expect.objectContaining({ labels, keywords })]);
    expect(planOf(result)).toEqual([
      expect.objectContaining({ action: "create", fingerprint: labels.at(-1) }),
    ]);
    // What the first read showed, and no warning: Creatify kept the fingerprint.
    expect(JSON.parse(result.outputs.avatar ?? "{}")).toMatchObject({ keywords, is_active: false });
    expect(lines(result).filter((line) => line.startsWith("::warning"))).toEqual([]);
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
    expect(create?.fields?.keywords).toEqual([fingerprintOf(take)]);
  });

  it.each([
    { name: "224 characters of keywords fit with the fingerprint", length: 224, code: 0 },
    { name: "225 are refused before any request", length: 225, code: 1 },
  ])("$name", async ({ length, code }) => {
    await workspace.write(VIDEO, TAKE_1);
    const keywords = `${"k".repeat(length - 6)}, best`;
    const result = await submit({ keywords });
    expect(result.code, result.stdout).toBe(code);
    if (code === 0) {
      expect(posts().map(keywordsSent)).toEqual([`${keywords}, ${F1}`]);
      expect(keywordsSent(posts()[0] as RecordedRequest)).toHaveLength(255);
    } else {
      expect(sandbox.requests).toEqual([]);
      expect(errorLines(result)).toEqual([
        expect.stringMatching(
          /^Input "keywords": 225 characters, at most 224 allowed: Creatify keeps 255, and the action appends the video's fingerprint/,
        ),
      ]);
    }
  });
});

describe("the first contact checks that Creatify kept what was sent", () => {
  it("reads the new avatar once: its outputs show is_active and previews, which a 201 lacks", async () => {
    await sandbox.close();
    // Approved at the first read, as a quick review would be.
    sandbox = await startSandbox({ statuses: ["done"] });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit();
    expect(result.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ]);
    expect(result.outputs).toMatchObject({ status: "done", "is-active": "true" });
    expect(JSON.parse(result.outputs.avatar ?? "{}")).toMatchObject({
      preview_image_16_9: expect.stringMatching(/^https:/),
    });
    expect(result.summary).toMatch(/\[preview\]\(https:/);
  });

  it.each<{ name: string; inputs: Record<string, string> }>([
    { name: "without wait, at once", inputs: {} },
    {
      name: "with wait, at the wait's first read",
      inputs: { wait: "true", "poll-interval": "1s" },
    },
  ])("warns, naming the avatar, when the keywords lost the fingerprint: $name", async (row) => {
    await sandbox.close();
    sandbox = await startSandbox({ stripFingerprint: true, statuses: ["reviewing", "done"] });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit({ keywords: "sales", ...row.inputs });
    expect(result.code, result.stdout).toBe(0);
    const id = sandbox.personas[0]?.id;
    const reads = calls().filter((call) => call === READ);
    expect(reads.length).toBe(row.inputs.wait ? 2 : 1);
    const warnings = lines(result).filter((line) => line.startsWith("::warning"));
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `Avatar "James" \\(${id}\\): Creatify did not keep the video fingerprint ${F1}.*by name only.*if-exists: create`,
        ),
      ),
    ]);

    // What the warning says: the re-run matches by name only, so a new take is not uploaded.
    sandbox.requests.length = 0;
    await workspace.write(VIDEO, TAKE_2);
    const rerun = await submit({ keywords: "sales" });
    expect(calls()).toEqual([LIST]);
    expect(rerun.outputs).toMatchObject({ "avatar-id": id, reused: "true" });
  });

  it("reads the new avatar even with no time to wait (wait-timeout 0)", async () => {
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit({ wait: "true", "wait-timeout": "0", "fail-on-timeout": "false" });
    expect(result.code, result.stdout).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ]);
    expect(JSON.parse(result.outputs.avatar ?? "{}")).toMatchObject({ is_active: false });
    expect(lines(result).filter((line) => line.startsWith("::warning"))).toEqual([
      expect.stringMatching(/is still pending after 0ms/),
    ]);
  });

  it("warns when a consent video was sent and the 201's consent_video is empty", async () => {
    await sandbox.close();
    sandbox = await startSandbox({ ignoreConsentVideo: true });
    await workspace.write(VIDEO, TAKE_1);
    await workspace.write("avatars/consent.mp4", mp4Bytes(2048));
    const result = await submit({ "consent-video": "avatars/consent.mp4" });
    expect(result.code).toBe(0);
    expect(posts()[0]?.files?.map((file) => file.field)).toEqual([
      "lipsync_input",
      "consent_video",
    ]);
    const id = sandbox.personas[0]?.id;
    expect(lines(result).filter((line) => line.startsWith("::warning"))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning::Avatar "James" \\(${id}\\): Creatify did not store the consent video`,
        ),
      ),
    ]);
  });

  it("says nothing of a consent video that Creatify stored, or of none sent", async () => {
    await workspace.write(VIDEO, TAKE_1);
    await workspace.write("avatars/consent.mp4", mp4Bytes(2048));
    const result = await submit({ "consent-video": "avatars/consent.mp4" });
    expect(result.code).toBe(0);
    expect(lines(result).filter((line) => line.startsWith("::warning"))).toEqual([]);
  });
});

/** A same-name avatar already on Creatify, as the listing shows it. */
interface Existing {
  /** Its keywords' items, fingerprints among them; omitted: made by hand, no keywords at all. */
  keywords?: string[];
  /** Labels it was stored with, which no read shows. */
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
  /** The plan's fingerprint: F1, or null where no decision needed the hash. */
  fingerprint?: string | null;
  /** Text an `::error::` (refuse) or `::notice::` (hand-made reuse) line must carry. */
  error?: RegExp[];
  notice?: RegExp[];
}

const RULES: { name: string; existing: Existing[]; ifExists?: string; expected: Expected }[] = [
  {
    name: "rule 1: a live avatar made from this video is reused",
    existing: [{ keywords: ["brand-a", F1], hoursAgo: 24 }],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1: one still in review counts as live",
    existing: [{ keywords: [F1], status: "reviewing", hoursAgo: 1 }],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1: of several made from this video, the newest",
    existing: [
      { keywords: [F1], hoursAgo: 72 },
      { keywords: [F1], hoursAgo: 24 },
      { keywords: [F1], hoursAgo: 48 },
    ],
    expected: { action: "reuse", avatar: 1 },
  },
  {
    // The revert: an older take's avatar is found by its video even though a newer one exists.
    name: "rule 1 before rule 3: this video's avatar wins over a newer one of another take",
    existing: [
      { keywords: [F1], hoursAgo: 48 },
      { keywords: [OTHER], hoursAgo: 1 },
    ],
    expected: { action: "reuse", avatar: 0 },
  },
  {
    name: "rule 1 before rule 2: a live avatar of this video wins over a rejected one",
    existing: [
      { keywords: [F1], status: "rejected", hoursAgo: 1 },
      { keywords: [F1], hoursAgo: 48 },
    ],
    expected: { action: "reuse", avatar: 1 },
  },
  {
    name: "rule 2: a video Creatify rejected is refused with its reason",
    existing: [
      {
        keywords: [F1],
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
      { keywords: [OTHER], hoursAgo: 48 },
      { keywords: [F1], status: "rejected", failedReason: "Too dark.", hoursAgo: 24 },
    ],
    expected: { action: "refuse", avatar: 1, error: [/Too dark\./] },
  },
  {
    // A processing failure says nothing against the video itself.
    name: "rule 2 is for rejected only: a failed avatar of this video does not refuse",
    existing: [{ keywords: [F1], status: "failed", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "rule 3: a live avatar of another take is replaced",
    existing: [{ keywords: [OTHER], hoursAgo: 24 }],
    expected: { action: "create", replaces: 0 },
  },
  {
    name: "rule 3: replaces the newest live avatar, not a newer rejected one",
    existing: [
      { keywords: [OLDER], hoursAgo: 72 },
      { keywords: [OTHER], status: "reviewing", hoursAgo: 48 },
      { keywords: ["video-sha256:1111111111111111"], status: "rejected", hoursAgo: 1 },
    ],
    expected: { action: "create", replaces: 1 },
  },
  {
    name: "rule 3: another take beside a hand-made one; the newest live one is replaced",
    existing: [{ keywords: [OTHER], hoursAgo: 48 }, { hoursAgo: 24 }],
    expected: { action: "create", replaces: 1 },
  },
  {
    name: "rule 4: a hand-made avatar is reused, the newest, with a notice",
    existing: [{ hoursAgo: 48 }, { keywords: ["brand-a"], hoursAgo: 24 }],
    expected: {
      action: "reuse",
      avatar: 1,
      fingerprint: null,
      notice: [/cannot be compared/, /if-exists.*create/],
    },
  },
  {
    // The bug of issue 17: Creatify's reads never show labels, so a label alone is not seen.
    name: "rule 4: a fingerprint in labels only, which reads do not show, looks hand-made",
    existing: [{ labels: [OTHER], hoursAgo: 24 }],
    expected: { action: "reuse", avatar: 0, fingerprint: null, notice: [/cannot be compared/] },
  },
  {
    // Failed avatars count for nothing but rule 2: a rejected other take is no "changed video".
    name: "rule 4: a rejected avatar of another take does not make the hand-made one changed",
    existing: [{ hoursAgo: 48 }, { keywords: [OTHER], status: "rejected", hoursAgo: 1 }],
    expected: { action: "reuse", avatar: 0, notice: [/if-exists.*create/] },
  },
  {
    name: "rule 5: only failed or rejected avatars of other takes: create, replacing none",
    existing: [
      { keywords: [OTHER], status: "rejected", hoursAgo: 48 },
      { status: "failed", hoursAgo: 24 },
    ],
    expected: { action: "create" },
  },
  {
    name: "rule 5: another name's avatar of this very video does not count",
    existing: [{ keywords: [F1], name: "Jamie", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "if-exists: fail refuses a live same-name avatar",
    ifExists: "fail",
    existing: [{ keywords: [OTHER], hoursAgo: 24 }],
    expected: { action: "refuse", avatar: 0, fingerprint: null, error: [/if-exists/] },
  },
  {
    name: "if-exists: fail creates, labelled, when every same-name avatar failed",
    ifExists: "fail",
    existing: [{ keywords: [F1], status: "rejected", hoursAgo: 24 }],
    expected: { action: "create" },
  },
  {
    name: "if-exists: create creates, labelled, beside an avatar of this very video",
    ifExists: "create",
    existing: [{ keywords: [F1], hoursAgo: 24 }],
    expected: { action: "create" },
  },
];

describe("if-exists decides by the fingerprint", () => {
  it.each(RULES)("$name", async ({ existing, ifExists, expected }) => {
    const seeded = existing.map((avatar) => {
      const seed: SeedInput = {
        creator_name: avatar.name ?? "James",
        process_status: avatar.status ?? "done",
        created_at: ago(avatar.hoursAgo),
      };
      if (avatar.keywords) seed.keywords = avatar.keywords.join(", ");
      if (avatar.labels) seed.labels = avatar.labels;
      if (avatar.failedReason) seed.failed_reason = avatar.failedReason;
      return sandbox.seed(seed);
    });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit(ifExists ? { "if-exists": ifExists } : {});

    const creates = expected.action === "create";
    expect(result.code, result.stdout).toBe(expected.action === "refuse" ? 1 : 0);
    // One listing decides; the quota is read only when there is something to create.
    expect(calls()).toEqual(creates ? [LIST, COUNT, UPLOAD, READ] : [LIST]);
    const created = sandbox.personas[seeded.length];
    if (creates) {
      expect(sandbox.personas).toHaveLength(seeded.length + 1);
      expect(created).toMatchObject({ labels: [F1], keywords: F1 });
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
        deletes: [],
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
      keywords: F1,
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

    // 1. The first take is committed: avatar A, its fingerprint in its keywords.
    await workspace.write(VIDEO, TAKE_1);
    const first = await submit({ keywords: "sales" });
    expect(first.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ]);
    const a = sandbox.personas[0];
    expect(a).toMatchObject({ keywords: `sales, ${F1}`, labels: [F1] });
    expect(first.outputs).toMatchObject({ "avatar-id": a?.id, reused: "false", replaces: "" });

    // 2. The workflow runs again on the same commit: A is reused, nothing is uploaded.
    sandbox.requests.length = 0;
    const rerun = await submit({ keywords: "sales" });
    expect(rerun.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(rerun.outputs).toMatchObject({ "avatar-id": a?.id, reused: "true", replaces: "" });
    expect(lines(rerun).filter((line) => reusing(a?.id).test(line))).toHaveLength(1);
    // Found by its video, not only by its name: no notice that it could not be compared.
    expect(lines(rerun).filter((line) => line.startsWith("::notice"))).toEqual([]);

    // 3. A better take is committed over the file: avatar B, which replaces A.
    sandbox.requests.length = 0;
    await workspace.write(VIDEO, TAKE_2);
    const newTake = await submit({ keywords: "sales" });
    expect(newTake.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, READ]);
    expect(sandbox.personas).toHaveLength(2);
    const b = sandbox.personas[1];
    expect(b).toMatchObject({ keywords: `sales, ${F2}`, labels: [F2] });
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
    const again = await submit({ keywords: "sales" });
    expect(calls()).toEqual([LIST]);
    expect(again.outputs).toMatchObject({ "avatar-id": b?.id, reused: "true" });

    // 5. The first take is reverted to: A again, though B is newer.
    sandbox.requests.length = 0;
    await workspace.write(VIDEO, TAKE_1);
    const revert = await submit({ keywords: "sales" });
    expect(revert.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(revert.outputs).toMatchObject({ "avatar-id": a?.id, reused: "true", replaces: "" });
    expect(planOf(revert)).toEqual([
      expect.objectContaining({ action: "reuse", avatar_id: a?.id, fingerprint: F1 }),
    ]);
    expect(sandbox.personas).toHaveLength(2);
  });
});

describe("a Creatify that refuses the fingerprint", () => {
  const URL_VIDEO = "https://cdn.example.com/james.mp4";
  const videos = [
    { kind: "a file", video: VIDEO, call: UPLOAD, fingerprint: F1 },
    { kind: "a URL", video: URL_VIDEO, call: BY_URL, fingerprint: fingerprintOf(URL_VIDEO) },
  ];
  const warningsOf = (result: RunResult) =>
    lines(result).filter((line) => /^::warning::Avatar "James"/.test(line));

  it.each(videos)(
    "as a label: gets $kind once more, its keywords still fingerprinted, and one avatar",
    async (row) => {
      await sandbox.close();
      sandbox = await startSandbox({ refuseLabelsWith: "video-sha256:" });
      await workspace.write(VIDEO, TAKE_1);
      const inputs = { video: row.video, labels: "brand-a", keywords: "sales" };
      const result = await submit(inputs);

      expect(result.code, result.stdout).toBe(0);
      expect(calls()).toEqual([LIST, COUNT, row.call, row.call, READ]);
      const [refused, resent] = posts();
      expect(refused?.status).toBe(400);
      expect(refused && labelsSent(refused)).toEqual(["brand-a", row.fingerprint]);
      expect(resent && labelsSent(resent)).toEqual(["brand-a"]);
      expect(resent && keywordsSent(resent)).toBe(`sales, ${row.fingerprint}`);
      expect(sandbox.personas).toEqual([expect.objectContaining({ labels: ["brand-a"] })]);
      expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
      expect(warningsOf(result)).toEqual([
        expect.stringMatching(/refused the video fingerprint label.*keywords still carry/),
      ]);
      expect(errorLines(result)).toEqual([]);

      // The keywords carry it: the re-run finds the avatar by its video, and uploads nothing.
      sandbox.requests.length = 0;
      const rerun = await submit(inputs);
      expect(rerun.code).toBe(0);
      expect(calls()).toEqual([LIST]);
      expect(rerun.outputs).toMatchObject({ "avatar-id": sandbox.personas[0]?.id, reused: "true" });
      expect(planOf(rerun)[0]?.reason).toMatch(/made from this video/);
    },
  );

  it.each(videos)(
    "in keywords: gets $kind once more with the user's keywords alone, and one avatar",
    async (row) => {
      await sandbox.close();
      sandbox = await startSandbox({ refuseKeywordsWith: "video-sha256:" });
      await workspace.write(VIDEO, TAKE_1);
      const inputs = { video: row.video, labels: "brand-a", keywords: "sales" };
      const result = await submit(inputs);

      expect(result.code, result.stdout).toBe(0);
      expect(calls()).toEqual([LIST, COUNT, row.call, row.call, READ]);
      const [refused, resent] = posts();
      expect(refused?.status).toBe(400);
      expect(refused && keywordsSent(refused)).toBe(`sales, ${row.fingerprint}`);
      expect(resent && keywordsSent(resent)).toBe("sales");
      expect(resent && labelsSent(resent)).toEqual(["brand-a"]);
      expect(sandbox.personas).toEqual([
        expect.objectContaining({ keywords: "sales", labels: ["brand-a"] }),
      ]);
      expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
      // One warning: the refusal says re-runs match by name; the first read does not repeat it.
      expect(warningsOf(result)).toEqual([
        expect.stringMatching(/refused the video fingerprint in the keywords.*by name only/),
      ]);
      expect(planOf(result)[0]?.fingerprint).toBeNull();

      // What the warning promised: the re-run matches by name, and uploads nothing.
      sandbox.requests.length = 0;
      const rerun = await submit(inputs);
      expect(rerun.code).toBe(0);
      expect(calls()).toEqual([LIST]);
      expect(rerun.outputs).toMatchObject({ "avatar-id": sandbox.personas[0]?.id, reused: "true" });
    },
  );

  it("in both places: three sends, less each time, and still one avatar", async () => {
    await sandbox.close();
    sandbox = await startSandbox({
      refuseLabelsWith: "video-sha256:",
      refuseKeywordsWith: "video-sha256:",
    });
    await workspace.write(VIDEO, TAKE_1);
    const result = await submit({ keywords: "sales" });
    expect(result.code, result.stdout).toBe(0);
    expect(calls()).toEqual([LIST, COUNT, UPLOAD, UPLOAD, UPLOAD, READ]);
    expect(posts().map((post) => [post.status, keywordsSent(post), labelsSent(post)])).toEqual([
      [400, `sales, ${F1}`, [F1]],
      [400, `sales, ${F1}`, undefined],
      [201, "sales", undefined],
    ]);
    expect(sandbox.personas).toHaveLength(1);
    expect(warningsOf(result)).toHaveLength(2);
  });

  it("sends a create refused for another field only once", async () => {
    // Only a 400 naming `labels` or `keywords` is the fingerprint's fault; any other is the user's.
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
