// The runner's protocol as the runner reads it: a command is one line whatever its text holds,
// and an output read back from GITHUB_OUTPUT is the value that was set.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getInput, issueCommand, setOutput, setSecret } from "../src/runner.ts";

/** What the step printed, split into lines as the runner splits them. */
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
  return chunks.join("").split(/\r?\n/).slice(0, -1);
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

describe("getInput", () => {
  it.each([
    ["creator-name", { "INPUT_CREATOR-NAME": "  James  " }, "James"],
    ["api id", { INPUT_API_ID: "x" }, "x"],
    ["video", {}, ""],
  ])("reads %s as the runner passes it, trimmed", (name, env, expected) => {
    expect(getInput(name, env)).toBe(expected);
  });
});

describe("issueCommand", () => {
  it.each([
    ["plain", "warning", "disk is slow", {}, "::warning::disk is slow"],
    [
      "a message with newlines, a return and percents on one line",
      "error",
      "50% done\r\nthen ::error::x\nend",
      {},
      "::error::50%25 done%0D%0Athen ::error::x%0Aend",
    ],
    [
      "a file property whose colon and comma would end it",
      "error",
      "bad entry",
      { file: "a:b,c.yml", line: 3 },
      "::error file=a%3Ab%2Cc.yml,line=3::bad entry",
    ],
    ["empty properties left out", "notice", "n", { file: "", line: undefined }, "::notice::n"],
  ])("%s", (_, name, message, properties, line) => {
    expect(printed(() => issueCommand(name, message, properties))).toEqual([line]);
  });

  it("masks a secret with add-mask, escaped like any message", () => {
    expect(printed(() => setSecret("k%ey\nx"))).toEqual(["::add-mask::k%25ey%0Ax"]);
  });
});

describe("setOutput", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes values the runner reads back whole: several lines, a heredoc look-alike, empty", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "runner-"));
    const file = path.join(dir, "output");
    const env = { GITHUB_OUTPUT: file };
    const values = {
      "avatar-id": "a1",
      avatars: '[{"id":"a1"}]\nsecond line\nEOF\nghadelimiter_x',
      plan: "",
    };
    for (const [name, value] of Object.entries(values)) setOutput(name, value, env);
    expect(outputsIn(await readFile(file, "utf8"))).toEqual(values);
  });

  it("prints the value outside a runner, where there is no GITHUB_OUTPUT", () => {
    expect(printed(() => setOutput("avatar-id", "a1", {}))).toEqual([
      "::set-output name=avatar-id::a1",
    ]);
  });
});
