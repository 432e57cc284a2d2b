/**
 * Which of some files changed since the last successful run of this workflow on this branch.
 *
 * A push's own commits are not enough: GitHub cancels a pending run when a newer one joins its
 * concurrency group, and a run can fail, and the commits of such a run would never be looked at.
 * So the base is the head commit of the newest successful run of the same workflow file on the
 * same branch (for the same event), compared with this run's commit. Whenever that base cannot be
 * had or trusted, the answer is "all, because …": reuse makes considering everything safe, it only
 * costs hashing. The decisions are pure; `githubReads` is the I/O, through `@actions/github`.
 */
import { messageOf } from "../errors.js";

/** Where this run stands, from the runner's variables. */
export interface RunPlace {
  readonly owner: string;
  readonly repo: string;
  /** The workflow's file name, e.g. `avatars.yml`; the runs API takes it as the workflow id. */
  readonly workflow: string;
  readonly branch: string;
  readonly event: string;
  /** This run's commit. */
  readonly head: string;
}

/** A workflow run as the runs listing answers it (the fields this needs). */
export interface WorkflowRun {
  readonly id: number;
  readonly run_number?: number;
  readonly head_sha: string;
  readonly html_url?: string;
}

/** The compare API's answer (the fields this needs). */
export interface Comparison {
  readonly status: string;
  readonly files?: readonly { readonly filename: string; readonly status: string }[];
}

/** The two reads, injected so the decisions are tested without GitHub. */
export interface GitHubReads {
  /** Successful runs of `place.workflow` on `place.branch` for `place.event`, newest first. */
  successfulRuns(place: RunPlace): Promise<readonly WorkflowRun[]>;
  compare(place: RunPlace, base: string): Promise<Comparison>;
}

export type Changes =
  | {
      readonly kind: "files";
      /** The paths of interest that were added or modified since the base. */
      readonly files: ReadonlySet<string>;
      /** The base, for the log: its commit and its run. */
      readonly base: string;
    }
  | { readonly kind: "all"; readonly reason: string };

/** The compare API lists at most this many files: at it, some may be missing. */
const COMPARE_FILE_LIMIT = 300;
const PERMISSIONS = '"github-token" needs "actions: read" and "contents: read"';

/** The run's place from GITHUB_* variables, or why there is none (a local run, a tag, a pull request). */
export function placeOf(env: NodeJS.ProcessEnv): RunPlace | { readonly reason: string } {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  // owner/repo/.github/workflows/avatars.yml@refs/heads/main
  const workflow = /\/\.github\/workflows\/([^/@]+)@/.exec(env.GITHUB_WORKFLOW_REF ?? "")?.[1];
  const head = env.GITHUB_SHA ?? "";
  if (!owner || !repo || !workflow || !head) {
    return {
      reason:
        "this is not a GitHub Actions run (GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF or GITHUB_SHA is not set)",
    };
  }
  const ref = env.GITHUB_REF ?? "";
  if (!ref.startsWith("refs/heads/")) {
    return { reason: `this run is not on a branch (${ref || "GITHUB_REF is not set"})` };
  }
  const branch = env.GITHUB_REF_NAME || ref.slice("refs/heads/".length);
  return { owner, repo, workflow, branch, event: env.GITHUB_EVENT_NAME ?? "", head };
}

/** The newest successful run is the base; none means every file counts. */
export function baseOf(
  runs: readonly WorkflowRun[],
  place: RunPlace,
): { readonly sha: string; readonly describe: string } | { readonly reason: string } {
  const run = runs[0];
  if (!run) {
    return { reason: `no earlier run of ${place.workflow} on ${place.branch} succeeded` };
  }
  const name = `run #${run.run_number ?? run.id}${run.html_url ? ` (${run.html_url})` : ""}`;
  return {
    sha: run.head_sha,
    describe: `${run.head_sha.slice(0, 7)}, the commit of ${name}, the last successful run of ${place.workflow} on ${place.branch}`,
  };
}

/** What a comparison of the base with this run's commit says about the paths of interest. */
export function changesFrom(
  comparison: Comparison,
  base: { readonly sha: string; readonly describe: string },
  paths: readonly string[],
): Changes {
  if (comparison.status !== "ahead" && comparison.status !== "identical") {
    // "behind" or "diverged": the base is not in this run's history (a force push, a re-run
    // of an older commit), so what lies between them says nothing about what was submitted.
    return {
      kind: "all",
      reason: `the last successful run's commit ${base.sha.slice(0, 7)} is not an ancestor of this commit (compare says "${comparison.status}"; a force push?)`,
    };
  }
  const files = comparison.files ?? [];
  if (files.length >= COMPARE_FILE_LIMIT) {
    return {
      kind: "all",
      reason: `${COMPARE_FILE_LIMIT} or more files changed since ${base.sha.slice(0, 7)}, more than the compare API lists`,
    };
  }
  const changed = new Set(
    files.filter((file) => file.status !== "removed").map((file) => file.filename),
  );
  return {
    kind: "files",
    files: new Set(paths.filter((file) => changed.has(file))),
    base: base.describe,
  };
}

/** Which of `paths` changed since the last successful run, or why every one counts. */
export async function changedSince(
  paths: readonly string[],
  env: NodeJS.ProcessEnv,
  reads: GitHubReads | { readonly reason: string },
): Promise<Changes> {
  const place = placeOf(env);
  if ("reason" in place) return { kind: "all", reason: place.reason };
  if ("reason" in reads) return { kind: "all", reason: reads.reason };
  let runs: readonly WorkflowRun[];
  try {
    runs = await reads.successfulRuns(place);
  } catch (error) {
    return { kind: "all", reason: refused("the workflow runs", place, error) };
  }
  const base = baseOf(runs, place);
  if ("reason" in base) return { kind: "all", reason: base.reason };
  try {
    return changesFrom(await reads.compare(place, base.sha), base, paths);
  } catch (error) {
    return {
      kind: "all",
      reason: refused(`the commits since ${base.sha.slice(0, 7)}`, place, error),
    };
  }
}

function refused(what: string, place: RunPlace, error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const http = typeof status === "number" ? `HTTP ${status}: ` : "";
  const hint = status === 401 || status === 403 || status === 404 ? `; ${PERMISSIONS}` : "";
  return `GitHub's API did not list ${what} of ${place.owner}/${place.repo} (${http}${messageOf(error)})${hint}`;
}

type Octokit = ReturnType<typeof import("@actions/github").getOctokit>;

/** The reads through `@actions/github` (GITHUB_API_URL), loaded at the first read. */
export function githubReads(token: string): GitHubReads | { readonly reason: string } {
  if (!token) return { reason: '"github-token" is empty, so GitHub\'s API cannot be read' };
  let octokit: Promise<Octokit> | undefined;
  const client = () => {
    octokit ??= import("@actions/github").then(({ getOctokit }) => getOctokit(token));
    return octokit;
  };
  return {
    async successfulRuns(place) {
      const { data } = await (await client()).rest.actions.listWorkflowRuns({
        owner: place.owner,
        repo: place.repo,
        workflow_id: place.workflow,
        branch: place.branch,
        status: "success",
        ...(place.event ? { event: place.event } : {}),
        per_page: 1,
      });
      return data.workflow_runs;
    },
    async compare(place, base) {
      // Only the first page lists files (up to 300); later pages only add commits.
      const { data } = await (await client()).rest.repos.compareCommitsWithBasehead({
        owner: place.owner,
        repo: place.repo,
        basehead: `${base}...${place.head}`,
        per_page: 1,
      });
      return data;
    },
  };
}
