// `npm run demo`: the committed bundles, run as the GitHub runner runs them, against the
// in-repo sandbox of Creatify's API, with a generated sample video. No account needed. Two
// steps, as a workflow chains them: the avatar action (dist/index.js) submits the video and
// waits for approval, then the generate action (dist/generate/index.js) makes a video with it
// from a committed script and downloads the MP4. Then videos as code: a committed video file,
// previewed as a pull request would, and rendered from that preview as a push to main would.
import { stat } from "node:fs/promises";
import path from "node:path";
import { startSandbox } from "../test/sandbox/server.ts";
import {
  GENERATE_BUNDLE,
  makeWorkspace,
  type RunResult,
  runBundle,
  type Workspace,
} from "../test/support/runner.ts";

const sandbox = await startSandbox({ statuses: ["processing", "reviewing", "done"] });
const workspace = await makeWorkspace();

async function step(
  title: string,
  inputs: Record<string, string>,
  space: Workspace,
  bundle?: string,
): Promise<RunResult> {
  console.log(`\n=== ${title}: ${path.relative(process.cwd(), bundle ?? "dist/index.js")}`);
  console.log(`inputs ${JSON.stringify(inputs)}\n`);
  const result = await runBundle({
    sandbox,
    workspace: space,
    inputs,
    ...(bundle && { bundle }),
    onStdout: (chunk) => process.stdout.write(chunk),
  });
  process.stderr.write(result.stderr);
  console.log("\nOutputs (GITHUB_OUTPUT):");
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name} = ${value}`);
  console.log("\nJob summary (GITHUB_STEP_SUMMARY):\n");
  console.log(result.summary);
  return result;
}

try {
  console.log(`Sandbox at ${sandbox.url}; workspace ${workspace.dir}`);
  const video = await workspace.video("avatars/james/lipsync.mp4", 5 * 1024 * 1024);
  await workspace.write(
    "avatars/james/script.txt",
    "Hi, I'm James.\nEvery push of this script becomes a video, and a re-run never pays twice.\n",
  );
  const avatar = await step(
    "Step 1, the avatar",
    {
      video,
      "creator-name": "James",
      gender: "m",
      "video-scene": "office",
      labels: "demo",
      wait: "true",
      "poll-interval": "1s",
      "wait-timeout": "1m",
    },
    workspace,
  );
  const avatarId = avatar.outputs["avatar-id"];
  if (avatar.code !== 0 || !avatarId) throw new Error("the avatar step failed");
  const generated = await step(
    "Step 2, the video",
    {
      "avatar-id": avatarId,
      "script-file": "avatars/james/script.txt",
      "aspect-ratio": "16x9",
      "poll-interval": "1s",
      download: "out/james.mp4",
    },
    workspace,
    GENERATE_BUNDLE,
  );
  const file = generated.outputs.file;
  if (file)
    console.log(`Wrote ${file}: ${(await stat(path.join(workspace.dir, file))).size} bytes`);
  await workspace.write(
    "videos/welcome.yml",
    "name: Welcome\navatar: James\naspect-ratio: 16x9\nscript: Welcome aboard. This video was reviewed as a preview first.\n",
  );
  const files = { videos: "videos/*.yml", "poll-interval": "1s" };
  const previewed = await step(
    "Step 3, a video file previewed (a pull request)",
    { ...files, mode: "preview" },
    workspace,
    GENERATE_BUNDLE,
  );
  const rendered = await step(
    "Step 4, the same file rendered from its preview (a push to main)",
    { ...files, "download-dir": "out" },
    workspace,
    GENERATE_BUNDLE,
  );
  console.log(
    `\nRequests the API saw: ${sandbox.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`,
  );
  console.log(
    `Requests the video host saw: ${sandbox.lipsync.videoRequests.map((r) => r.path).join(", ")}`,
  );
  process.exitCode = [generated, previewed, rendered].every((run) => run.code === 0) ? 0 : 1;
} finally {
  await sandbox.close();
  await workspace.remove();
}
