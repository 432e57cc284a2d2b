import { describe, expect, it } from "vitest";
import { decide, needsFingerprint, replacedTakes } from "../../src/avatar/decide.ts";
import { fingerprintsOf } from "../../src/avatar/fingerprint.ts";
import type { IfExists } from "../../src/avatar/inputs.ts";
import { createdAtMs } from "../../src/creatify/created.ts";
import type { Persona } from "../../src/creatify/persona.ts";

const THIS = "video-sha256:1111111111111111";
const OTHER = "video-sha256:2222222222222222";

/**
 * A same-name avatar as a read shows it (`keywords`, never `labels`): status, the
 * fingerprint as the last keyword (or none) and creation day.
 */
function avatar(id: string, status: string, fingerprint: string | undefined, day: number): Persona {
  return {
    id,
    creator_name: "James",
    process_status: status,
    is_active: status === "done",
    failed_reason: status === "rejected" || status === "failed" ? `${id} was bad` : null,
    keywords: fingerprint ? `sales, friendly, ${fingerprint}` : "sales, friendly",
    created_at: new Date(Date.UTC(2026, 0, day)).toISOString(),
  };
}

interface Case {
  name: string;
  sameName: Persona[];
  ifExists?: IfExists;
  action: "create" | "reuse" | "refuse";
  /** The avatar reused or refused. */
  avatar?: string;
  replaces?: string;
  uncompared?: boolean;
  reason: RegExp;
}

const cases: Case[] = [
  { name: "no avatar of that name: create", sameName: [], action: "create", reason: /no avatar/ },
  {
    name: "1. same video, not failed: reuse the newest such",
    sameName: [avatar("a", "done", THIS, 1), avatar("b", "reviewing", THIS, 2)],
    action: "reuse",
    avatar: "b",
    uncompared: false,
    reason: /made from this video/,
  },
  {
    name: "1. same video wins over a newer take with another video",
    sameName: [avatar("a", "done", THIS, 1), avatar("b", "done", OTHER, 2)],
    action: "reuse",
    avatar: "a",
    reason: /made from this video/,
  },
  {
    name: "2. same video rejected before: refuse with Creatify's reason",
    sameName: [avatar("r", "rejected", THIS, 1)],
    action: "refuse",
    avatar: "r",
    reason: /rejected this video before \(avatar r\): r was bad\. Record a new take/,
  },
  {
    name: "2. rejected with this video, but a live one too with it: reuse (rule 1 first)",
    sameName: [avatar("r", "rejected", THIS, 2), avatar("a", "done", THIS, 1)],
    action: "reuse",
    avatar: "a",
    reason: /made from this video/,
  },
  {
    name: "2. a processing failure of this video does not refuse: create",
    sameName: [avatar("f", "failed", THIS, 1)],
    action: "create",
    reason: /failed or was rejected/,
  },
  {
    name: "2. refuse beats a changed video elsewhere",
    sameName: [avatar("r", "rejected", THIS, 1), avatar("b", "done", OTHER, 2)],
    action: "refuse",
    avatar: "r",
    reason: /rejected this video before/,
  },
  {
    name: "3. the video changed: create, replacing the newest live one",
    sameName: [avatar("a", "done", OTHER, 1), avatar("b", "reviewing", OTHER, 3)],
    action: "create",
    replaces: "b",
    reason: /video changed.*1111111111111111.*avatar b was made from video-sha256:2222/,
  },
  {
    name: "3. replaces the newest live one even when that one was made by hand",
    sameName: [avatar("a", "done", OTHER, 1), avatar("h", "done", undefined, 2)],
    action: "create",
    replaces: "h",
    reason: /avatar h carries no fingerprint/,
  },
  {
    name: "3. a rejected other take does not count as a live one",
    sameName: [avatar("r", "rejected", OTHER, 1)],
    action: "create",
    reason: /failed or was rejected/,
  },
  {
    name: "4. made by hand, no fingerprint anywhere: reuse the newest, uncompared",
    sameName: [avatar("h1", "done", undefined, 1), avatar("h2", "pending", undefined, 2)],
    action: "reuse",
    avatar: "h2",
    uncompared: true,
    reason: /cannot be compared; set if-exists to create/,
  },
  {
    name: "5. only failed ones: create",
    sameName: [avatar("f", "failed", undefined, 1), avatar("r", "rejected", undefined, 2)],
    action: "create",
    reason: /failed or was rejected/,
  },
  {
    name: "if-exists create: create whatever exists",
    sameName: [avatar("a", "done", THIS, 1)],
    ifExists: "create",
    action: "create",
    reason: /if-exists is create/,
  },
  {
    name: "if-exists fail: refuse when a live one exists",
    sameName: [avatar("f", "failed", THIS, 1), avatar("a", "done", OTHER, 2)],
    ifExists: "fail",
    action: "refuse",
    avatar: "a",
    reason: /already exists and if-exists is fail/,
  },
  {
    name: "if-exists fail: create when every one failed",
    sameName: [avatar("f", "rejected", THIS, 1)],
    ifExists: "fail",
    action: "create",
    reason: /failed or was rejected/,
  },
];

describe("decide", () => {
  it.each(cases)("$name", (c) => {
    const decision = decide(c.sameName, THIS, c.ifExists ?? "reuse");
    expect(decision.action).toBe(c.action);
    expect(decision.reason).toMatch(c.reason);
    if (decision.action === "create") expect(decision.replaces?.id).toBe(c.replaces);
    else expect(decision.avatar.id).toBe(c.avatar);
    if (c.uncompared !== undefined && decision.action === "reuse") {
      expect(decision.uncompared).toBe(c.uncompared);
    }
  });

  it("reuses the later of two equally old avatars", () => {
    const [a, b] = [avatar("a", "done", THIS, 1), avatar("b", "done", THIS, 1)];
    expect(decide([a, b], THIS, "reuse")).toMatchObject({ action: "reuse", avatar: { id: "b" } });
  });

  it.each<[string, Partial<Persona>]>([
    ["alone in keywords", { keywords: THIS }],
    ["among keywords, spaced oddly", { keywords: `sales,${THIS} ,friendly` }],
    ["in labels only (a create's answer)", { keywords: "sales", labels: ["brand-a", THIS] }],
  ])("finds the fingerprint %s", (_, fields) => {
    const found: Persona = { ...avatar("k", "done", undefined, 1), ...fields };
    expect(fingerprintsOf(found)).toEqual([THIS]);
    expect(decide([found], THIS, "reuse")).toMatchObject({ action: "reuse", avatar: { id: "k" } });
  });

  it("reads the same fingerprint in keywords and labels once", () => {
    const both: Persona = { id: "b", creator_name: "James", keywords: THIS, labels: [THIS] };
    expect(fingerprintsOf(both)).toEqual([THIS]);
  });

  it("reads keywords and labels that are absent or not strings as no fingerprint", () => {
    const keywordish: Persona = { id: "z", creator_name: "James", keywords: ["video-sha256:1"] };
    expect(fingerprintsOf(keywordish)).toEqual([]);
    const bare: Persona = { id: "x", creator_name: "James", process_status: "done" };
    const odd: Persona = { id: "y", creator_name: "James", labels: [7, null], created_at: "" };
    expect(decide([bare, odd, keywordish], undefined, "reuse")).toMatchObject({
      action: "reuse",
      uncompared: true,
    });
  });
});

describe("needsFingerprint", () => {
  it.each([
    { sameName: [], ifExists: "reuse", needed: false },
    { sameName: [avatar("h", "done", undefined, 1)], ifExists: "reuse", needed: false },
    { sameName: [avatar("a", "done", OTHER, 1)], ifExists: "reuse", needed: true },
    { sameName: [avatar("r", "rejected", THIS, 1)], ifExists: "reuse", needed: true },
    // A processing failure neither is reused nor refuses (rules 1-3): its video is not compared.
    { sameName: [avatar("f", "failed", THIS, 1)], ifExists: "reuse", needed: false },
    {
      sameName: [avatar("f", "failed", THIS, 1), avatar("h", "done", undefined, 2)],
      ifExists: "reuse",
      needed: false,
    },
    { sameName: [avatar("a", "done", OTHER, 1)], ifExists: "create", needed: false },
    { sameName: [avatar("a", "done", OTHER, 1)], ifExists: "fail", needed: false },
  ] as const)("$ifExists with $sameName.length same-name avatars: $needed", (c) => {
    expect(needsFingerprint(c.sameName, c.ifExists)).toBe(c.needed);
  });
});

describe("replacedTakes", () => {
  const kept = avatar("new", "done", THIS, 5);
  /** An older take of another video, created at `created_at` as the server wrote it. */
  const at = (id: string, created_at: unknown) =>
    ({ ...avatar(id, "done", OTHER, 1), created_at }) as Persona;
  const cases: {
    name: string;
    sameName: Persona[];
    fingerprints?: string[];
    createdAt?: number | undefined;
    deleted: string[];
  }[] = [
    {
      name: "an older take of another video goes, whatever its status",
      sameName: [
        kept,
        avatar("a", "done", OTHER, 1),
        avatar("b", "reviewing", OTHER, 2),
        avatar("c", "rejected", "video-sha256:3333333333333333", 3),
        avatar("d", "failed", OTHER, 4),
      ],
      deleted: ["a", "b", "c", "d"],
    },
    {
      name: "a newer take, still in review, stays (an older id followed up)",
      sameName: [kept, avatar("later", "reviewing", OTHER, 6), avatar("later2", "done", OTHER, 7)],
      deleted: [],
    },
    {
      name: "a take created at the same instant stays",
      sameName: [kept, avatar("same", "done", OTHER, 5)],
      deleted: [],
    },
    {
      name: "a take without a readable created_at stays",
      sameName: [
        kept,
        at("none", undefined),
        at("null", null),
        at("words", "last week"),
        at("n", 7),
      ],
      deleted: [],
    },
    {
      name: "every ISO form Django writes is read: microseconds, Z, +00:00, other offsets",
      sameName: [
        kept,
        at("micro", "2026-01-04T23:59:59.999999Z"),
        at("utc", "2026-01-04T23:59:59.999+00:00"),
        // 03:00 at +05:00 is 22:00 the day before in UTC: older, though its text reads later.
        at("east", "2026-01-05T03:00:00+05:00"),
        // 20:00 at -05:00 is 01:00 on the 5th in UTC: newer, though its text reads earlier.
        at("west", "2026-01-04T20:00:00.000001-05:00"),
        at("after", "2026-01-05T00:00:00.000001Z"),
      ],
      deleted: ["micro", "utc", "east"],
    },
    {
      name: "an approved avatar without a readable created_at deletes nothing",
      sameName: [avatar("a", "done", OTHER, 1)],
      createdAt: undefined,
      deleted: [],
    },
    {
      name: "one made by hand (no fingerprint) never goes",
      sameName: [kept, avatar("h", "done", undefined, 1)],
      deleted: [],
    },
    {
      name: "another avatar of the same video stays",
      sameName: [kept, avatar("twin", "done", THIS, 1)],
      deleted: [],
    },
    {
      name: "the approved one itself never goes, even listed with another fingerprint",
      sameName: [{ ...kept, keywords: OTHER }],
      deleted: [],
    },
    {
      name: "an avatar carrying this video's fingerprint among others stays",
      sameName: [kept, { ...avatar("mixed", "done", OTHER, 1), labels: [THIS] }],
      deleted: [],
    },
    {
      name: "an approved avatar without a fingerprint deletes nothing",
      sameName: [avatar("a", "done", OTHER, 1)],
      fingerprints: [],
      deleted: [],
    },
    { name: "no same-name avatars: nothing", sameName: [], deleted: [] },
  ];
  it.each(cases)("$name", (row) => {
    const takes = replacedTakes(row.sameName, {
      id: kept.id,
      fingerprints: row.fingerprints ?? [THIS],
      createdAt: "createdAt" in row ? row.createdAt : createdAtMs(kept.created_at),
    });
    expect(takes.map((persona) => persona.id)).toEqual(row.deleted);
  });

  it("before a create, keeps no id: every other take goes", () => {
    const sameName = [avatar("a", "done", OTHER, 1), avatar("t", "done", THIS, 2)];
    const takes = replacedTakes(sameName, {
      id: undefined,
      fingerprints: [THIS],
      createdAt: Number.POSITIVE_INFINITY,
    });
    expect(takes.map((persona) => persona.id)).toEqual(["a"]);
  });
});
