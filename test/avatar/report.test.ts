import { describe, expect, it } from "vitest";
import { newRecord } from "../../src/avatar/record.ts";
import { outputsFor as outputValues, Report } from "../../src/avatar/report.ts";
import type { Persona } from "../../src/creatify/persona.ts";
import { outputText, StepOutputs } from "../../src/github/outputs.ts";

/** The outputs as the runner receives them. */
const outputsFor = (...args: Parameters<typeof outputValues>) =>
  new Map([...outputValues(...args)].map(([name, value]) => [name, outputText(value)]));

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
  it("sets the single-avatar outputs, a one-element avatars array and the plan", () => {
    const record = newRecord("v.mp4", "James", 0);
    record.persona = approved;
    record.plan = {
      action: "create",
      fingerprint: "video-sha256:0123456789abcdef",
      avatarId: undefined,
      replaces: "old1",
      reason: "the video changed",
      deletes: ["old0", "old1"],
    };
    record.deleted.push("old0", "old1");
    expect(Object.fromEntries(outputsFor([record], false))).toEqual({
      plan: JSON.stringify([
        {
          creator_name: "James",
          video: "v.mp4",
          action: "create",
          avatar_id: "a1",
          replaces: "old1",
          fingerprint: "video-sha256:0123456789abcdef",
          reason: "the video changed",
          deletes: ["old0", "old1"],
        },
      ]),
      avatars: JSON.stringify([
        {
          video: "v.mp4",
          creator_name: "James",
          avatar_id: "a1",
          status: "done",
          is_active: true,
          failed_reason: "",
          reused: false,
          replaces: "old1",
        },
      ]),
      deleted: JSON.stringify(["old0", "old1"]),
      "avatar-id": "a1",
      status: "done",
      "is-active": "true",
      "failed-reason": "",
      reused: "false",
      replaces: "old1",
      avatar: JSON.stringify(approved),
    });
  });

  it("lists an entry that failed before it had an id, and sets only avatars for several", () => {
    const failed = newRecord("b.mp4", "Ana", 0);
    failed.error = "quota reached";
    const ok = newRecord("a.mp4", "James", 0);
    ok.persona = approved;
    const outputs = outputsFor([ok, failed], false);
    expect([...outputs.keys()]).toEqual(["plan", "avatars", "deleted"]);
    expect(JSON.parse(outputs.get("avatars") ?? "")[1]).toEqual({
      video: "b.mp4",
      creator_name: "Ana",
      avatar_id: null,
      status: "error",
      is_active: false,
      failed_reason: "quota reached",
      reused: false,
      replaces: null,
    });
  });

  it("sets avatar-id from a known id when no read of it succeeded", () => {
    const record = newRecord("", "", 0);
    record.id = "given-id";
    expect(Object.fromEntries(outputsFor([record], false))).toMatchObject({
      "avatar-id": "given-id",
    });
    expect(outputsFor([record], false).has("status")).toBe(false);
  });

  it("gives a dry run its plan and an empty avatars array, and no single-avatar outputs", () => {
    const record = newRecord("v.mp4", "James", 0);
    record.plan = {
      action: "reuse",
      fingerprint: "video-sha256:0123456789abcdef",
      avatarId: "a1",
      replaces: undefined,
      reason: "same video",
      deletes: ["a0"],
    };
    const outputs = outputsFor([record], true);
    expect([...outputs.keys()]).toEqual(["plan", "avatars", "deleted"]);
    expect(outputs.get("deleted")).toBe("[]");
    expect(outputs.get("avatars")).toBe("[]");
    expect(JSON.parse(outputs.get("plan") ?? "")[0]).toMatchObject({ action: "reuse" });
  });

  it("keeps the avatar output within its budget when a server sends a huge persona", () => {
    const record = newRecord("v.mp4", "James", 0);
    const padding = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`extra_${i}`, "x".repeat(1000)]),
    );
    record.persona = { ...approved, ...padding };
    const avatar = outputsFor([record], false).get("avatar") ?? "";
    expect(avatar.length).toBeLessThan(32 * 1024);
    expect(JSON.parse(avatar)).toMatchObject({ id: "a1", process_status: "done" });
  });
});

describe("Report.publish", () => {
  it("writes the plan at once, then the rest once an id is known, then only what changed", () => {
    const written: [string, string][] = [];
    const report = new Report(
      new StepOutputs(undefined, (name, value) => written.push([name, value])),
    );
    const record = report.add(newRecord("v.mp4", "James", 0));
    report.publish();
    expect(written.map(([name]) => name)).toEqual(["plan", "avatars", "deleted"]);
    written.length = 0;
    record.persona = { ...approved, is_active: false, process_status: "pending" };
    report.publish();
    expect(written.map(([name]) => name)).toEqual([
      "avatars",
      "avatar-id",
      "status",
      "is-active",
      "failed-reason",
      "avatar",
      "reused",
      "replaces",
    ]);
    written.length = 0;
    report.publish();
    expect(written).toEqual([]);
    record.persona = { ...approved, is_active: false, process_status: "reviewing" };
    report.publish();
    expect(written.map(([name]) => name)).toEqual(["avatars", "status", "avatar"]);
  });
});
