// The log sink and the output writer over @actions/core, read as the runner reads them: a
// line is one line whatever its text holds, and an output read back from GITHUB_OUTPUT is the
// value that was set.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { actionLog } from "../../src/github/log.ts";
import { StepOutputs } from "../../src/github/outputs.ts";

/** What the step printed, split into lines as the runner splits them (CR too). */
function printed(run: () => void): string[] {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return chunks
    .join("")
    .split(/\r\n|\r|\n/)
    .slice(0, -1);
}

/** GITHUB_OUTPUT read back as the runner reads it: `name<<delimiter`, lines, `delimiter`. */
function outputsIn(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i] as string);
    if (!head) continue;
    const end = lines.indexOf(head[2] as string, i + 1);
    outputs[head[1] as string] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

describe("actionLog", () => {
  const log = actionLog((text) => text.replaceAll("s3cret", "***"));

  it.each([
    ["a plain line", () => log.info("disk is slow"), ["disk is slow"]],
    ["a line break from outside", () => log.info("a\nb\r::error::x"), ["a\\nb\\r::error::x"]],
    ["a command at the start", () => log.info("::stop-commands::t"), [":\u200b:stop-commands::t"]],
    ["##[ anywhere", () => log.info("x ##[group]y"), ["x ##\u200b[group]y"]],
    ["a warning", () => log.warning("50% done\nnext"), ["::warning::50%25 done\\nnext"]],
    ["a secret", () => log.notice("key s3cret"), ["::notice::key ***"]],
    [
      "an annotation whose file holds a colon and a comma",
      () => log.error("bad entry", { file: "a:b,c.yml", line: 3 }),
      ["::error file=a%3Ab%2Cc.yml,line=3::bad entry"],
    ],
  ])("%s stays one line and no command of its own", (_, run, lines) => {
    expect(printed(run)).toEqual(lines);
  });
});

describe("StepOutputs", () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes values the runner reads back whole: several lines, a heredoc look-alike, empty", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "outputs-"));
    const file = path.join(dir, "output");
    // The runner creates the file before the step starts.
    await writeFile(file, "");
    vi.stubEnv("GITHUB_OUTPUT", file);
    const values = {
      "avatar-id": "a1",
      avatars: '[{"id":"a1"}]\nsecond line\nEOF\nghadelimiter_x',
      plan: "",
    };
    new StepOutputs().set(new Map(Object.entries(values)));
    expect(outputsIn(await readFile(file, "utf8"))).toEqual(values);
  });

  it("redacts text values and writes each only when it changed", () => {
    const written: [string, string][] = [];
    const outputs = new StepOutputs(
      (text) => text.replaceAll("k3y", "***"),
      (name, value) => written.push([name, value]),
    );
    outputs.set(new Map([["a", "k3y"]]));
    outputs.set(
      new Map([
        ["a", "k3y"],
        ["b", "2"],
      ]),
    );
    expect(written).toEqual([
      ["a", "***"],
      ["b", "2"],
    ]);
  });

  it("appends the summary, redacted, and skips it outside a runner", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "outputs-"));
    const file = path.join(dir, "summary");
    const outputs = new StepOutputs((text) => text.replaceAll("k3y", "***"));
    vi.stubEnv("GITHUB_STEP_SUMMARY", "");
    await outputs.appendSummary("nowhere");
    await writeFile(file, "before\n");
    vi.stubEnv("GITHUB_STEP_SUMMARY", file);
    await outputs.appendSummary("## k3y\n");
    expect(await readFile(file, "utf8")).toBe("before\n## ***\n");
  });
});
