import { beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import { renderSummary, rowOf, tableWith } from "../support/render.ts";
import {
  errorLines,
  fingerprintOf,
  mp4Bytes,
  pushRun,
  type RunOptions,
  type RunResult,
  runAction,
  setup,
  type Workspace,
} from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

/** Swaps the test's sandbox for one with `options`; both close when the test ends. */
async function useSandbox(options: SandboxOptions): Promise<void> {
  const replacement = await startSandbox(options);
  onTestFinished(() => replacement.close());
  sandbox = replacement;
}

beforeEach(async (context) => {
  ({ sandbox, workspace } = await setup(context));
});

/** The fingerprint of a take this test never commits. */
const OTHER = "video-sha256:0123456789abcdef";

const LIST = "GET /api/personas_v2/";
const COUNT = "GET /api/personas_v2/count/";
const UPLOAD = "POST /api/personas_v2/";
const BY_URL = "POST /api/personas/";

/** The first contact: the one read of a new avatar after its create. */
const READ = "GET /api/personas/{id}/";

const calls = () =>
  sandbox.requests.map(
    (r) => `${r.method} ${r.path.replace(/^\/api\/personas\/[^/]+\/$/, "/api/personas/{id}/")}`,
  );
const posts = () => sandbox.requests.filter((r) => r.method === "POST");
const uploaded = () => posts().map((r) => r.fields?.creator_name?.[0] ?? "");
const lines = (result: RunResult) => result.stdout.split(/\r\n|\r|\n/);
const planOf = (result: RunResult) =>
  JSON.parse(result.outputs.plan ?? "null") as Record<string, unknown>[];
const avatarsOf = (result: RunResult) =>
  JSON.parse(result.outputs.avatars ?? "null") as Record<string, unknown>[];
const run = (inputs: Record<string, string>, more: Partial<RunOptions> = {}) =>
  runAction({ sandbox, workspace, inputs, ...more });

interface Entry {
  video: string;
  "creator-name": string;
  "if-exists"?: string;
}
const JAMES: Entry = { video: "avatars/james.mp4", "creator-name": "James" };
const ANA: Entry = { video: "avatars/ana.mp4", "creator-name": "Ana" };
const LI: Entry = { video: "avatars/li.mp4", "creator-name": "Li" };
const TEAM = [JAMES, ANA, LI];
/** Each file its own bytes, so each has its own fingerprint. */
const SIZES: Record<string, number> = { James: 4096, Ana: 4608, Li: 5120 };
const bytesOf = (entry: Entry) => mp4Bytes(SIZES[entry["creator-name"]] ?? 4000);
const fingerprintOfEntry = (entry: Entry) =>
  entry.video.startsWith("https://") ? fingerprintOf(entry.video) : fingerprintOf(bytesOf(entry));

/** Writes avatars.json (JSON is YAML too) and the video files it names; returns the input. */
async function manifestOf(entries: Entry[]): Promise<string> {
  const avatars = entries.map((entry) => ({ gender: "f", "video-scene": "office", ...entry }));
  await workspace.write("avatars.json", JSON.stringify({ avatars }, null, 2));
  for (const entry of entries) {
    if (!entry.video.startsWith("https://")) await workspace.write(entry.video, bytesOf(entry));
  }
  return "avatars.json";
}

/**
 * A live same-name avatar made from `entry`'s video (reused), or from another take (replaced):
 * its fingerprint in its keywords, where Creatify's reads show it.
 */
const seedMadeFrom = (entry: Entry, fingerprint = fingerprintOfEntry(entry)) =>
  sandbox.seed({ creator_name: entry["creator-name"], keywords: `office, ${fingerprint}` });

describe("one listing per run", () => {
  // URLs cost no upload, so two hundred avatars take a second or two.
  const entries = Array.from({ length: 200 }, (_, n) => ({
    video: `https://cdn.example.com/${n}.mp4`,
    "creator-name": `Avatar ${n}`,
  }));

  it("lists once and reads the quota once for 200 creates; a re-run reads the list alone", async () => {
    await useSandbox({ maxCount: 1000 });
    const manifest = await manifestOf(entries);
    const first = await run({ manifest, "max-parallel": "20" });
    expect(first.code, first.stdout).toBe(0);
    const sent = calls();
    expect(sent.filter((call) => call === LIST)).toHaveLength(1);
    expect(sent.filter((call) => call === COUNT)).toHaveLength(1);
    expect(sent.filter((call) => call === BY_URL)).toHaveLength(200);
    // And the one read of each new avatar after its create (the first contact).
    expect(sent.filter((call) => call === READ)).toHaveLength(200);
    expect(sent).toHaveLength(402);
    // Both reads come before the first create: the plan is whole before anything is made.
    expect(sent.slice(0, 2)).toEqual([LIST, COUNT]);
    expect(sandbox.personas).toHaveLength(200);
    expect(planOf(first).map((p) => p.action)).toEqual(entries.map(() => "create"));

    sandbox.requests.length = 0;
    const rerun = await run({ manifest, "max-parallel": "20" });
    expect(rerun.code).toBe(0);
    // Nothing to create, so no quota read either.
    expect(calls()).toEqual([LIST]);
    expect(sandbox.personas).toHaveLength(200);
    expect(avatarsOf(rerun).filter((avatar) => avatar.reused === true)).toHaveLength(200);
  });
});

describe("the quota, planned before the first create", () => {
  it.each([
    { name: "three creates, two free: fails, nothing created", free: 2, reused: 0, fits: false },
    { name: "three creates, three free: all created", free: 3, reused: 0, fits: true },
    {
      name: "two creates and a reuse, two free: a reuse takes no slot",
      free: 2,
      reused: 1,
      fits: true,
    },
  ])("$name", async ({ free, reused, fits }) => {
    // Another avatar and the one reused take slots; `free` are left.
    await useSandbox({ maxCount: 1 + reused + free });
    sandbox.seed({ creator_name: "Someone else" });
    if (reused) seedMadeFrom(JAMES);
    const manifest = await manifestOf(TEAM);
    // More uploads at once than free slots: only the plan can stop them all.
    const result = await run({ manifest, "max-parallel": "6" });
    const creates = TEAM.slice(reused).map((entry) => entry["creator-name"]);

    expect(calls().slice(0, 2)).toEqual([LIST, COUNT]);
    if (fits) {
      expect(result.code, result.stdout).toBe(0);
      expect(uploaded().sort()).toEqual([...creates].sort());
      return;
    }
    expect(result.code).toBe(1);
    expect(calls()).toEqual([LIST, COUNT]);
    expect(sandbox.personas).toHaveLength(1 + reused);
    const [error] = errorLines(result);
    expect(error).toMatch(new RegExp(`\\b${free} free\\b`));
    for (const name of creates) expect(error).toContain(`"${name}"`);
    // The plan that did not fit is still an output, for the step that reads why.
    expect(planOf(result).map((p) => p.action)).toEqual(["create", "create", "create"]);
  });
});

describe("a dry run with credentials", () => {
  /** James made from this video (reuse), Ana from another take (replaced), Li new. */
  async function team() {
    const james = seedMadeFrom(JAMES);
    const ana = seedMadeFrom(ANA, OTHER);
    return { manifest: await manifestOf(TEAM), james, ana };
  }

  it("reads the list and the quota only, and plans what the real run then does", async () => {
    const { manifest, james, ana } = await team();
    const dry = await run({ manifest, "dry-run": "true" });

    expect(dry.code, dry.stdout).toBe(0);
    expect(calls()).toEqual([LIST, COUNT]);
    expect(sandbox.personas).toHaveLength(2);
    const plan = [
      { entry: JAMES, action: "reuse", avatar_id: james.id, replaces: null },
      { entry: ANA, action: "create", avatar_id: null, replaces: ana.id },
      { entry: LI, action: "create", avatar_id: null, replaces: null },
    ].map(({ entry, ...decided }) => ({
      creator_name: entry["creator-name"],
      video: entry.video,
      ...decided,
      fingerprint: fingerprintOfEntry(entry),
      reason: expect.stringMatching(/\w/),
      deletes: [],
    }));
    expect(planOf(dry)).toEqual(plan);
    // Nothing was made or reused: `avatars` is empty, and no single-avatar output is set.
    expect(dry.outputs.avatars).toBe("[]");
    expect(dry.outputs.deleted).toBe("[]");
    expect(Object.keys(dry.outputs).sort()).toEqual(["avatars", "deleted", "plan"]);

    // The summary is the plan: a rendered table, a row per avatar with its action and reason.
    const summary = renderSummary(dry.summary);
    const table = tableWith(summary, ["avatar", "action"]);
    expect(table?.rows).toHaveLength(3);
    for (const element of plan) {
      const { cells } = rowOf(summary, element.creator_name);
      expect(cells.action).toBe(element.action);
      expect(Object.values(cells).join(" | ")).toMatch(element.fingerprint);
    }
    expect(rowOf(summary, "Ana").cells.replaces).toBe(ana.id);

    // The real run decides the same, and only the creates' new ids are added.
    sandbox.requests.length = 0;
    const real = await run({ manifest });
    expect(real.code).toBe(0);
    expect(calls().sort()).toEqual([COUNT, LIST, UPLOAD, UPLOAD, READ, READ].sort());
    const created = (name: string) =>
      sandbox.personas.find((p) => p.creator_name === name && p.id !== ana.id)?.id;
    expect(planOf(real)).toEqual(
      planOf(dry).map((element) =>
        element.action === "create"
          ? { ...element, avatar_id: created(String(element.creator_name)) }
          : element,
      ),
    );
  });

  it("reads the list alone when every avatar is reused", async () => {
    for (const entry of TEAM) seedMadeFrom(entry);
    const manifest = await manifestOf(TEAM);
    const dry = await run({ manifest, "dry-run": "true" });
    expect(dry.code).toBe(0);
    expect(calls()).toEqual([LIST]);
    expect(planOf(dry).map((p) => p.action)).toEqual(["reuse", "reuse", "reuse"]);
  });

  it("plans a single video: one element, no GET of the avatar, no wait", async () => {
    const existing = seedMadeFrom(JAMES, OTHER);
    await workspace.write(JAMES.video, bytesOf(JAMES));
    const dry = await run({
      video: JAMES.video,
      "creator-name": "James",
      gender: "m",
      "video-scene": "office",
      "dry-run": "true",
      wait: "true",
    });
    expect(dry.code).toBe(0);
    expect(calls()).toEqual([LIST, COUNT]);
    expect(planOf(dry)).toEqual([
      {
        creator_name: "James",
        video: JAMES.video,
        action: "create",
        avatar_id: null,
        replaces: existing.id,
        fingerprint: fingerprintOfEntry(JAMES),
        reason: expect.stringMatching(/\w/),
        deletes: [],
      },
    ]);
    expect(Object.keys(dry.outputs).sort()).toEqual(["avatars", "deleted", "plan"]);
    expect(rowOf(renderSummary(dry.summary), "James").cells.action).toBe("create");
  });

  // Where the real run would stop before its first create, the dry run fails too, with its plan.
  it.each([
    {
      name: "a video Creatify rejected",
      prepare: () =>
        sandbox.seed({
          creator_name: "James",
          keywords: fingerprintOfEntry(JAMES),
          process_status: "rejected",
          failed_reason: "The face is turned away.",
        }),
      james: JAMES,
      error: /The face is turned away\./,
    },
    {
      name: "if-exists: fail with a live avatar",
      prepare: () => seedMadeFrom(JAMES, OTHER),
      james: { ...JAMES, "if-exists": "fail" },
      error: /if-exists/,
    },
    {
      name: "a quota the creates do not fit",
      sandbox: { maxCount: 2 },
      prepare: () => sandbox.seed({ creator_name: "Someone else", keywords: OTHER }),
      james: JAMES,
      error: /1 free.*"James".*"Ana"|1 free.*"Ana".*"James"/,
    },
  ])("fails on $name, and still writes its plan", async (row) => {
    if (row.sandbox) await useSandbox(row.sandbox);
    row.prepare();
    const manifest = await manifestOf([row.james, ANA]);
    const dry = await run({ manifest, "dry-run": "true" });

    expect(dry.code).toBe(1);
    expect(posts()).toEqual([]);
    expect(calls().every((call) => call === LIST || call === COUNT)).toBe(true);
    expect(calls().filter((call) => call === LIST)).toHaveLength(1);
    expect(errorLines(dry).join("\n")).toMatch(row.error);
    const plan = planOf(dry);
    expect(plan.map((p) => p.creator_name)).toEqual(["James", "Ana"]);
    expect(plan[1]?.action).toBe("create");
    expect(dry.outputs.avatars).toBe("[]");
    const summary = renderSummary(dry.summary);
    expect(rowOf(summary, "James").cells.action).toBe(plan[0]?.action);
    expect(rowOf(summary, "Ana").cells.action).toBe("create");
  });
});

describe("a dry run without credentials (a pull request from a fork)", () => {
  const offline = { "api-id": "", "api-key": "", "dry-run": "true" };
  const MIA: Entry = { video: "https://cdn.example.com/mia.mp4", "creator-name": "Mia" };

  it("sends no request, checks every entry and video, and plans each as checked", async () => {
    const manifest = await manifestOf([...TEAM, MIA]);
    const dry = await run({ manifest, ...offline });

    expect(dry.code, dry.stdout).toBe(0);
    expect(sandbox.requests).toEqual([]);
    expect(planOf(dry)).toEqual(
      [...TEAM, MIA].map((entry) => ({
        creator_name: entry["creator-name"],
        video: entry.video,
        action: "checked",
        avatar_id: null,
        replaces: null,
        fingerprint: fingerprintOfEntry(entry),
        reason: expect.stringMatching(/\w/),
        deletes: [],
      })),
    );
    expect(dry.outputs.avatars).toBe("[]");
    const summary = renderSummary(dry.summary);
    for (const entry of [...TEAM, MIA]) {
      expect(rowOf(summary, entry["creator-name"]).cells.action).toBe("checked");
    }
  });

  it("plans a single video as checked, without a request", async () => {
    await workspace.write(JAMES.video, bytesOf(JAMES));
    const dry = await run({
      ...offline,
      video: JAMES.video,
      "creator-name": "James",
      gender: "m",
      "video-scene": "office",
    });
    expect(dry.code).toBe(0);
    expect(sandbox.requests).toEqual([]);
    expect(planOf(dry)).toEqual([
      expect.objectContaining({ action: "checked", fingerprint: fingerprintOfEntry(JAMES) }),
    ]);
  });

  it("fails on a Git LFS pointer committed instead of a video, naming the entry", async () => {
    const manifest = await manifestOf(TEAM);
    // What `git lfs` leaves in a checkout without `lfs: true`: a text file, not the video.
    await workspace.write(
      ANA.video,
      "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 104857600\n",
    );
    const dry = await run({ manifest, ...offline });
    expect(dry.code).toBe(1);
    expect(sandbox.requests).toEqual([]);
    const errors = errorLines(dry);
    expect(errors).toEqual([expect.stringContaining("avatars[1] (Ana)")]);
    expect(errors[0]).toContain(ANA.video);
    expect(lines(dry)).toContainEqual(
      expect.stringMatching(/^::error file=avatars\.json,line=\d+::/),
    );
  });

  it.each<{ name: string; inputs: Record<string, string>; error: RegExp }>([
    {
      name: "both credentials empty without dry-run",
      inputs: { "api-id": "", "api-key": "" },
      error: /"api-id" is required.*dry-run/,
    },
    {
      name: "one credential empty in a dry run",
      inputs: { "api-id": "", "dry-run": "true" },
      error: /"api-id" is required/,
    },
    {
      name: "a dry run of an avatar-id",
      inputs: { "dry-run": "true", "avatar-id": "4b0b4a0e-1111-4a4a-9999-000000000000" },
      error: /"dry-run".*"avatar-id"/,
    },
  ])("fails on $name as an input error, sending nothing", async ({ inputs, error }) => {
    const target: Record<string, string> = inputs["avatar-id"]
      ? {}
      : { manifest: await manifestOf(TEAM) };
    const result = await run({ ...target, ...inputs });
    expect(result.code).toBe(1);
    expect(sandbox.requests).toEqual([]);
    expect(errorLines(result)).toEqual([expect.stringMatching(error)]);
  });
});

describe("only (fan-out)", () => {
  it.each([
    { only: "Ana", names: ["Ana"] },
    { only: "Li,\nJames", names: ["James", "Li"] },
  ])("processes only $names of the manifest", async ({ only, names }) => {
    const manifest = await manifestOf(TEAM);
    const result = await run({ manifest, only });
    expect(result.code).toBe(0);
    expect(uploaded().sort()).toEqual(names);
    const reads = names.map(() => READ);
    expect(calls().filter((call) => call !== UPLOAD)).toEqual([LIST, COUNT, ...reads]);
    expect(planOf(result).map((p) => p.creator_name)).toEqual(names);
    expect(avatarsOf(result).map((a) => a.creator_name)).toEqual(names);
  });

  it.each([
    { only: "Nobody", named: ['"Nobody"'] },
    { only: "Ana, Nobody", named: ['"Nobody"'] },
  ])("fails on $only as an input error naming the unknown name", async ({ only, named }) => {
    const manifest = await manifestOf(TEAM);
    const result = await run({ manifest, only });
    expect(result.code).toBe(1);
    expect(sandbox.requests).toEqual([]);
    const errors = errorLines(result);
    expect(errors).toEqual([expect.stringContaining('"only"')]);
    for (const name of named) expect(errors[0]).toContain(name);
    expect(errors[0]).not.toContain('"Ana"');
  });

  /** A push that modified James's and Ana's videos, not Li's, after a successful run. */
  function pushAfterSuccess(): Record<string, string> {
    const [before, after] = ["c9830d685bafcd33c4002267723604c86fea8291", "d".repeat(40)];
    sandbox.setGitHub({
      commits: [
        { sha: before, files: [] },
        {
          sha: after,
          parent: before,
          files: [JAMES, ANA].map((entry) => ({ filename: entry.video, status: "modified" })),
        },
      ],
      runs: [
        {
          id: 1,
          workflow: "avatars.yml",
          branch: "main",
          event: "push",
          sha: before,
          conclusion: "success",
        },
      ],
    });
    return pushRun(sandbox, after);
  }

  it.each([
    { only: "Ana", names: ["Ana"] },
    // Named, but its video did not change: `only` narrows what changed-only chose.
    { only: "Li", names: [] },
    { only: "", names: ["James", "Ana"] },
  ])("applies only: $only after changed-only", async ({ only, names }) => {
    const manifest = await manifestOf(TEAM);
    const result = await run(
      { manifest, only, "changed-only": "true", "github-token": "t" },
      { env: pushAfterSuccess() },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(uploaded().sort()).toEqual([...names].sort());
    expect(planOf(result).map((p) => p.creator_name)).toEqual(names);
    const creatify = sandbox.requests.filter((r) => !r.path.startsWith("/repos/"));
    if (names.length === 0) expect(creatify).toEqual([]);
  });

  it("fans out: a dry-run plan, then one job per planned create, each its own upload", async () => {
    seedMadeFrom(JAMES);
    const manifest = await manifestOf(TEAM);
    const dry = await run({ manifest, "dry-run": "true" });
    expect(dry.code).toBe(0);
    // The matrix a plan job would emit: one job per avatar to create.
    const matrix = planOf(dry).filter((element) => element.action === "create");
    expect(matrix.map((element) => element.creator_name)).toEqual(["Ana", "Li"]);

    sandbox.requests.length = 0;
    for (const element of matrix) {
      const job = await run({ manifest, only: String(element.creator_name) });
      expect(job.code).toBe(0);
      expect(planOf(job)).toEqual([
        expect.objectContaining({
          creator_name: element.creator_name,
          action: "create",
          fingerprint: element.fingerprint,
        }),
      ]);
      expect(job.outputs["avatar-id"]).toBe(sandbox.personas.at(-1)?.id);
    }
    expect(uploaded()).toEqual(["Ana", "Li"]);
    expect(calls().filter((call) => call === LIST)).toHaveLength(2);
    expect(sandbox.personas.map((p) => p.creator_name).sort()).toEqual(["Ana", "James", "Li"]);
  });
});
