// The committed bundles carry the licence notice of every dependency they hold: ncc's own
// --license once left out a bundle's whole main chunk (scripts/licenses.ts says how).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const listed = (file: string) =>
  readFileSync(path.join(root, file), "utf8")
    .split(/\n\n(?=[@a-z])/)
    .map((entry) => entry.split("\n", 1)[0]);

describe("licenses.txt", () => {
  it.each([
    ["dist/licenses.txt", ["@actions/core", "@actions/github", "undici", "yaml"]],
    ["dist/generate/licenses.txt", ["@actions/core", "undici", "yaml"]],
  ])("%s names the runtime dependencies its bundle holds", (file, packages) => {
    expect(listed(file)).toEqual(expect.arrayContaining(packages));
  });

  it("gives each its licence text", () => {
    const text = readFileSync(path.join(root, "dist/licenses.txt"), "utf8");
    expect(text).toMatch(/^undici\nMIT\nMIT License\n\nCopyright/m);
  });
});
