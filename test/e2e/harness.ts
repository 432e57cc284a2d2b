// The end-to-end tests' view of a run: the bundle run as the runner runs it (see
// ../support/runner.ts), and every run checked for leaked credentials.
import { createHash } from "node:crypto";
import { expect, type TestContext } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import {
  makeWorkspace,
  type RunOptions,
  type RunResult,
  runBundle,
  type Workspace,
} from "../support/runner.ts";

export type { RunOptions, RunResult, Workspace } from "../support/runner.ts";
export {
  BUNDLE,
  GENERATE_BUNDLE,
  makeWorkspace,
  mp4Bytes,
  parseOutputs,
} from "../support/runner.ts";

/** A sandbox and a workspace for one test, closed when it ends (the test's own hook: tests may run concurrently). */
export async function setup(
  { onTestFinished }: TestContext,
  options?: SandboxOptions,
): Promise<{ sandbox: Sandbox; workspace: Workspace }> {
  const sandbox = await startSandbox(options);
  const workspace = await makeWorkspace();
  onTestFinished(async () => {
    await sandbox.close();
    await workspace.remove();
  });
  return { sandbox, workspace };
}

/** The `video-sha256:` fingerprint, computed here from the bytes so that a wrong hash in the action cannot agree with itself. */
export const fingerprintOf = (content: Buffer | string) =>
  `video-sha256:${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;

/** Runs the bundle and fails the test if a credential shows anywhere but `::add-mask::`. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const result = await runBundle(options);
  expectNoLeak(result, result.secrets);
  if (options.sandbox) expectNoLeak(result, [options.sandbox.apiKey, options.sandbox.apiId], false);
  return result;
}
/** A credential may appear only in the runner's own `::add-mask::` command. */
export function expectNoLeak(result: RunResult, secrets: string[], masked = true): void {
  const visible = [
    result.stdout
      .split("\n")
      .filter((line) => !line.startsWith("::add-mask::"))
      .join("\n"),
    result.stderr,
    JSON.stringify(result.outputs),
    result.summary,
  ].join("\n");
  for (const secret of secrets) {
    expect(visible, "a credential leaked").not.toContain(secret);
    if (masked) expect(result.stdout, "credentials are masked").toContain(`::add-mask::${secret}`);
  }
}

/** The `::error::` lines of a run, i.e. what the user sees as the failure. */
export function errorLines(result: RunResult): string[] {
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("::error"))
    .map((line) => line.replace(/^::error[^:]*::/, ""));
}

/**
 * The runner's variables for a run of avatars.yml pushed to main at `sha`, with GitHub's API (the
 * runs listing and compare, for changed-only) answered by the sandbox: see `Sandbox.setGitHub`.
 */
export function pushRun(sandbox: Sandbox, sha: string): Record<string, string> {
  return {
    GITHUB_API_URL: sandbox.url,
    GITHUB_REPOSITORY: "o/r",
    GITHUB_WORKFLOW_REF: "o/r/.github/workflows/avatars.yml@refs/heads/main",
    GITHUB_REF: "refs/heads/main",
    GITHUB_REF_NAME: "main",
    GITHUB_EVENT_NAME: "push",
    GITHUB_SHA: sha,
  };
}
