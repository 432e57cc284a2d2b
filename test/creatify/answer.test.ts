// Bounds on an answer's size: bytes, keys and values, with the status's own classification kept.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_ANSWER_BYTES, MAX_ANSWER_KEYS, MAX_ANSWER_VALUES } from "../../src/creatify/answer.ts";
import {
  calls,
  fields,
  mine,
  newClient,
  newHttp,
  sandbox,
  sentOnceStopped,
  useSandbox,
  videoFile,
} from "../support/http-sandbox.ts";

useSandbox();

const MiB = 2 ** 20;
const LIST = { method: "GET", path: "/api/personas_v2/" } as const;

/** Avatars still in review, as a large account lists them: ~610 bytes each. */
function seedAvatars(count: number): void {
  for (let i = 0; i < count; i++) {
    sandbox.seed({
      creator_name: `Avatar ${i}`,
      process_status: "reviewing",
      video_scene: "office",
      labels: ["brand-a"],
      lipsync_input_url: `https://cdn.sandbox.creatify.example/uploads/${randomUUID()}/a${i}.mp4`,
    });
  }
}

describe("bounds on an answer's size", () => {
  it("stop reading an endless list at 16 MiB, hang up, and say so", async () => {
    sandbox.fault({ ...LIST, kind: "endless" });
    const started = Date.now();
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      reason: "not-json",
      status: 200,
      message: "GET /api/personas_v2/: HTTP 200: answer larger than 16 MiB",
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sandbox.requests).toHaveLength(1);
    // Only what was in flight when the client hung up came after the cap.
    expect(await sentOnceStopped()).toBeLessThan(MAX_ANSWER_BYTES + 8 * MiB);
  });

  it.each([
    [MAX_ANSWER_BYTES, "HTTP 200 with a application/json content type, not JSON"],
    [MAX_ANSWER_BYTES + 1, "HTTP 200: answer larger than 16 MiB"],
  ])("read a chunked answer of %i bytes to its end only within the cap", async (bytes, problem) => {
    sandbox.fault({ ...LIST, kind: "endless", maxBytes: bytes });
    const error = await newHttp()
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: `GET /api/personas_v2/: ${problem}` });
  });

  it("refuse an answer whose Content-Length is over the cap without waiting for it", async () => {
    // One byte a minute: only refusing on the header can end this in time.
    sandbox.fault({ ...LIST, kind: "drip", contentLength: MAX_ANSWER_BYTES + 1, everyMs: 60_000 });
    const started = Date.now();
    const error = await newHttp()
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 200: answer larger than 16 MiB",
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await sentOnceStopped()).toBe(0);
  });

  it("keep the status's own classification for a failure over the cap", async () => {
    sandbox.fault({ ...LIST, kind: "endless", status: 502 });
    const error = await newHttp()
      .send(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "server",
      status: 502,
      message: "GET /api/personas_v2/: HTTP 502: answer larger than 16 MiB",
    });
  });

  const distinctKeys = Object.fromEntries(
    Array.from({ length: MAX_ANSWER_KEYS + 1 }, (_, i) => [`key${i}`, 0]),
  );
  it.each([
    [
      "empty objects",
      `[${"{},".repeat(MAX_ANSWER_VALUES)}{}]`,
      "answer of more than 750,000 JSON values",
    ],
    ["distinct keys", JSON.stringify(distinctKeys), "answer with more than 10,000 distinct keys"],
  ])(
    "refuse JSON of %s that would cost far more memory than its bytes",
    async (_, body, problem) => {
      sandbox.fault({ ...LIST, kind: "status", status: 200, body });
      const error = await newHttp()
        .read(LIST)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "final",
        message: `GET /api/personas_v2/: HTTP 200: ${problem}`,
      });
    },
  );

  it("count neither what strings hold nor a key seen before", async () => {
    // Commas, brackets and escaped quotes followed by colons, inside strings over many chunks.
    const note = '",[{:'.repeat(400_000);
    const answer = Array.from({ length: 20_000 }, (_, i) => ({ id: `a${i}`, labels: ["x"] }));
    sandbox.fault({
      ...LIST,
      kind: "status",
      status: 200,
      body: JSON.stringify([note, ...answer]),
    });
    expect(await newHttp().read(LIST)).toHaveLength(20_001);
  });

  it("read a list of 20,000 avatars", async () => {
    seedAvatars(20_000);
    const started = Date.now();
    expect(await newClient().list()).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    [true, "adopt it"],
    [false, "fail"],
  ])(
    "take a create's answer over the cap as unreadable: look, never resend (stored: %s, so %s)",
    async (store) => {
      sandbox.fault({
        method: "POST",
        path: "/api/personas_v2/",
        kind: "endless",
        status: 201,
        store,
      });
      const outcome = await newClient()
        .createFromFiles(fields, await videoFile(4096), undefined, mine())
        .catch((e: unknown) => e);
      expect(calls()).toEqual(["POST /api/personas_v2/", "GET /api/personas_v2/"]);
      if (store) {
        expect(outcome).toMatchObject({ id: sandbox.personas[0]?.id });
      } else {
        expect(outcome).toMatchObject({
          kind: "final",
          reason: "not-json",
          message: "uploading v.mp4: POST /api/personas_v2/: HTTP 201: answer larger than 16 MiB",
        });
        expect(sandbox.personas).toHaveLength(0);
      }
    },
  );
});
