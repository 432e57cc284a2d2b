// `npm run bench -- --videos`: the generate bundle over one video file, then over ten, against
// the in-repo sandbox, side by side in one run. Every job takes the same walk of statuses, so a
// run that waits for its videos together takes about one video's time, and one that waits for
// them in turn takes ten. Reports the medians and their ratio; the machine's noise moves both
// sides alike, so the ratio is the figure to quote, not the seconds.
import { startSandbox } from "../test/sandbox/server.ts";
import { GENERATE_BUNDLE, makeWorkspace, runBundle } from "../test/support/runner.ts";

const WALK = ["pending", "running", "running", "running", "done"];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/** Wall seconds of one generate run over `count` video files, all for one approved avatar. */
async function timeRun(count: number): Promise<number> {
  const sandbox = await startSandbox({ lipsync: { statuses: WALK } });
  const workspace = await makeWorkspace();
  try {
    sandbox.seed({ creator_name: "James" });
    for (let i = 0; i < count; i++) {
      await workspace.write(`videos/v${i}.yml`, `avatar: James\nscript: Video number ${i}.\n`);
    }
    const started = performance.now();
    const result = await runBundle({
      sandbox,
      workspace,
      bundle: GENERATE_BUNDLE,
      inputs: {
        videos: "videos/*.yml",
        "max-parallel": String(count),
        "poll-interval": "1s",
        "max-poll-interval": "1s",
      },
      timeoutMs: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0)
      throw new Error(`${count} videos: exit ${result.code}\n${result.stdout}`);
    return seconds;
  } finally {
    await sandbox.close();
    await workspace.remove();
  }
}

/** Alternates the two sides `runs` times and prints the comparison. */
export async function benchVideos(runs: number): Promise<void> {
  const one: number[] = [];
  const ten: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(await timeRun(1));
    ten.push(await timeRun(10));
    process.stderr.write(
      `run ${i + 1}: one ${one.at(-1)?.toFixed(2)} s, ten ${ten.at(-1)?.toFixed(2)} s\n`,
    );
  }
  const [a, b] = [median(one), median(ten)];
  console.log(`videos waited together (${runs} runs per side, medians):`);
  console.log(`  one video   ${a.toFixed(2)} s`);
  console.log(
    `  ten videos  ${b.toFixed(2)} s  = ${(b / a).toFixed(2)}x one (in turn would be ~10x)`,
  );
}
