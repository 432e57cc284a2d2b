import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Lipsync } from "../../src/creatify/lipsync.ts";
import {
  buildRequest,
  canonicalJson,
  decideJob,
  jobName,
  type VideoSpec,
} from "../../src/generate/request.ts";

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

describe("the fingerprint of the whole body", () => {
  const scene = { avatarId: "av-1", script: "Hello", voiceId: undefined, backgroundUrl: undefined };

  it("stays what it was for a request without Creatify's own fields", () => {
    // Computed by the code before pass-through fields existed: a job made then is found now.
    const built = buildRequest(
      spec({
        scenes: [
          { ...scene, script: "Hello\nthere", voiceId: "v-1", backgroundUrl: "https://e.x/bg.jpg" },
          { ...scene, avatarId: "av-2", script: "Bye" },
        ],
        aspectRatio: "16x9",
        modelVersion: "aurora_v1",
        name: "Launch",
        webhookUrl: "https://h.x/?t=1",
      }),
    );
    expect(built.fingerprint).toBe("lipsync-sha256:8d520d1c64c0ff70");
  });

  it("takes in the pass-through fields of a scene and of the body, as sent", () => {
    const caption = { style: "normal-black", offset: { x: 0, y: 0.4 } };
    const music = { url: "https://e.x/m.mp3", volume: 0.2 };
    const built = buildRequest(
      spec({
        scenes: [{ ...scene, extra: { caption_setting: caption, visual_style: "FullAvatar" } }],
        extra: { background_music: music },
        name: "Promo",
      }),
    );
    const made = {
      video_inputs: [
        {
          character: { type: "avatar", avatar_id: "av-1" },
          voice: { type: "text", input_text: "Hello" },
          caption_setting: caption,
          visual_style: "FullAvatar",
        },
      ],
      aspect_ratio: "9x16",
      model_version: "standard",
      background_music: music,
    };
    expect(built.body).toEqual({ ...made, name: `Promo [${built.fingerprint}]` });
    expect(built.fingerprint).toBe(`lipsync-sha256:${sha(canonicalJson(made))}`);
  });

  it.each<[string, Partial<VideoSpec>, boolean]>([
    ["a renamed video", { name: "Other" }, true],
    ["another webhook", { webhookUrl: "https://hooks.example.com/y" }, true],
    [
      "a restyled caption",
      { scenes: [{ ...scene, extra: { caption_setting: { style: "neo" } } }] },
      false,
    ],
    [
      "another background music",
      { extra: { background_music: { url: "https://e.x/n.mp3" } } },
      false,
    ],
    ["an end card", { extra: { cta_end: { text: "Buy" } } }, false],
  ])("%s keeps the fingerprint: %s", (_what, change, same) => {
    const base = spec({
      scenes: [{ ...scene, extra: { caption_setting: { style: "normal-black" } } }],
      extra: { background_music: { url: "https://e.x/m.mp3" } },
    });
    const changed = buildRequest({ ...base, ...change }).fingerprint;
    expect(changed === buildRequest(base).fingerprint).toBe(same);
  });

  it("names the preview of the same body as a preview, with the same fingerprint", () => {
    const built = buildRequest(spec({ name: "Promo" }));
    expect(built.preview).toEqual({ ...built.body, name: `Promo [preview ${built.fingerprint}]` });
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

  it("cuts a preview's name to fit its longer mark", () => {
    const result = jobName("N".repeat(300), fp, "x", "preview");
    expect(result.endsWith(`… [preview ${fp}]`)).toBe(true);
    expect([...result]).toHaveLength(255);
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
