// What holds where users meet it: adoption after an ambiguous create by ids and fingerprint
// whatever Creatify's clock says, listings read whole or not at all, and the read after every
// create. The bundles against the sandbox, its clock minutes off the runner's.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, type TestContext } from "vitest";
import { djangoTime, type Fault, type Sandbox, type SandboxOptions } from "../sandbox/server.ts";
import {
  creates,
  errorLines,
  fingerprintOf,
  mp4Bytes,
  requestFingerprintOf,
  runAction,
  setup,
  setupGenerate,
} from "./harness.ts";

const MINUTES = 60_000;
const james = { "creator-name": "James", gender: "m", "video-scene": "office", video: "v.mp4" };
const fast = { "poll-interval": "20ms", "max-poll-interval": "50ms" };
const UPLOAD = "POST /api/personas_v2/";
const READ = "GET /api/personas/{id}/";
const calls = (sandbox: Sandbox) =>
  sandbox.requests.map(
    (r) => `${r.method} ${r.path.replace(/^\/api\/personas\/[^/]+\/$/, "/api/personas/{id}/")}`,
  );

/** The faults after which the server has stored the create, though the runner cannot tell. */
const stored = (method: string, path: string): Record<string, Fault> => ({
  "a 502": { method, path, kind: "status", status: 502, store: true },
  "a connection reset": { method, path, kind: "reset", afterStore: true },
});
/** Creatify's clock minutes off the runner's, its dates in the ISO forms Django writes. */
const CLOCKS: [string, SandboxOptions][] = [
  [
    "10 minutes behind (microseconds, +00:00)",
    { clockOffsetMs: -10 * MINUTES, timeFormat: (ms) => djangoTime(ms) },
  ],
  [
    "10 minutes ahead (microseconds, +05:30)",
    { clockOffsetMs: 10 * MINUTES, timeFormat: (ms) => djangoTime(ms, 330) },
  ],
  ["3 minutes behind (Z)", { clockOffsetMs: -3 * MINUTES }],
  [
    "an hour ahead (-07:00, no fraction)",
    { clockOffsetMs: 60 * MINUTES, timeFormat: (ms) => djangoTime(ms, -420, false) },
  ],
];
const cases = (method: string, path: string) =>
  CLOCKS.flatMap(([clock, options]) =>
    Object.entries(stored(method, path)).map(([fault, f]) => [clock, fault, options, f] as const),
  );

describe.concurrent("adoption by ids, whatever Creatify's clock says", () => {
  it.for(cases("POST", "/api/personas_v2/"))(
    "one avatar when Creatify's clock is %s and the upload meets %s after the store",
    async ([, , options, fault], context) => {
      const { sandbox, workspace } = await setup(context, options);
      sandbox.seed({ creator_name: "James", keywords: "video-sha256:0123456789abcdef" });
      sandbox.fault(fault);
      await workspace.video("v.mp4", 4096);
      const result = await runAction({
        sandbox,
        workspace,
        inputs: { ...james, "if-exists": "create", wait: "false" },
      });
      expect(result.code, result.stdout).toBe(0);
      expect(calls(sandbox).filter((call) => call === UPLOAD)).toHaveLength(1);
      expect(sandbox.personas).toHaveLength(2);
      const made = sandbox.personas[1];
      expect(made?.keywords).toBe(fingerprintOf(mp4Bytes(4096)));
      expect(result.outputs["avatar-id"]).toBe(made?.id);
      expect(result.stdout).toContain(`Found avatar ${made?.id} created by that attempt`);
    },
  );

  it.for(cases("POST", "/api/lipsyncs_v2/"))(
    "one job when Creatify's clock is %s and the create meets %s after the store",
    async ([, , options, fault], context) => {
      const { sandbox, generate, avatarId } = await setupGenerate(context, options);
      sandbox.fault(fault);
      const result = await generate({ script: "Hello", wait: "false", "if-exists": "create" });
      expect(result.code, result.stdout).toBe(0);
      expect(creates(sandbox)).toHaveLength(1);
      expect(sandbox.lipsync.jobs).toHaveLength(1);
      expect(sandbox.lipsync.jobs[0]?.name).toContain(requestFingerprintOf(avatarId, "Hello"));
      expect(result.outputs["video-id"]).toBe(sandbox.lipsync.jobs[0]?.id);
    },
  );

  it("does not adopt a job of the same request the run's listing already held", async (context) => {
    const { sandbox, generate, avatarId } = await setupGenerate(context, {
      clockOffsetMs: 10 * MINUTES,
    });
    // An earlier job of this very request, failed, dated "now" by a clock ahead: not this run's.
    const earlier = sandbox.lipsync.seed({
      name: `Hello [${requestFingerprintOf(avatarId, "Hello")}]`,
      status: "failed",
      created_at: new Date(Date.now() + 10 * MINUTES).toISOString(),
    });
    sandbox.fault({ method: "POST", path: "/api/lipsyncs_v2/", kind: "status", status: 502 });
    const result = await generate({ script: "Hello", wait: "false" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(2);
    expect(result.outputs["video-id"]).not.toBe(earlier.id);
    expect(result.outputs["video-id"]).toBe(sandbox.lipsync.jobs[1]?.id);
  });
});

/** A server on another origin that records whatever reaches it: nothing should. */
async function elsewhere({ onTestFinished }: TestContext) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(200, { "content-type": "application/json" }).end("[]");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe.concurrent("listings read whole or not at all", () => {
  it("reuses the avatar on page 3 of a paged listing, uploading nothing", async (context) => {
    const { sandbox, workspace } = await setup(context, { listPageSize: 2 });
    for (const name of ["Ann", "Bob", "Cy", "Di"]) sandbox.seed({ creator_name: name });
    const mine = sandbox.seed({ creator_name: "James", keywords: fingerprintOf(mp4Bytes(4096)) });
    await workspace.video("v.mp4", 4096);
    const result = await runAction({ sandbox, workspace, inputs: { ...james, wait: "false" } });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs["avatar-id"]).toBe(mine.id);
    expect(
      result.outputs.reused ?? JSON.parse(result.outputs.avatars ?? "[]")[0]?.reused,
    ).toBeTruthy();
    expect(calls(sandbox).filter((call) => call === UPLOAD)).toEqual([]);
    const pages = sandbox.requests.filter((r) => r.path === "/api/personas_v2/");
    expect(pages.map((r) => r.query.page)).toEqual([undefined, "2", "3"]);
  });

  it("reuses the job on page 2 of a paged listing, billing nothing", async (context) => {
    const { sandbox, generate, avatarId } = await setupGenerate(context, { listPageSize: 2 });
    for (const name of ["one", "two"]) sandbox.lipsync.seed({ name });
    const job = sandbox.lipsync.seed({ name: `Hi [${requestFingerprintOf(avatarId, "Hello")}]` });
    const result = await generate({ script: "Hello" });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs["video-id"]).toBe(job.id);
    expect(result.outputs.reused).toBe("true");
    expect(creates(sandbox)).toEqual([]);
  });

  it("fails on a next page on another origin: no request goes there, nothing is created", async (context) => {
    const other = await elsewhere(context);
    const { sandbox, workspace } = await setup(context, {
      listPageSize: 1,
      nextOrigin: other.origin,
    });
    sandbox.seed({ creator_name: "Ann" });
    sandbox.seed({ creator_name: "Bob" });
    await workspace.video("v.mp4", 4096);
    const result = await runAction({ sandbox, workspace, inputs: james });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringContaining(
        `GET /api/personas_v2/: the next page is on ${other.origin}, not on the API's origin ${sandbox.url}; not followed, since the credentials would go with it`,
      ),
    ]);
    expect(other.seen).toEqual([]);
    expect(calls(sandbox)).toEqual(["GET /api/personas_v2/"]);
    expect(sandbox.personas).toHaveLength(2);
  });

  it("fails on a job listing's next on another origin, creating nothing", async (context) => {
    const other = await elsewhere(context);
    const { sandbox, generate } = await setupGenerate(context, {
      listPageSize: 1,
      nextOrigin: other.origin,
    });
    sandbox.lipsync.seed({ name: "one" });
    sandbox.lipsync.seed({ name: "two" });
    const result = await generate({ script: "Hello", "if-exists": "create" });
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toContain(`the next page is on ${other.origin}`);
    expect(other.seen).toEqual([]);
    expect(creates(sandbox)).toEqual([]);
  });

  it("fails on a listing of another shape, creating nothing", async (context) => {
    const { sandbox, workspace } = await setup(context);
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: JSON.stringify({ data: [] }),
    });
    await workspace.video("v.mp4", 4096);
    const result = await runAction({ sandbox, workspace, inputs: james });
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toContain(
      "GET /api/personas_v2/: answer is neither a list nor a paged list {count, next, previous, results}",
    );
    expect(calls(sandbox)).toEqual(["GET /api/personas_v2/"]);
  });
});

describe.concurrent("the read after every create", () => {
  it.for([
    ["wait: true", { wait: "true", ...fast }],
    ["wait: false", { wait: "false" }],
  ] as const)(
    "reads back an avatar whose 201 already says rejected (%s)",
    async ([, inputs], context) => {
      const { sandbox, workspace } = await setup(context, {
        createStatus: "rejected",
        statuses: ["rejected"],
        failedReason: "no face found",
      });
      await workspace.video("v.mp4", 4096);
      const result = await runAction({ sandbox, workspace, inputs: { ...james, ...inputs } });
      expect(result.code).toBe(1);
      expect(calls(sandbox).slice(-2)).toEqual([UPLOAD, READ]);
      expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
      expect(result.outputs["failed-reason"]).toBe("no face found");
      expect(errorLines(result).join("\n")).toContain("was rejected: no face found");
    },
  );

  it.for([
    ["wait: true", { wait: "true", ...fast }],
    ["wait: false", { wait: "false" }],
  ] as const)(
    "fails when the read answers another id, keeping the created id (%s)",
    async ([, inputs], context) => {
      const { sandbox, workspace } = await setup(context, { readOtherId: true });
      await workspace.video("v.mp4", 4096);
      const result = await runAction({ sandbox, workspace, inputs: { ...james, ...inputs } });
      expect(result.code).toBe(1);
      const id = sandbox.personas[0]?.id;
      expect(result.outputs["avatar-id"]).toBe(id);
      expect(calls(sandbox).filter((call) => call === READ)).toHaveLength(1);
      expect(errorLines(result).join("\n")).toMatch(
        new RegExp(
          `GET /api/personas/${id}/: asked for avatar ${id}, the answer is avatar [0-9a-f-]+; not taken for it`,
        ),
      );
    },
  );
});
