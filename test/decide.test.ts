import { describe, expect, it } from "vitest";
import { decide, needsFingerprint } from "../src/avatar/decide.ts";
import type { IfExists } from "../src/avatar/inputs.ts";
import type { Persona } from "../src/creatify/persona.ts";

const THIS = "video-sha256:1111111111111111";
const OTHER = "video-sha256:2222222222222222";

/** A same-name avatar: status, fingerprint label (or none) and creation day. */
function avatar(id: string, status: string, fingerprint: string | undefined, day: number): Persona {
  return {
    id,
    creator_name: "James",
    process_status: status,
    is_active: status === "done",
    failed_reason: status === "rejected" || status === "failed" ? `${id} was bad` : null,
    labels: ["brand-a", ...(fingerprint ? [fingerprint] : [])],
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

  it("reads labels that are absent or not strings as no fingerprint", () => {
    const bare: Persona = { id: "x", creator_name: "James", process_status: "done" };
    const odd: Persona = { id: "y", creator_name: "James", labels: [7, null], created_at: "" };
    expect(decide([bare, odd], undefined, "reuse")).toMatchObject({
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
    { sameName: [avatar("a", "done", OTHER, 1)], ifExists: "create", needed: false },
    { sameName: [avatar("a", "done", OTHER, 1)], ifExists: "fail", needed: false },
  ] as const)("$ifExists with $sameName.length same-name avatars: $needed", (c) => {
    expect(needsFingerprint(c.sameName, c.ifExists)).toBe(c.needed);
  });
});
