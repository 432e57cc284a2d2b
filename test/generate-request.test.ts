import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Lipsync } from "../src/creatify/lipsync.ts";
import {
  buildRequest,
  canonicalJson,
  decideJob,
  jobName,
  type VideoSpec,
} from "../src/generate/request.ts";

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: [{ d: "x", c: null }] }, '{"a":[{"c":null,"d":"x"}],"b":1}'],
    [{ a: undefined, b: "é \n" }, '{"b":"é \\n"}'],
    [[], "[]"],
    ["text", '"text"'],
  ])("%o → %s", (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

const spec = (overrides: Partial<VideoSpec> = {}): VideoSpec => ({
  scenes: [{ avatarId: "av-1", script: "Hello", voiceId: undefined, backgroundUrl: undefined }],
  aspectRatio: "9x16",
  modelVersion: "standard",
  name: "",
  webhookUrl: undefined,
  ifExists: "reuse",
  ...overrides,
});

describe("buildRequest", () => {
  it("fingerprints video_inputs, aspect_ratio and model_version, keys sorted, no spaces", () => {
    const canonical =
      '{"aspect_ratio":"9x16","model_version":"standard","video_inputs":[{"character":{"avatar_id":"av-1","type":"avatar"},"voice":{"input_text":"Hello","type":"text"}}]}';
    const built = buildRequest(spec());
    expect(built.fingerprint).toBe(`lipsync-sha256:${sha(canonical)}`);
    expect(built.body).toEqual({
      video_inputs: [
        {
          character: { type: "avatar", avatar_id: "av-1" },
          voice: { type: "text", input_text: "Hello" },
        },
      ],
      aspect_ratio: "9x16",
      model_version: "standard",
      name: `Hello [${built.fingerprint}]`,
    });
  });

  it.each<[string, Partial<VideoSpec>, boolean]>([
    ["another name", { name: "Launch" }, true],
    ["a webhook", { webhookUrl: "https://hooks.example.com/x" }, true],
    ["if-exists create", { ifExists: "create" }, true],
    ["another aspect ratio", { aspectRatio: "16x9" }, false],
    ["another model", { modelVersion: "aurora_v1" }, false],
    [
      "a voice",
      { scenes: [{ avatarId: "av-1", script: "Hello", voiceId: "v", backgroundUrl: undefined }] },
      false,
    ],
    [
      "another script",
      {
        scenes: [
          { avatarId: "av-1", script: "Hello!", voiceId: undefined, backgroundUrl: undefined },
        ],
      },
      false,
    ],
  ])("with %s the fingerprint is the same: %s", (_what, change, same) => {
    const base = buildRequest(spec()).fingerprint;
    expect(buildRequest(spec(change)).fingerprint === base).toBe(same);
  });
});

describe("jobName", () => {
  const fp = "lipsync-sha256:0123456789abcdef";
  it.each([
    ["Launch", "x", `Launch [${fp}]`],
    ["", "First line\nsecond", `First line [${fp}]`],
    ["", "A".repeat(80), `${"A".repeat(59)}… [${fp}]`],
    ["N".repeat(300), "x", `${"N".repeat(255 - fp.length - 3 - 1)}… [${fp}]`],
    ["😀".repeat(250), "x", `${"😀".repeat(255 - fp.length - 3 - 1)}… [${fp}]`],
  ])("%j (script %j) → %j", (name, script, expected) => {
    const result = jobName(name, fp, script);
    expect(result).toBe(expected);
    expect([...result].length).toBeLessThanOrEqual(255);
  });
});

describe("decideJob", () => {
  const fp = "lipsync-sha256:0123456789abcdef";
  const job = (id: string, status: string, name: string | null, created = "2026-01-01T00:00:00Z") =>
    ({ id, status, name, created_at: created }) as Lipsync;
  it.each<[string, Lipsync[], "reuse" | "create", string | undefined]>([
    ["no jobs", [], "reuse", undefined],
    [
      "another request's job",
      [job("a", "done", "x [lipsync-sha256:ffffffffffffffff]")],
      "reuse",
      undefined,
    ],
    ["a job without a name", [job("a", "done", null)], "reuse", undefined],
    ["a done job", [job("a", "done", `x [${fp}]`)], "reuse", "a"],
    ["a running job", [job("a", "running", `x [${fp}]`)], "reuse", "a"],
    ["only a failed job", [job("a", "failed", `x [${fp}]`)], "reuse", undefined],
    ["only a rejected job", [job("a", "rejected", `x [${fp}]`)], "reuse", undefined],
    [
      "the newest of two",
      [job("new", "done", `x [${fp}]`, "2026-02-01T00:00:00Z"), job("old", "done", `x [${fp}]`)],
      "reuse",
      "new",
    ],
    [
      "a live one over a newer failed one",
      [job("ok", "done", `x [${fp}]`), job("bad", "failed", `x [${fp}]`, "2026-03-01T00:00:00Z")],
      "reuse",
      "ok",
    ],
    ["if-exists create", [job("a", "done", `x [${fp}]`)], "create", undefined],
  ])("%s", (_what, jobs, ifExists, reused) => {
    const decision = decideJob(jobs, fp, ifExists);
    expect(decision.action).toBe(reused ? "reuse" : "create");
    if (decision.action === "reuse") expect(decision.job.id).toBe(reused);
  });
});
