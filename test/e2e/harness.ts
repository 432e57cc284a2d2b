// The end-to-end tests' view of a run: the bundle run as the runner runs it (see
// ../support/runner.ts), and every run checked for leaked credentials.
import { expect } from "vitest";
import { type RunOptions, type RunResult, runBundle } from "../support/runner.ts";

export type { RunOptions, RunResult, Workspace } from "../support/runner.ts";
export { BUNDLE, makeWorkspace, mp4Bytes, parseOutputs } from "../support/runner.ts";

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
