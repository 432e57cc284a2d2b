/**
 * Which files the triggering push added or modified, from the event payload when
 * it is complete, else from the compare API. Pure but for the injected `compare`.
 */

/** The fields of a push event this needs; the rest of the payload is ignored. */
export interface PushPayload {
  before?: string;
  after?: string;
  size?: number;
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
  repository?: { full_name?: string };
}

export type Changes =
  | { readonly kind: "files"; readonly files: ReadonlySet<string>; readonly source: string }
  | { readonly kind: "all"; readonly reason: string };

/** A file as the compare API lists it. */
export interface ComparedFile {
  readonly filename: string;
  readonly status: string;
  readonly previous_filename?: string;
}

/** Payloads list at most this many commits in some deliveries: at or past it, ask the API. */
const PAYLOAD_COMMIT_LIMIT = 20;
/** The compare API lists at most this many files: at it, some may be missing. */
const COMPARE_FILE_LIMIT = 300;
const NULL_SHA = /^0+$/;

export async function changedFiles(
  eventName: string,
  payload: PushPayload,
  compare: (base: string, head: string) => Promise<ComparedFile[]>,
): Promise<Changes> {
  if (eventName !== "push") {
    const trigger = eventName ? `"${eventName}"` : "an unknown event";
    return { kind: "all", reason: `this run was triggered by ${trigger}, not a push` };
  }
  const commits = payload.commits ?? [];
  const truncated =
    commits.length >= PAYLOAD_COMMIT_LIMIT ||
    (payload.size !== undefined && payload.size > commits.length) ||
    commits.some((commit) => !commit.added || !commit.modified);
  if (!truncated) {
    return { kind: "files", files: filesFromCommits(commits), source: "the push event" };
  }
  const { before, after } = payload;
  if (!before || !after || NULL_SHA.test(before)) {
    return {
      kind: "all",
      reason:
        "the push event lists only part of its commits and has no earlier commit to compare with",
    };
  }
  const compared = await compare(before, after);
  if (compared.length >= COMPARE_FILE_LIMIT) {
    return {
      kind: "all",
      reason: `the push changed ${COMPARE_FILE_LIMIT} or more files, more than the compare API lists`,
    };
  }
  const files = compared.filter((file) => file.status !== "removed");
  return {
    kind: "files",
    files: new Set(files.map((file) => file.filename)),
    source: `the compare API (${before.slice(0, 7)}...${after.slice(0, 7)})`,
  };
}

/** Added or modified by the push's commits in order, so a file removed later does not count. */
function filesFromCommits(commits: NonNullable<PushPayload["commits"]>): Set<string> {
  const files = new Set<string>();
  for (const commit of commits) {
    for (const file of [...(commit.added ?? []), ...(commit.modified ?? [])]) files.add(file);
    for (const file of commit.removed ?? []) files.delete(file);
  }
  return files;
}
