// A create is never sent twice: after an ambiguous failure the client looks before it resends, and
// adopts what the server stored.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF } from "../../src/retry.ts";
import {
  calls,
  closedPortUrl,
  fields,
  lines,
  mine,
  newClient,
  posts,
  sandbox,
  sleeps,
  useSandbox,
  videoFile,
} from "../support/http-sandbox.ts";
import { mp4Bytes } from "../support/runner.ts";

useSandbox();

describe("creates", () => {
  const upload = async (size = 4096, known: ReadonlySet<string> = new Set()) =>
    newClient().createFromFiles(fields, await videoFile(size), undefined, mine(known));
  const UPLOAD = "POST /api/personas_v2/";
  const LIST = "GET /api/personas_v2/";

  it("adopt the avatar a 502 stored, without a second POST", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
    expect(sleeps).toEqual([]);
    expect(lines).toContain(`info: Found avatar ${persona.id} created by that attempt; using it.`);
  });

  it("reports the digest of the bytes that went out, not a later attempt's cut-off body", async () => {
    // The first attempt's whole body arrives and is stored, answered 502, and the list does not
    // show it yet; the second is cut off before its file has streamed, and then the list does.
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 502,
      store: true,
    });
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: "[]",
    });
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const video = await videoFile(16_000_000);
    const digests: string[] = [];
    const persona = await newClient().createFromFiles(fields, video, undefined, mine(), {
      parts: (hex) => [["keywords", hex]],
      onDigest: (hex) => digests.push(hex),
    });
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD, LIST]);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(sandbox.personas).toHaveLength(1);
    const sha256 = createHash("sha256").update(mp4Bytes(16_000_000)).digest("hex");
    expect(posts()[0]?.fields?.keywords).toEqual([sha256]);
    expect(digests).toEqual([sha256]);
  });

  it("resend after a reset before the server stored it, with the whole file again", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const size = 2_000_000;
    const persona = await upload(size);
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    const [first, second] = posts();
    expect(first?.status).toBeUndefined();
    expect(first?.bytes).toBeLessThan(size);
    expect(second?.status).toBe(201);
    expect(second?.files).toMatchObject([
      { field: "lipsync_input", filename: `v-${size}.mp4`, contentType: "video/mp4", bytes: size },
    ]);
    expect(second?.bytes).toBe(Number(second?.headers["content-length"]));
  });

  it("adopt the avatar when the connection drops after the server stored it", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "reset", afterStore: true });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
  });

  it.each([429, 503])("resend at once after %i, without looking first", async (status) => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status,
      headers: { "retry-after": "2" },
    });
    await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(calls()).toEqual([UPLOAD, UPLOAD]);
    expect(sleeps).toEqual([2000]);
  });

  it("resend after a 500 that stored nothing, once the list shows no new avatar", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 500 });
    const persona = await upload();
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    expect(sleeps).toEqual([250]);
    expect(lines[0]).toMatch(
      /^warning: uploading v\.mp4: POST \/api\/personas_v2\/: HTTP 500.*looking for the avatar/,
    );
  });

  it("do not adopt an avatar of the same name that existed before", async () => {
    const older = sandbox.seed({
      creator_name: "James",
      process_status: "pending",
      is_active: false,
    });
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 504 });
    const persona = await upload(4096, new Set([older.id]));
    expect(persona.id).not.toBe(older.id);
    expect(sandbox.personas).toHaveLength(2);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
  });

  it("do not resend a 400, and list its fields", async () => {
    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ gender: ['"x" is not a valid choice.'] }),
    });
    const error = await upload().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      message:
        'uploading v.mp4: POST /api/personas_v2/: HTTP 400: gender: "x" is not a valid choice.',
    });
    expect(calls()).toEqual([UPLOAD]);
    expect(sandbox.personas).toHaveLength(0);
  });

  it("resend a JSON create after a 502 that stored nothing", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas/", kind: "status", status: 502 });
    const persona = await newClient().createFromUrls(
      fields,
      "https://cdn.example.com/v.mp4",
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual(["POST /api/personas/", LIST, "POST /api/personas/"]);
  });

  it("resend after no answer in time when nothing was stored", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "hang" });
    const persona = await newClient({ createTimeoutMs: 200 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD]);
    expect(lines[0]).toMatch(/no answer in time \(IDLE_TIMEOUT\)/);
  });

  it("adopt the avatar when the answer comes too late, after the server stored it", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "delay", ms: 3000 });
    const persona = await newClient({ createTimeoutMs: 200 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(sandbox.personas).toHaveLength(1);
    expect(persona.id).toBe(sandbox.personas[0]?.id);
    expect(calls()).toEqual([UPLOAD, LIST]);
  });

  it("say the avatar may exist when looking for it fails too", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "status", status: 502 });
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 503,
      times: 10,
    });
    const error = await upload().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      status: 502,
      message:
        "uploading v.mp4: POST /api/personas_v2/: HTTP 502: A server error occurred.; the avatar may have been created, but looking for it failed: GET /api/personas_v2/: HTTP 503: A server error occurred.",
    });
    expect(calls()).toEqual([UPLOAD, ...Array(5).fill(LIST)]);
  });

  it("give up with a clear timeout after every attempt hangs, having created nothing", async () => {
    sandbox.fault({ method: "POST", path: "/api/personas_v2/", kind: "hang", times: 10 });
    const started = Date.now();
    const error = await newClient({
      createTimeoutMs: 150,
      backoff: { ...DEFAULT_BACKOFF, attempts: 3 },
    })
      .createFromFiles(fields, await videoFile(4096), undefined, mine())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: "uploading v.mp4: POST /api/personas_v2/: no answer in time (IDLE_TIMEOUT)",
    });
    expect(calls()).toEqual([UPLOAD, LIST, UPLOAD, LIST, UPLOAD, LIST]);
    expect(sandbox.personas).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("keep trying while the connection is refused, then say so", async () => {
    const error = await newClient({ baseUrl: await closedPortUrl() })
      .createFromUrls(fields, "https://cdn.example.com/v.mp4", undefined, mine())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unprocessed", reason: "network" });
    expect((error as Error).message).toMatch(
      /^submitting https:\/\/cdn\.example\.com\/v\.mp4: POST \/api\/personas\/: cannot connect \(ECONNREFUSED/,
    );
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
    expect(lines.some((line) => line.startsWith("warning:"))).toBe(false);
  });
});
