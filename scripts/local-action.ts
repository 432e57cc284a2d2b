// `npm run local-action [env file]`: the avatar action's `run()` (src/avatar/main.ts) run by
// @github/local-action, the toolkit's stand-in for the runner, with the inputs of .env.example
// (or the file given), against the in-repo sandbox and a sample video in a temporary workspace.
// Prints what local-action prints, and fails unless it shows the outputs table.
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
try {
  await workspace.video(video, 5 * 1024 * 1024);
  // dotenv keeps the last of repeated names: the file's lines, then this run's.
  const runEnv = path.join(root, ".tmp", "local-action.env");
  await mkdir(path.dirname(runEnv), { recursive: true });
  await writeFile(
    runEnv,
    `${text}\nINPUT_BASE-URL=${sandbox.url}\nGITHUB_WORKSPACE=${workspace.dir}\n` +
      `GITHUB_STEP_SUMMARY=${path.join(workspace.dir, "summary.md")}\n`,
  );
  console.log(`Sandbox at ${sandbox.url}; workspace ${workspace.dir}; inputs from ${envFile}\n`);
  const printed = await localAction(["run", root, "src/avatar/main.ts", runEnv]);
  const outputs = printed.slice(printed.lastIndexOf("Action Outputs"));
  const id = sandbox.personas[0]?.id;
  if (printed.includes("No outputs were set!") || !id || !outputs.includes(`'${id}'`)) {
    console.error("local-action showed no outputs table with the avatar's id");
    process.exitCode = 1;
  }
} finally {
  await sandbox.close();
  await workspace.remove();
}

/** Runs local-action from node_modules, its output shown as it comes and returned. */
function localAction(args: string[]): Promise<string> {
  const bin = path.join(root, "node_modules", ".bin", "local-action");
  const child = spawn(bin, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    process.stdout.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      const printed = Buffer.concat(chunks).toString("utf8");
      if (code === 0) resolve(printed);
      else reject(new Error(`local-action exited with ${code}`));
    });
  });
}
