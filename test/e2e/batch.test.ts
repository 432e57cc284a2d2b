// Batch mode (SPEC §6) on the bundle: a manifest of avatars, max-parallel at a time, changed-only
// from recorded push payloads (test/fixtures/) or the compare API the sandbox fakes.
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { ComparedFile } from "../../src/avatar/batch/changes.ts";
import type { Sandbox } from "../sandbox/server.ts";
import { errorLines, type RunResult, runAction, setup, type Workspace } from "./harness.ts";

let sandbox: Sandbox;
let workspace: Workspace;

beforeEach(async (context) => {
  ({ sandbox, workspace } = await setup(context));
});

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);

interface Entry {
  video: string;
  "consent-video"?: string;
  "creator-name": string;
  gender?: string;
  "video-scene"?: string;
  labels?: string[];
}

/** The team's avatars, laid out as the recorded push payloads expect. */
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
  const push = (payload: string) => ({ GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: payload });

  it("submits only the entry whose video the push added; a deleted video is not selected", async () => {
    // The push also removed avatars/old/lipsync.mp4, which the manifest still lists.
    const manifest = await setUp(TEAM);
    await workspace.write(
      "avatars.yml",
      `${await readText("avatars.yml")}\n  - video: avatars/old/lipsync.mp4\n    creator-name: Old\n    gender: m\n    video-scene: office\n`,
    );
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true" },
      env: push(fixture("push-complete.json")),
    });
    expect(result.code).toBe(0);
    expect(submitted()).toEqual(["James"]);
    expect(avatarsOf(result)).toEqual([expect.objectContaining({ creator_name: "James" })]);
    expect(result.outputs["avatar-id"]).toBe(sandbox.personas[0]?.id);
    expect(result.stdout).toContain(
      "changed-only: 4 files changed according to the push event; 1 of 5 manifest entries affected.",
    );
  });

  it("reads a push from the event file alone when GITHUB_EVENT_NAME is not set", async () => {
    const manifest = await setUp(TEAM);
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true" },
      env: { GITHUB_EVENT_PATH: fixture("push-complete.json") },
    });
    expect(result.code).toBe(0);
    expect(submitted()).toEqual(["James"]);
  });

  /** A push whose payload lists only part of its commits; GitHub's API is the sandbox. */
  const runTruncatedPush = (manifest: string) =>
    runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true", "github-token": "t" },
      env: {
        ...push(fixture("push-truncated.json")),
        GITHUB_API_URL: sandbox.url,
        GITHUB_REPOSITORY: "o/r",
      },
    });

  it("asks the compare API when the payload is truncated", async () => {
    const manifest = await setUp(TEAM);
    const payload = JSON.parse(readFileSync(fixture("push-truncated.json"), "utf8"));
    const files: ComparedFile[] = [
      { filename: "avatars/ana/lipsync.mp4", status: "modified" },
      { filename: "avatars/li/consent.mp4", status: "added" },
      { filename: "avatars/sam/lipsync.mp4", status: "removed" },
      { filename: "grading/pass-01.cube", status: "modified" },
    ];
    sandbox.setCompare(files);
    const result = await runTruncatedPush(manifest);
    expect(result.code).toBe(0);
    const compare = sandbox.requests.filter((r) => r.path.startsWith("/repos/"));
    expect(compare).toHaveLength(1);
    expect(compare[0]).toMatchObject({
      method: "GET",
      path: `/repos/o/r/compare/${payload.before}...${payload.after}`,
      status: 200,
    });
    expect(compare[0]?.headers.authorization).toMatch(/^(token|Bearer) t$/);
    expect(submitted().sort()).toEqual(["Ana", "Li"]);
    expect(avatarsOf(result).map((a) => a.creator_name)).toEqual(["Ana", "Li"]);
    expect(result.stdout).toContain("2 of 4 manifest entries affected");
  });

  it("fails clearly, sending nothing to Creatify, when the compare API refuses", async () => {
    const manifest = await setUp(TEAM);
    sandbox.fault({
      method: "GET",
      path: "/repos/*",
      kind: "status",
      status: 404,
      body: JSON.stringify({
        message: "Not Found",
        documentation_url: "https://docs.github.com/rest/commits/commits#compare-two-commits",
        status: "404",
      }),
    });
    const result = await runTruncatedPush(manifest);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^changed-only: GitHub's compare API did not list the files of this push \(HTTP 404: Not Found.*\); "github-token" needs "contents: read" on o\/r\.$/,
      ),
    ]);
    expect(sandbox.requests.map((r) => r.path)).toEqual([expect.stringMatching(/^\/repos\//)]);
  });

  it("succeeds with an empty list when the push changed no manifest video", async () => {
    const manifest = await setUp(TEAM);
    const payload = JSON.parse(readFileSync(fixture("push-complete.json"), "utf8"));
    for (const commit of payload.commits) {
      commit.added = [];
      commit.removed = [];
      commit.modified = ["README.md"];
    }
    await workspace.write("event.json", JSON.stringify(payload));
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true" },
      env: push(path.join(workspace.dir, "event.json")),
    });
    expect(result.code).toBe(0);
    expect(result.outputs.avatars).toBe("[]");
    expect(result.outputs["avatar-id"]).toBeUndefined();
    expect(sandbox.requests).toEqual([]);
    expect(result.stdout).toContain("0 of 4 manifest entries affected");
  });

  it("processes every entry on workflow_dispatch and says why", async () => {
    const manifest = await setUp(TEAM);
    const result = await runAction({
      sandbox,
      workspace,
      inputs: { manifest, "changed-only": "true" },
      env: {
        GITHUB_EVENT_NAME: "workflow_dispatch",
        GITHUB_EVENT_PATH: fixture("workflow-dispatch.json"),
      },
    });
    expect(result.code).toBe(0);
    expect(submitted().sort()).toEqual(["Ana", "James", "Li", "Sam"]);
    expect(avatarsOf(result)).toHaveLength(4);
    expect(result.stdout).toContain(
      'changed-only: this run was triggered by "workflow_dispatch", not a push, so every manifest entry is processed.',
    );
  });
});

async function readText(relative: string): Promise<string> {
  return readFileSync(path.join(workspace.dir, relative), "utf8");
}
