// Batch mode on the bundle: a manifest of avatars, max-parallel at a time, and changed-only against
// the workflow runs and commits of the GitHub API the sandbox fakes.
import { rm } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/server.ts";
import type { GitHubRepo } from "../sandbox/types.ts";
import {
  errorLines,
  pushRun,
  type RunResult,
  runAction,
  setup,
  type Workspace,
} from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

beforeEach(async (context) => {
  ({ sandbox, workspace } = await setup(context));
});

interface Entry {
  video: string;
  "consent-video"?: string;
  "creator-name": string;
  gender?: string;
  "video-scene"?: string;
  labels?: string[];
}

/** The team's avatars. */
const JAMES: Entry = { video: "avatars/james/lipsync.mp4", "creator-name": "James", gender: "m" };
const ANA: Entry = { video: "avatars/ana/lipsync.mp4", "creator-name": "Ana", gender: "f" };
const LI: Entry = {
  video: "avatars/li/lipsync.mp4",
  "consent-video": "avatars/li/consent.mp4",
  "creator-name": "Li",
  gender: "nb",
};
const SAM: Entry = { video: "avatars/sam/lipsync.mp4", "creator-name": "Sam", gender: "m" };
const TEAM = [JAMES, ANA, LI, SAM];

/** Writes avatars.yml and every video it names (URLs aside); returns the manifest input. */
async function setUp(entries: Entry[], videoBytes = 4096): Promise<string> {
  const yaml = entries.map((entry) =>
    Object.entries({ "video-scene": "office", gender: "f", ...entry })
      .map(([key, value], i) => {
        const text = Array.isArray(value) ? `[${value.join(", ")}]` : value;
        return `${i === 0 ? "  - " : "    "}${key}: ${text}`;
      })
      .join("\n"),
  );
  await workspace.write("avatars.yml", `# Brand avatars\navatars:\n${yaml.join("\n\n")}\n`);
  for (const entry of entries) {
    for (const video of [entry.video, entry["consent-video"]]) {
      if (video && !video.startsWith("https://")) await workspace.video(video, videoBytes);
    }
  }
  return "avatars.yml";
}

const avatarsOf = (result: RunResult) =>
  JSON.parse(result.outputs.avatars ?? "null") as Record<string, unknown>[];
const posts = () => sandbox.requests.filter((r) => r.method === "POST");
/** Who was uploaded, in the order the uploads began. */
const submitted = () =>
  posts()
    .filter((r) => r.path === "/api/personas_v2/")
    .map((r) => r.fields?.creator_name?.[0]);

describe("a manifest", () => {
  it("submits every entry max-parallel at a time; one rejected fails the step after all ran", async () => {
    const mia: Entry = { video: "https://cdn.example.com/mia.mp4", "creator-name": "Mia" };
    const manifest = await setUp([...TEAM, mia], 8_000_000);
    // List reads answer late, so uploads that may run together start together and overlap.
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "delay", ms: 250, times: 5 });
    sandbox.fault({
      method: "POST",
      path: "/api/personas/",
      kind: "status",
      status: 400,
      body: JSON.stringify({ lipsync_input: ["The video must be at least 30 seconds long."] }),
    });
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "max-parallel": "2" },
    });

    expect(result.code).toBe(1);
    expect(sandbox.maxConcurrentUploads).toBe(2);
    expect(submitted().sort()).toEqual(["Ana", "James", "Li", "Sam"]);
    expect(posts().filter((r) => r.path === "/api/personas/")).toHaveLength(1);

    const avatars = avatarsOf(result);
    const ids = (name: string) => sandbox.personas.find((p) => p.creator_name === name)?.id;
    expect(avatars).toEqual([
      ...TEAM.map((entry) => ({
        video: entry.video,
        creator_name: entry["creator-name"],
        avatar_id: ids(entry["creator-name"]),
        status: "pending",
        is_active: false,
        failed_reason: "",
        reused: false,
        replaces: null,
      })),
      {
        video: "https://cdn.example.com/mia.mp4",
        creator_name: "Mia",
        avatar_id: null,
        status: "error",
        is_active: false,
        failed_reason: expect.stringContaining(
          "lipsync_input: The video must be at least 30 seconds long.",
        ),
        reused: false,
        replaces: null,
      },
    ]);
    // A batch has no single avatar: only `avatars` is set (and `plan` and `deleted`).
    expect(Object.keys(result.outputs).sort()).toEqual(["avatars", "deleted", "plan"]);

    const errors = errorLines(result);
    expect(errors).toEqual([
      expect.stringMatching(/^avatars\[4\] \(Mia\): .*HTTP 400.*30 seconds long/),
      "1 of 5 avatars failed: Mia.",
    ]);
    expect(result.stdout).toMatch(/^::error file=avatars\.yml,line=\d+::avatars\[4\] \(Mia\)/m);
    for (const name of ["James", "Ana", "Li", "Sam"]) {
      expect(result.summary).toContain(`| ${name} | \`${ids(name)}\` | pending |`);
    }
    expect(result.summary).toMatch(/\| Mia \| – \| error \| no \| .*30 seconds long/);
  });

  it("reuses every avatar on a re-run and uploads nothing", async () => {
    const manifest = await setUp(TEAM);
    const first = await runAction({ sandbox, workspace, inputs: { manifest } });
    expect(first.code).toBe(0);
    expect(posts()).toHaveLength(4);

    sandbox.requests.length = 0;
    const rerun = await runAction({ sandbox, workspace, inputs: { manifest } });
    expect(rerun.code).toBe(0);
    expect(posts()).toEqual([]);
    expect(sandbox.personas).toHaveLength(4);
    expect(avatarsOf(rerun)).toEqual(
      avatarsOf(first).map((avatar) => ({ ...avatar, reused: true })),
    );
    expect(
      rerun.stdout.match(/: reusing .*, nothing uploaded: .* was made from this video/g),
    ).toHaveLength(4);
  });

  it("sets the single-avatar outputs too when it has exactly one entry", async () => {
    const manifest = await setUp([{ ...JAMES, labels: ["brand-a", "brand-b"] }]);
    const result = await runAction({ sandbox, workspace, inputs: { manifest } });
    expect(result.code).toBe(0);
    const [persona] = sandbox.personas;
    expect(persona).toMatchObject({ creator_name: "James" });
    expect(persona?.labels.slice(0, 2)).toEqual(["brand-a", "brand-b"]);
    expect(persona?.labels[2]).toMatch(/^video-sha256:[0-9a-f]{16}$/);
    // And where a read shows it again: the keywords (this entry has none of its own).
    expect(persona?.keywords).toMatch(/^video-sha256:[0-9a-f]{16}$/);
    expect(persona?.keywords).toBe(persona?.labels[2]);
    expect(result.outputs).toMatchObject({
      "avatar-id": persona?.id,
      status: "pending",
      "is-active": "false",
      "failed-reason": "",
      reused: "false",
    });
    expect(JSON.parse(result.outputs.avatar ?? "")).toMatchObject({ id: persona?.id });
    expect(avatarsOf(result)).toEqual([expect.objectContaining({ avatar_id: persona?.id })]);
  });
});

describe("a bad entry", () => {
  it.each([
    {
      name: "an unknown gender",
      entries: [JAMES, ANA, { ...LI, gender: "x" }, SAM],
      error: 'avatars.yml: avatars[2] (Li) "gender": "x" is not one of m, f, nb',
    },
    {
      name: "a path outside the workspace",
      entries: [JAMES, ANA, LI, { ...SAM, video: "../sam.mp4" }],
      error: 'avatars.yml: avatars[3] (Sam) "video": "../sam.mp4" is outside the workspace',
    },
    {
      name: "a missing video file",
      entries: [JAMES, ANA, LI, SAM],
      prepare: () => rm(path.join(workspace.dir, SAM.video)),
      error: 'avatars.yml: avatars[3] (Sam) "video": "avatars/sam/lipsync.mp4" does not exist.',
    },
    {
      name: "a consent video that is not a video",
      entries: [JAMES, ANA, LI, SAM],
      prepare: () => workspace.write("avatars/li/consent.mp4", "not a video"),
      error: 'avatars.yml: avatars[2] (Li) "consent-video": "avatars/li/consent.mp4" is not an MP4',
    },
  ])("fails on $name with one error naming it and sends nothing", async (row) => {
    const manifest = await setUp(row.entries);
    await row.prepare?.();
    const result = await runAction({ sandbox, workspace, inputs: { manifest } });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([expect.stringContaining(row.error)]);
    // Annotated on the entry, so the error shows on the manifest's line.
    expect(result.stdout).toMatch(/^::error file=avatars\.yml,line=\d+::/m);
    expect(sandbox.requests).toEqual([]);
  });
});

describe("changed-only", () => {
  const file = (filename: string, status = "added") => ({ filename, status });
  const FIRST_SUCCESS: GitHubRepo["runs"][number] = {
    id: 1,
    workflow: "avatars.yml",
    branch: "main",
    event: "push",
    sha: "c1".repeat(20),
    conclusion: "success",
  };
  /**
   * main: c1 added the team, run 1 succeeded on it; c2 changed Ana, and its run 2 was cancelled
   * (a newer run joined the concurrency group); c3 changed Li's consent video and README.md, and
   * this run is its run. Another workflow's later success is not this workflow's base.
   */
  const HISTORY: GitHubRepo = {
    commits: [
      { sha: "c1".repeat(20), files: TEAM.map((entry) => file(entry.video)) },
      { sha: "c2".repeat(20), parent: "c1".repeat(20), files: [file(ANA.video, "modified")] },
      {
        sha: "c3".repeat(20),
        parent: "c2".repeat(20),
        files: [file("avatars/li/consent.mp4"), file("README.md", "modified")],
      },
    ],
    runs: [
      FIRST_SUCCESS,
      {
        id: 2,
        workflow: "avatars.yml",
        branch: "main",
        event: "push",
        sha: "c2".repeat(20),
        conclusion: "cancelled",
      },
      {
        id: 3,
        workflow: "other.yml",
        branch: "main",
        event: "push",
        sha: "c2".repeat(20),
        conclusion: "success",
      },
    ],
  };
  const HEAD = "c3".repeat(20);
  const runChangedOnly = (manifest: string, env: Record<string, string> = {}) =>
    runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true", "github-token": "t" },
      env: { ...pushRun(sandbox, HEAD), ...env },
    });
  const github = () => sandbox.requests.filter((r) => r.path.startsWith("/repos/"));

  it("after a cancelled run, submits its push's videos too: the base is the last successful run", async () => {
    const manifest = await setUp(TEAM);
    sandbox.setGitHub(HISTORY);
    const result = await runChangedOnly(manifest);
    expect(result.code).toBe(0);
    expect(submitted().sort()).toEqual(["Ana", "Li"]);
    expect(avatarsOf(result).map((a) => a.creator_name)).toEqual(["Ana", "Li"]);
    expect(github().map((r) => [r.path, r.query])).toEqual([
      [
        "/repos/o/r/actions/workflows/avatars.yml/runs",
        expect.objectContaining({ branch: "main", status: "success", event: "push" }),
      ],
      [`/repos/o/r/compare/${"c1".repeat(20)}...${HEAD}`, expect.anything()],
    ]);
    expect(github()[0]?.headers.authorization).toMatch(/^(token|Bearer) t$/);
    expect(result.stdout).toContain(
      "changed-only: since c1c1c1c, the commit of run #1 (https://github.com/o/r/actions/runs/1), the last successful run of avatars.yml on main, 2 manifest videos changed; 2 of 4 manifest entries affected.",
    );
    expect(result.stdout).not.toMatch(/^::notice::changed-only/m);
  });

  it("succeeds with an empty list when no manifest video changed since the last successful run", async () => {
    const manifest = await setUp(TEAM);
    const c4 = { sha: "c4".repeat(20), parent: HEAD, files: [file("README.md", "modified")] };
    const success = { ...FIRST_SUCCESS, id: 4, sha: HEAD };
    sandbox.setGitHub({ commits: [...HISTORY.commits, c4], runs: [...HISTORY.runs, success] });
    const result = await runChangedOnly(manifest, { GITHUB_SHA: c4.sha });
    expect(result.code).toBe(0);
    expect(result.outputs.avatars).toBe("[]");
    expect(result.outputs["avatar-id"]).toBeUndefined();
    expect(sandbox.requests.filter((r) => !r.path.startsWith("/repos/"))).toEqual([]);
    expect(result.stdout).toContain("0 of 4 manifest entries affected");
  });

  it.each([
    {
      name: "with no successful run yet",
      repo: { ...HISTORY, runs: HISTORY.runs.filter((run) => run.conclusion !== "success") },
      notice:
        "changed-only: no earlier run of avatars.yml on main succeeded, so every manifest entry is considered.",
    },
    {
      name: "without actions: read (the runs listing answers 403)",
      repo: { ...HISTORY, refuseRuns: true },
      notice:
        'changed-only: GitHub\'s API did not list the workflow runs of o/r (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow); "github-token" needs "actions: read" and "contents: read", so every manifest entry is considered.',
    },
    {
      name: "after a force push (the base is not an ancestor)",
      repo: {
        ...HISTORY,
        commits: [...HISTORY.commits, { sha: "f3".repeat(20), parent: "c2".repeat(20), files: [] }],
        runs: [{ ...FIRST_SUCCESS, sha: "f3".repeat(20) }],
      },
      notice:
        'changed-only: the last successful run\'s commit f3f3f3f is not an ancestor of this commit (compare says "diverged"; a force push?), so every manifest entry is considered.',
    },
  ] as { name: string; repo: GitHubRepo; notice: string }[])(
    "submits every entry $name, with a notice saying why",
    async ({ repo, notice }) => {
      const manifest = await setUp(TEAM);
      sandbox.setGitHub(repo);
      const result = await runChangedOnly(manifest);
      expect(result.code).toBe(0);
      expect(submitted().sort()).toEqual(["Ana", "James", "Li", "Sam"]);
      expect(result.stdout).toContain(`::notice::${notice}`);
    },
  );

  it("considers every entry outside a run on a branch, asking GitHub nothing", async () => {
    const manifest = await setUp(TEAM);
    const result = await runChangedOnly(manifest, {
      GITHUB_REF: "refs/pull/7/merge",
      GITHUB_EVENT_NAME: "pull_request",
    });
    expect(result.code).toBe(0);
    expect(submitted()).toHaveLength(4);
    expect(github()).toEqual([]);
    expect(result.stdout).toContain(
      "::notice::changed-only: this run is not on a branch (refs/pull/7/merge), so every manifest entry is considered.",
    );
  });
});
