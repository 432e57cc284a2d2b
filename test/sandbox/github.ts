// Enough of GitHub's REST API for changed-only batch runs: the compare endpoint, answered from
// whatever the test set, so GITHUB_API_URL can point at the sandbox.

import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { drain } from "./body.ts";
import { json } from "./reply.ts";
import type { CompareFile, RecordedRequest, Reply } from "./types.ts";

const COMPARE = /^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/;

export function isGitHubPath(path: string): boolean {
  return path.startsWith("/repos/");
}

export async function githubRoute(
  req: IncomingMessage,
  rec: RecordedRequest,
  files: CompareFile[],
): Promise<Reply> {
  await drain(req, rec);
  const basehead = COMPARE.exec(rec.path)?.[1];
  if (
    rec.method !== "GET" ||
    basehead === undefined ||
    !decodeURIComponent(basehead).includes("...")
  ) {
    return json(404, { message: "Not Found", status: "404" });
  }
  return json(200, {
    status: "ahead",
    ahead_by: 1,
    behind_by: 0,
    total_commits: 1,
    commits: [],
    files: files.map((f) => ({
      sha: createHash("sha1").update(f.filename).digest("hex"),
      additions: 0,
      deletions: 0,
      changes: 0,
      ...f,
    })),
  });
}
