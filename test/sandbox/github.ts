// Enough of GitHub's REST API for changed-only batch runs: a repository's linear history and its
// workflow runs, answered through the runs listing and the compare endpoint, so GITHUB_API_URL can
// point at the sandbox.

import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { drain } from "./body.ts";
import { json } from "./reply.ts";
import type { GitHubRepo, RecordedRequest, Reply } from "./types.ts";

const COMPARE = /^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/;
const RUNS = /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/([^/]+)\/runs$/;

export function isGitHubPath(path: string): boolean {
  return path.startsWith("/repos/");
}

export async function githubRoute(
  req: IncomingMessage,
  rec: RecordedRequest,
  repo: GitHubRepo,
): Promise<Reply> {
  await drain(req, rec);
  if (rec.method !== "GET" || !rec.headers.authorization) return notFound();
  const workflow = RUNS.exec(rec.path)?.[1];
  if (workflow !== undefined) {
    if (repo.refuseRuns) {
      return json(403, {
        message: "Resource not accessible by integration",
        documentation_url:
          "https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow",
        status: "403",
      });
    }
    return runs(repo, decodeURIComponent(workflow), rec.query);
  }
  const basehead = COMPARE.exec(rec.path)?.[1];
  const [base, head] = decodeURIComponent(basehead ?? "").split("...");
  if (!base || !head) return notFound();
  return compare(repo, base, head);
}

const notFound = () => json(404, { message: "Not Found", status: "404" });

/** Newest first, filtered as GitHub filters: `status=success` means the conclusion. */
function runs(repo: GitHubRepo, workflow: string, query: Record<string, string>): Reply {
  const matching = repo.runs
    .filter((run) => run.workflow === workflow)
    .filter((run) => !query.branch || run.branch === query.branch)
    .filter((run) => !query.event || run.event === query.event)
    .filter((run) => !query.status || run.conclusion === query.status)
    .sort((a, b) => b.id - a.id);
  const perPage = Number(query.per_page ?? 30);
  return json(200, {
    total_count: matching.length,
    workflow_runs: matching.slice(0, perPage).map((run) => ({
      id: run.id,
      run_number: run.id,
      head_sha: run.sha,
      head_branch: run.branch,
      event: run.event,
      path: `.github/workflows/${run.workflow}`,
      status: "completed",
      conclusion: run.conclusion,
      html_url: `https://github.com/o/r/actions/runs/${run.id}`,
    })),
  });
}

/** `sha` and its ancestors, newest first; undefined for an unknown commit. */
function lineOf(repo: GitHubRepo, sha: string) {
  const bySha = new Map(repo.commits.map((commit) => [commit.sha, commit]));
  const line = [];
  for (let commit = bySha.get(sha); commit; commit = bySha.get(commit.parent ?? "")) {
    line.push(commit);
  }
  return line.length > 0 ? line : undefined;
}

function compare(repo: GitHubRepo, base: string, head: string): Reply {
  const baseLine = lineOf(repo, base);
  const headLine = lineOf(repo, head);
  if (!baseLine || !headLine) return notFound();
  const ahead = headLine.findIndex((commit) => commit.sha === base);
  const behind = baseLine.findIndex((commit) => commit.sha === head);
  const status =
    ahead === 0 ? "identical" : ahead > 0 ? "ahead" : behind > 0 ? "behind" : "diverged";
  // Oldest first, so a later commit's status for a file wins.
  const files = new Map<string, { filename: string; status: string }>();
  for (const commit of headLine.slice(0, Math.max(ahead, 0)).reverse()) {
    for (const file of commit.files) files.set(file.filename, file);
  }
  return json(200, {
    status,
    ahead_by: Math.max(ahead, 0),
    behind_by: Math.max(behind, 0),
    total_commits: Math.max(ahead, 0),
    commits: [],
    files: [...files.values()].map((f) => ({
      sha: createHash("sha1").update(f.filename).digest("hex"),
      additions: 0,
      deletions: 0,
      changes: 0,
      ...f,
    })),
  });
}
