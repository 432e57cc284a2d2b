// `npm run demo`: the committed bundle, run as the GitHub runner runs it, against the
// in-repo sandbox of Creatify's API, with a generated sample video. No account needed.
import { startSandbox } from "../test/sandbox/server.ts";
import { makeWorkspace, runBundle } from "../test/support/runner.ts";

const sandbox = await startSandbox({ statuses: ["processing", "reviewing", "done"] });
const workspace = await makeWorkspace();
try {
  const video = await workspace.video("avatars/james/lipsync.mp4", 5 * 1024 * 1024);
  const inputs = {
    video,
    "creator-name": "James",
    gender: "m",
    "video-scene": "office",
    labels: "demo",
    wait: "true",
    "poll-interval": "1s",
    "wait-timeout": "1m",
  };
  console.log(`Sandbox at ${sandbox.url}; workspace ${workspace.dir}`);
  console.log(`Running dist/index.js with ${JSON.stringify(inputs)}\n`);
  const result = await runBundle({
    sandbox,
    workspace,
    inputs,
    onStdout: (chunk) => process.stdout.write(chunk),
  });
  process.stderr.write(result.stderr);
  console.log("\nOutputs (GITHUB_OUTPUT):");
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name} = ${value}`);
  console.log("\nJob summary (GITHUB_STEP_SUMMARY):\n");
  console.log(result.summary);
  console.log(
    `Requests the sandbox saw: ${sandbox.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`,
  );
  process.exitCode = result.code ?? 1;
} finally {
  await sandbox.close();
  await workspace.remove();
}
