import { describe, expect, it, vi } from "vitest";
import {
  baseOf,
  type Comparison,
  changedSince,
  changesFrom,
  type GitHubReads,
  placeOf,
  type RunPlace,
  type WorkflowRun,
} from "../../src/github/changes.ts";

/** A push to main, as the runner describes it. */
const ENV = {
  GITHUB_REPOSITORY: "acme/brand",
  GITHUB_WORKFLOW_REF: "acme/brand/.github/workflows/avatars.yml@refs/heads/main",
  GITHUB_REF: "refs/heads/main",
  GITHUB_REF_NAME: "main",
  GITHUB_EVENT_NAME: "push",
  GITHUB_SHA: "c".repeat(40),
};
const PLACE: RunPlace = {
  owner: "acme",
  repo: "brand",
  workflow: "avatars.yml",
  branch: "main",
  event: "push",
  head: "c".repeat(40),
};
const RUN: WorkflowRun = {
  id: 901,
  run_number: 12,
  head_sha: "a".repeat(40),
  html_url: "https://github.com/acme/brand/actions/runs/901",
};
const BASE = { sha: RUN.head_sha, describe: "the base" };
const PATHS = ["avatars/james.mp4", "avatars/ana.mp4", "avatars/li.mp4"];

describe("placeOf", () => {
  it.each([
    { name: "a push to main", env: ENV, place: PLACE },
    {
      name: "a branch with a slash, named by GITHUB_REF alone",
      env: { ...ENV, GITHUB_REF: "refs/heads/team/x", GITHUB_REF_NAME: "" },
      place: { ...PLACE, branch: "team/x" },
    },
    {
      name: "a reusable workflow's caller",
      env: {
        ...ENV,
        GITHUB_WORKFLOW_REF: "acme/brand/.github/workflows/caller.yaml@refs/heads/main",
      },
      place: { ...PLACE, workflow: "caller.yaml" },
    },
    {
      name: "a local run",
      env: {},
      place: { reason: expect.stringContaining("not a GitHub Actions run") },
    },
    {
      name: "a run without GITHUB_WORKFLOW_REF",
      env: { ...ENV, GITHUB_WORKFLOW_REF: "" },
      place: { reason: expect.stringContaining("GITHUB_WORKFLOW_REF") },
    },
    {
      name: "a tag",
      env: { ...ENV, GITHUB_REF: "refs/tags/v1", GITHUB_REF_NAME: "v1" },
      place: { reason: "this run is not on a branch (refs/tags/v1)" },
    },
    {
      name: "a pull request",
      env: { ...ENV, GITHUB_REF: "refs/pull/7/merge", GITHUB_EVENT_NAME: "pull_request" },
      place: { reason: "this run is not on a branch (refs/pull/7/merge)" },
    },
  ])("$name", ({ env, place }) => {
    expect(placeOf(env)).toEqual(place);
  });
});

describe("baseOf", () => {
  it("takes the newest successful run's commit and names the run", () => {
    const base = baseOf([RUN, { id: 800, head_sha: "b".repeat(40) }], PLACE);
    expect(base).toEqual({
      sha: RUN.head_sha,
      describe:
        "aaaaaaa, the commit of run #12 (https://github.com/acme/brand/actions/runs/901), the last successful run of avatars.yml on main",
    });
  });

  it("names a run without a number or address by its id", () => {
    expect(baseOf([{ id: 5, head_sha: "d".repeat(40) }], PLACE)).toMatchObject({
      describe: expect.stringMatching(/^ddddddd, the commit of run #5, /),
    });
  });

  it("has none when no run succeeded yet", () => {
    expect(baseOf([], PLACE)).toEqual({
      reason: "no earlier run of avatars.yml on main succeeded",
    });
  });
});

describe("changesFrom", () => {
  const file = (filename: string, status = "modified") => ({ filename, status });
  it.each([
    {
      name: "ahead: the added and modified paths of interest",
      comparison: {
        status: "ahead",
        files: [
          file("avatars/ana.mp4"),
          file("avatars/li.mp4", "added"),
          file("avatars/james.mp4", "removed"),
          file("README.md"),
        ],
      },
      files: ["avatars/ana.mp4", "avatars/li.mp4"],
    },
    {
      name: "ahead: a renamed video under its new name",
      comparison: { status: "ahead", files: [file("avatars/li.mp4", "renamed")] },
      files: ["avatars/li.mp4"],
    },
    { name: "identical: nothing", comparison: { status: "identical", files: [] }, files: [] },
    { name: "ahead without a files list: nothing", comparison: { status: "ahead" }, files: [] },
    {
      name: "diverged (a force push): all",
      comparison: { status: "diverged", files: [file("avatars/ana.mp4")] },
      reason: /commit aaaaaaa is not an ancestor of this commit \(compare says "diverged"/,
    },
    {
      name: "behind (an older commit run again): all",
      comparison: { status: "behind", files: [] },
      reason: /not an ancestor .*"behind"/,
    },
    {
      name: "300 files, as many as the API lists: all",
      comparison: {
        status: "ahead",
        files: Array.from({ length: 300 }, (_, i) => file(`f${i}`)),
      },
      reason: /^300 or more files changed since aaaaaaa/,
    },
  ] as { name: string; comparison: Comparison; files?: string[]; reason?: RegExp }[])(
    "$name",
    ({ comparison, files, reason }) => {
      const changes = changesFrom(comparison, BASE, PATHS);
      if (reason) expect(changes).toEqual({ kind: "all", reason: expect.stringMatching(reason) });
      else expect(changes).toEqual({ kind: "files", files: new Set(files), base: "the base" });
    },
  );
});

describe("changedSince", () => {
  const reads = (over: Partial<GitHubReads> = {}): GitHubReads => ({
    successfulRuns: vi.fn(async () => [RUN]),
    compare: vi.fn(async () => ({
      status: "ahead",
      files: [{ filename: "avatars/li.mp4", status: "added" }],
    })),
    ...over,
  });
  const httpError = (status: number, message: string) =>
    Object.assign(new Error(message), { status });

  it("compares the last successful run's commit with this run's", async () => {
    const github = reads();
    const changes = await changedSince(PATHS, ENV, github);
    expect(changes).toMatchObject({ kind: "files", files: new Set(["avatars/li.mp4"]) });
    expect(github.successfulRuns).toHaveBeenCalledWith(PLACE);
    expect(github.compare).toHaveBeenCalledWith(PLACE, RUN.head_sha);
  });

  it.each([
    {
      name: "the runs listing refused (no actions: read)",
      over: {
        successfulRuns: async () =>
          Promise.reject(httpError(403, "Resource not accessible by integration")),
      },
      reason:
        'GitHub\'s API did not list the workflow runs of acme/brand (HTTP 403: Resource not accessible by integration); "github-token" needs "actions: read" and "contents: read"',
    },
    {
      name: "the compare API failing",
      over: { compare: async () => Promise.reject(httpError(502, "Bad Gateway")) },
      reason:
        "GitHub's API did not list the commits since aaaaaaa of acme/brand (HTTP 502: Bad Gateway)",
    },
    {
      name: "a network error",
      over: { successfulRuns: async () => Promise.reject(new Error("getaddrinfo ENOTFOUND")) },
      reason: "GitHub's API did not list the workflow runs of acme/brand (getaddrinfo ENOTFOUND)",
    },
    {
      name: "no successful run",
      over: { successfulRuns: async () => [] },
      reason: "no earlier run of avatars.yml on main succeeded",
    },
  ] as { name: string; over: Partial<GitHubReads>; reason: string }[])(
    "considers all on $name",
    async ({ over, reason }) => {
      expect(await changedSince(PATHS, ENV, reads(over))).toEqual({ kind: "all", reason });
    },
  );

  it("asks nothing when the run has no place or no token", async () => {
    const github = reads();
    expect(await changedSince(PATHS, {}, github)).toMatchObject({ kind: "all" });
    expect(await changedSince(PATHS, ENV, { reason: "no token" })).toEqual({
      kind: "all",
      reason: "no token",
    });
    expect(github.successfulRuns).not.toHaveBeenCalled();
  });
});
