// `npm run local-action [env file]`: both actions' `run()` run by @github/local-action, the
// toolkit's stand-in for the runner, against the in-repo sandbox in a temporary workspace.
// 1. The avatar action (src/avatar/main.ts) with the inputs of .env.example (or the file given)
//    and a sample video; the sandbox approves the avatar while the step waits.
// 2. The generate action (src/generate/main.ts) makes a video with that avatar from a script.
// 3. The generate action again with an input it refuses: the step fails with the input's name.
// Prints what local-action prints, and fails unless each run shows what it must: the outputs
// table with the avatar's or the video's id, and the failing run's error line, without a crash.
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";
import { startSandbox } from "../test/sandbox/server.ts";
import { makeWorkspace } from "../test/support/runner.ts";

const root = path.resolve(import.meta.dirname, "..");
const envFile = path.resolve(process.argv[2] ?? path.join(root, ".env.example"));
const text = await readFile(envFile, "utf8");
const given = parseEnv(text);
const video = given.INPUT_VIDEO || "avatars/james/lipsync.mp4";

// A free port rather than the file's: CI and a sandbox started by hand may hold that one.
const sandbox = await startSandbox({
  statuses: ["processing", "reviewing", "done"],
  ...(given["INPUT_API-ID"] && { apiId: given["INPUT_API-ID"] }),
  ...(given["INPUT_API-KEY"] && { apiKey: given["INPUT_API-KEY"] }),
});
const workspace = await makeWorkspace();
const failures: string[] = [];
try {
  await workspace.video(video, 5 * 1024 * 1024);
  const script = await workspace.write("avatars/james/script.txt", "Hi, I'm James.\n");
  const runner = {
    "INPUT_BASE-URL": sandbox.url,
    GITHUB_WORKSPACE: workspace.dir,
    GITHUB_STEP_SUMMARY: path.join(workspace.dir, "summary.md"),
  };
  console.log(`Sandbox at ${sandbox.url}; workspace ${workspace.dir}; inputs from ${envFile}\n`);

  // dotenv keeps the last of repeated names: the file's lines, then this run's.
  const avatar = await localAction("avatar", ".", "src/avatar/main.ts", text, runner);
  const avatarId = sandbox.personas[0]?.id;
  expectOutputs("the avatar", avatar, avatarId);

  const generate = {
    "INPUT_API-ID": sandbox.apiId,
    "INPUT_API-KEY": sandbox.apiKey,
    "INPUT_AVATAR-ID": avatarId ?? "",
    "INPUT_SCRIPT-FILE": script,
    "INPUT_ASPECT-RATIO": "16x9",
    "INPUT_POLL-INTERVAL": "1s",
    "INPUT_WAIT-TIMEOUT": "1m",
    INPUT_DOWNLOAD: "out/james.mp4",
    ...runner,
  };
  const made = await localAction("video", "generate", "../src/generate/main.ts", "", generate);
  expectOutputs("the video", made, sandbox.lipsync.jobs[0]?.id);

  const refused = { ...generate, "INPUT_ASPECT-RATIO": "4x3" };
  console.log(
    "\nNext, a refused input: the step fails, and local-action's launcher prints its exit status 1" +
      ' as "Error: Command failed" with a stack; that is the failed step, not a crash.',
  );
  const failed = await localAction("refused", "generate", "../src/generate/main.ts", "", refused);
  if (failed.code !== 1 || !failed.printed.includes('::error::Input "aspect-ratio"')) {
    failures.push("the refused input did not fail the step with its message");
  }
} finally {
  await sandbox.close();
  await workspace.remove();
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`local-action: ${failure}`);
  process.exitCode = 1;
}

interface Printed {
  readonly code: number | null;
  readonly printed: string;
}

/** A run that must succeed and show its outputs table with `id` in it. */
function expectOutputs(what: string, run: Printed, id: string | undefined): void {
  const outputs = run.printed.slice(run.printed.lastIndexOf("Action Outputs"));
  if (run.code !== 0 || !id || !outputs.includes(`'${id}'`)) {
    failures.push(`${what}: no outputs table with its id (exit code ${run.code})`);
  }
}

/**
 * Runs local-action from node_modules on the action in `actionDir` with the inputs of `text`
 * and `vars`, its output shown as it comes and returned. A crash (an uncaught error) counts
 * as a failure here whatever the exit code.
 */
async function localAction(
  name: string,
  actionDir: string,
  entry: string,
  text: string,
  vars: Record<string, string>,
): Promise<Printed> {
  const env = path.join(root, ".tmp", `local-action.${name}.env`);
  await mkdir(path.dirname(env), { recursive: true });
  const lines = Object.entries(vars).map(([key, value]) => `${key}=${value}`);
  await writeFile(env, `${text}\n${lines.join("\n")}\n`);
  console.log(`\n=== local-action run ${actionDir} ${entry}\n`);
  const bin = path.join(root, "node_modules", ".bin", "local-action");
  const child = spawn(bin, ["run", path.join(root, actionDir), entry, env], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // local-action stubs @actions/core at the path `npm ls` names; a node_modules that is a
    // symlink (a git worktree's) would otherwise resolve to its real path, out of the stub's reach.
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --preserve-symlinks` },
  });
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    errors.push(chunk);
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  const printed = Buffer.concat(chunks).toString("utf8");
  const crash = /^\w*Error: .*$/m.exec(Buffer.concat(errors).toString("utf8"));
  if (crash) failures.push(`${name}: the action crashed: ${crash[0]}`);
  return { code, printed };
}
