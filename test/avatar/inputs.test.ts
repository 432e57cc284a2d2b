import { describe, expect, it } from "vitest";
import { parseInputs } from "../../src/avatar/inputs.ts";
import type { InputName } from "../../src/constants.ts";
import { InputError } from "../../src/errors.ts";
import { fitWaitToRunner } from "../../src/input-rules.ts";

const WORKSPACE = "/work/space";
const base = {
  "api-id": "id",
  "api-key": "key",
  video: "avatars/james.mp4",
  "creator-name": "James",
  gender: "m",
  "video-scene": "office",
};

function parse(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return parseInputs((name: InputName) => inputs[name] ?? "", WORKSPACE, env);
}

const HOURS = 3_600_000;
const HOSTED = { RUNNER_ENVIRONMENT: "github-hosted" };

describe("fitWaitToRunner", () => {
  const wait = {
    enabled: true,
    timeoutMs: 6 * HOURS,
    pollIntervalMs: 30_000,
    maxPollIntervalMs: 300_000,
    failOnTimeout: true,
  };
  const LIMIT = 5 * HOURS + 50 * 60_000;
  it.each<[string, Partial<typeof wait>, Record<string, string>, number, boolean]>([
    ["a 6h wait on a GitHub-hosted runner ends at 5h50m", {}, HOSTED, LIMIT, true],
    ["a 2d wait there too", { timeoutMs: 48 * HOURS }, HOSTED, LIMIT, true],
    ["a wait of exactly 5h50m is kept", { timeoutMs: LIMIT }, HOSTED, LIMIT, false],
    ["the 5h default is kept", { timeoutMs: 5 * HOURS }, HOSTED, 5 * HOURS, false],
    [
      "a self-hosted runner has no such limit",
      {},
      { RUNNER_ENVIRONMENT: "self-hosted" },
      6 * HOURS,
      false,
    ],
    ["no runner (local-action) has none either", {}, {}, 6 * HOURS, false],
    ["no wait, nothing to shorten", { enabled: false }, HOSTED, 6 * HOURS, false],
  ])("%s", (_, change, env, timeoutMs, shortened) => {
    const fitted = fitWaitToRunner({ ...wait, ...change }, env);
    expect(fitted.timeoutMs).toBe(timeoutMs);
    if (shortened) {
      expect(fitted.shortened).toMatch(
        /ends after 5h50m, not the .* of wait-timeout: GitHub stops a job on its hosted runners at 6 hours/,
      );
    } else {
      expect(fitted).toEqual({ ...wait, ...change });
    }
  });

  it("is applied where the inputs are parsed", () => {
    const parsed = parse({ ...base, wait: "true", "wait-timeout": "6h" }, HOSTED);
    expect(parsed.wait.timeoutMs).toBe(LIMIT);
    expect(parsed.wait.shortened).toContain("not the 6h of wait-timeout");
  });
});

describe("parseInputs", () => {
  it("applies action.yml's defaults when inputs are absent", () => {
    const parsed = parse(base);
    expect(parsed.baseUrl).toBe("https://api.creatify.ai");
    expect(parsed.wait).toEqual({
      enabled: false,
      timeoutMs: 5 * 3_600_000,
      pollIntervalMs: 30_000,
      maxPollIntervalMs: 300_000,
      failOnTimeout: true,
    });
    expect(parsed.deleteReplaced).toBe(false);
    expect(parsed.target).toMatchObject({
      mode: "single",
      avatar: {
        video: {
          kind: "file",
          path: "/work/space/avatars/james.mp4",
          relativePath: "avatars/james.mp4",
        },
        consentVideo: undefined,
        creatorName: "James",
        gender: "m",
        videoScene: "office",
        keywords: undefined,
        labels: [],
        webhookUrl: undefined,
        ifExists: "reuse",
      },
    });
  });

  it.each([
    ["male", "m"],
    ["Female", "f"],
    ["NB", "nb"],
    ["non-binary", "nb"],
    ["F", "f"],
  ])("normalises gender %s to %s", (gender, expected) => {
    const { target } = parse({ ...base, gender });
    expect(target.mode === "single" && target.avatar.gender).toBe(expected);
  });

  it("splits labels on commas and newlines and keeps a URL video as a URL", () => {
    const { target } = parse({
      ...base,
      video: "https://cdn.example.com/v.mp4",
      "consent-video": "http://cdn.example.com/c.mp4",
      labels: "a, b\nc,,\n",
      "base-url": "http://127.0.0.1:8080/",
    });
    expect(target).toMatchObject({
      avatar: {
        video: { kind: "url", url: "https://cdn.example.com/v.mp4" },
        consentVideo: { kind: "url", url: "http://cdn.example.com/c.mp4" },
        labels: ["a", "b", "c"],
      },
    });
    expect(parse({ ...base, "base-url": "http://127.0.0.1:8080/" }).baseUrl).toBe(
      "http://127.0.0.1:8080",
    );
  });

  it("reads avatar-id and manifest modes", () => {
    expect(parse({ "api-id": "i", "api-key": "k", "avatar-id": "7f0c-ab" }).target).toEqual({
      mode: "existing",
      avatarId: "7f0c-ab",
    });
    expect(
      parse({
        "api-id": "i",
        "api-key": "k",
        manifest: "avatars/manifest.yml",
        "max-parallel": "5",
      }).target,
    ).toEqual({
      mode: "batch",
      batch: {
        manifest: "/work/space/avatars/manifest.yml",
        changedOnly: false,
        maxParallel: 5,
        githubToken: "",
        only: [],
      },
    });
  });

  it("takes a dry run without credentials, and only with a manifest", () => {
    const dry = parse({ ...base, "api-id": "", "api-key": "", "dry-run": "true" });
    expect([dry.apiId, dry.apiKey, dry.dryRun]).toEqual(["", "", true]);
    const only = parse({ "api-id": "i", "api-key": "k", manifest: "m.yml", only: "James,\n Ana" });
    expect(only.target).toMatchObject({ batch: { only: ["James", "Ana"] } });
  });

  it("waits up to 30 days, and takes a file whose name starts with two dots", () => {
    expect(parse({ ...base, "wait-timeout": "30d" }).wait.timeoutMs).toBe(30 * 86_400_000);
    expect(parse({ ...base, video: "..intro.mp4" }).target).toMatchObject({
      avatar: { video: { relativePath: "..intro.mp4" } },
    });
  });

  it("takes 224 characters of keywords, and delete-replaced", () => {
    const parsed = parse({ ...base, keywords: "🎬".repeat(224), "delete-replaced": "true" });
    expect(parsed.target.mode === "single" && parsed.target.avatar.keywords).toBe("🎬".repeat(224));
    expect(parsed.deleteReplaced).toBe(true);
    expect(() => parse({ ...base, "delete-replaced": "yes" })).toThrow(
      /^Input "delete-replaced": "yes" is not true or false/,
    );
  });

  it("lets the first poll delay win over a smaller cap", () => {
    expect(
      parse({ ...base, "poll-interval": "10m", "max-poll-interval": "5m" }).wait.maxPollIntervalMs,
    ).toBe(600_000);
  });

  // Each bad input fails with one line that starts by naming the input.
  it.each<[string, Record<string, string>, RegExp]>([
    [
      "missing api-key",
      { "api-key": "" },
      /^Input "api-key" is required \(only a dry-run may leave api-id and api-key both empty\)\.$/,
    ],
    [
      "missing api-key in a dry run with an api-id",
      { "api-key": "", "dry-run": "true" },
      /^Input "api-key" is required\.$/,
    ],
    [
      "api-key with a line break inside",
      { "api-key": "abc\ndef" },
      /^Input "api-key" contains a space, line break or control character; copy it again\.$/,
    ],
    ["api-id with a space inside", { "api-id": "ab cd" }, /^Input "api-id" contains a space/],
    [
      "creator-name with a line break",
      { "creator-name": "James\n::error::pwned" },
      /^Input "creator-name": contains a line break or another control character\.$/,
    ],
    ["video-scene with a tab", { "video-scene": "off\tice" }, /^Input "video-scene": contains/],
    ["keywords with a NUL", { keywords: "a\u0000b" }, /^Input "keywords": contains/],
    ["a label with DEL", { labels: "ok, b\u007fad" }, /^Input "labels": contains/],
    [
      "dry-run with avatar-id",
      { video: "", "avatar-id": "abc", "dry-run": "true" },
      /^Input "dry-run": a dry run plans submissions; it does not go with "avatar-id"\.$/,
    ],
    ["only without manifest", { only: "James" }, /^Input "only": goes with "manifest"/],
    [
      "wait-timeout past 30 days",
      { "wait-timeout": "31d" },
      /^Input "wait-timeout": "31d" is longer than the limit of 30d\.$/,
    ],
    [
      "mistyped webhook-url with a token",
      { "webhook-url": "https//hooks.example.com/x?token=T0K3N" },
      /^Input "webhook-url": "https\/\/hooks.example.com\/x\?\*\*\*" is not a URL/,
    ],
    ["missing creator-name", { "creator-name": " " }, /^Input "creator-name" is required\.$/],
    ["missing video-scene", { "video-scene": "" }, /^Input "video-scene" is required\.$/],
    ["unknown gender", { gender: "x" }, /^Input "gender": "x" is not one of m, f, nb/],
    [
      "creator-name too long",
      { "creator-name": "a".repeat(256) },
      /^Input "creator-name": 256 characters, at most 255/,
    ],
    [
      "video-scene too long",
      { "video-scene": "a".repeat(256) },
      /^Input "video-scene": 256 characters/,
    ],
    [
      "keywords past 224: the fingerprint needs the rest of Creatify's 255",
      { keywords: "k".repeat(225) },
      /^Input "keywords": 225 characters, at most 224 allowed: Creatify keeps 255, and the action appends the video's fingerprint/,
    ],
    [
      "keywords counted in characters, not UTF-16 units",
      { keywords: "🎬".repeat(225) },
      /^Input "keywords": 225 characters, at most 224/,
    ],
    [
      "webhook-url too long",
      { "webhook-url": `https://example.com/${"a".repeat(200)}` },
      /^Input "webhook-url": 220 characters, at most 200/,
    ],
    [
      "webhook-url not a URL",
      { "webhook-url": "hooks" },
      /^Input "webhook-url": "hooks" is not a URL/,
    ],
    [
      "ftp video",
      { video: "ftp://example.com/v.mp4" },
      /^Input "video": "ftp:" URLs are not supported/,
    ],
    [
      "video outside the workspace",
      { video: "../secrets/v.mp4" },
      /^Input "video": "..\/secrets\/v.mp4" is outside/,
    ],
    [
      "absolute path elsewhere",
      { video: "/etc/passwd" },
      /^Input "video": "\/etc\/passwd" is outside/,
    ],
    [
      "consent URL with a file video",
      { "consent-video": "https://cdn.example.com/c.mp4" },
      /^Input "consent-video": must be a path like "video"/,
    ],
    [
      "bad if-exists",
      { "if-exists": "maybe" },
      /^Input "if-exists": "maybe" is not one of reuse, create, fail/,
    ],
    ["bad wait", { wait: "yes" }, /^Input "wait": "yes" is not true or false/],
    [
      "bad wait-timeout",
      { "wait-timeout": "soon" },
      /^Input "wait-timeout": "soon" is not a duration/,
    ],
    [
      "bad poll-interval",
      { "poll-interval": "0" },
      /^Input "poll-interval": must be longer than zero/,
    ],
    [
      "bad max-poll-interval",
      { "max-poll-interval": "5 minutes" },
      /^Input "max-poll-interval": "5 minutes"/,
    ],
    [
      "bad fail-on-timeout",
      { "fail-on-timeout": "1" },
      /^Input "fail-on-timeout": "1" is not true or false/,
    ],
    [
      "bad base-url",
      { "base-url": "api.creatify.ai" },
      /^Input "base-url": "api.creatify.ai" is not a URL/,
    ],
    [
      "video and avatar-id",
      { "avatar-id": "abc" },
      /exactly one of inputs "video", "avatar-id" or "manifest" \(got video and avatar-id\)/,
    ],
    [
      "bad avatar-id",
      { video: "", "avatar-id": "../x" },
      /^Input "avatar-id": "..\/x" is not an avatar id/,
    ],
    [
      "bad max-parallel",
      { video: "", manifest: "m.yml", "max-parallel": "0" },
      /^Input "max-parallel": "0"/,
    ],
  ])("%s", (_name, overrides, message) => {
    const attempt = () => parse({ ...base, ...overrides });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
  });

  it("names the missing target when none is given", () => {
    expect(() => parse({ "api-id": "i", "api-key": "k" })).toThrow(/\(none was given\)/);
  });
});
