import { describe, expect, it } from "vitest";
import { expectNoLeak, parseOutputs, type RunResult } from "./harness.ts";

// The leak check guards every end-to-end test; it must itself be able to fail.
describe("expectNoLeak", () => {
  const clean: RunResult = {
    code: 0,
    stdout: "::add-mask::s3cret\nSubmitted avatar\n",
    stderr: "",
    outputs: { "avatar-id": "a1" },
    writes: { "avatar-id": 1 },
    summary: "| James |",
    secrets: ["s3cret"],
  };

  it("passes when the secret shows only in ::add-mask::", () => {
    expect(() => expectNoLeak(clean, ["s3cret"])).not.toThrow();
  });

  it.each([
    ["stdout", { stdout: `${clean.stdout}key is s3cret\n` }],
    ["stderr", { stderr: "Error: s3cret" }],
    ["an output", { outputs: { avatar: '{"key":"s3cret"}' } }],
    ["the summary", { summary: "s3cret" }],
    ["a missing mask", { stdout: "Submitted avatar\n" }],
  ])("fails on a secret in %s", (_where, leak) => {
    expect(() => expectNoLeak({ ...clean, ...leak }, ["s3cret"])).toThrow();
  });
});

describe("parseOutputs", () => {
  it("reads heredoc and key=value lines and keeps the last value", () => {
    const text =
      "status<<EOF1\npending\nEOF1\nstatus<<EOF2\ndone\nEOF2\nreused=false\navatar<<D\n{\n}\nD\n";
    expect(parseOutputs(text)).toEqual({
      outputs: { status: "done", reused: "false", avatar: "{\n}" },
      writes: { status: 2, reused: 1, avatar: 1 },
    });
  });
});
