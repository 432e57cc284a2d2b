// The end-to-end tests' view of a run: the bundle run as the runner runs it (see
// ../support/runner.ts), every run checked for leaked credentials, and the generate action's
// runs against an approved avatar with fast polls.
import { createHash } from "node:crypto";
import { expect, type TestContext } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import {
  GENERATE_BUNDLE,
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

export interface GenerateSetup {
  sandbox: Sandbox;
  workspace: Workspace;
  avatarId: string;
  /** Runs the generate bundle; `extra` adds run options (env, measureRss, signal). */
  generate(inputs: Record<string, string>, extra?: Partial<RunOptions>): Promise<RunResult>;
}

export async function setupGenerate(
  context: TestContext,
  options?: SandboxOptions,
): Promise<GenerateSetup> {
  const { sandbox, workspace } = await setup(context, options);
  const avatarId = sandbox.seed({ creator_name: "James" }).id;
  const generate = (inputs: Record<string, string>, extra: Partial<RunOptions> = {}) =>
    runAction({
      ...extra,
      bundle: GENERATE_BUNDLE,
      sandbox,
      workspace,
      inputs: {
        "avatar-id": avatarId,
        "poll-interval": "20ms",
        "max-poll-interval": "50ms",
        ...inputs,
      },
    });
  return { sandbox, workspace, avatarId, generate };
}

/** The `lipsync-sha256:` fingerprint of a one-scene request, its canonical JSON written out by hand. */
export function requestFingerprintOf(
  avatarId: string,
  script: string,
  { aspect = "9x16", model = "standard", voiceId = "" } = {},
): string {
  const voice = voiceId ? `,"voice_id":${JSON.stringify(voiceId)}` : "";
  const canonical =
    `{"aspect_ratio":"${aspect}","model_version":"${model}","video_inputs":[{"character":` +
    `{"avatar_id":"${avatarId}","type":"avatar"},"voice":{"input_text":${JSON.stringify(script)},"type":"text"${voice}}}]}`;
  return `lipsync-sha256:${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;
}

export const creates = (sandbox: Sandbox) =>
  sandbox.requests.filter((r) => r.method === "POST" && r.path === "/api/lipsyncs_v2/");
