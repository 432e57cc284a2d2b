import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const DOCUMENTS = [
  "README.md",
  "CONTRIBUTING.md",
  "SECURITY.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Markdown without its fenced code blocks, where `#` starts a comment, not a heading. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces made hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, "")
    .replace(/ /g, "-");
}

const headingsOf = (text: string) =>
  [...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1] as string);
const linksOf = (text: string) =>
  [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);

describe("anchorOf", () => {
  it.each([
    ["Quick start", "quick-start"],
    ["New takes, re-runs and rejected takes", "new-takes-re-runs-and-rejected-takes"],
    ["The `generate` step", "the-generate-step"],
  ])("%s → #%s", (heading, anchor) => {
    expect(anchorOf(heading)).toBe(anchor);
  });
});

describe.each(DOCUMENTS)("%s", (file) => {
  const text = read(file);

  it("links only to files in the repository, and to headings they have", () => {
    const broken = linksOf(text)
      .filter((link) => !/^[a-z]+:/.test(link))
      .filter((link) => {
        const [target = "", anchor] = link.split("#");
        const resolved = target === "" ? file : path.join(path.dirname(file), target);
        if (!existsSync(path.join(root, resolved))) return true;
        if (anchor === undefined || !resolved.endsWith(".md")) return false;
        return !headingsOf(read(resolved)).map(anchorOf).includes(anchor);
      });
    expect(broken).toEqual([]);
  });

  it("cites no document outside the repository", () => {
    expect(text).not.toMatch(/SPEC\s*§|\.\.\/shared/);
  });
});

describe("README.md", () => {
  const readme = read("README.md");

  it("reads in ten minutes: at most 400 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(400);
  });

  it("lists every section in its contents", () => {
    const contents = readme.slice(0, readme.indexOf("\n## "));
    const listed = linksOf(contents).map((link) => link.replace(/^#/, ""));
    const sections = [...prose(readme).matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
      anchorOf(match[1] as string),
    );
    expect(sections.filter((anchor) => !listed.includes(anchor))).toEqual([]);
  });

  it("shows both job summaries", () => {
    expect(linksOf(readme)).toEqual(
      expect.arrayContaining(["docs/summary.png", "docs/generate-summary.png"]),
    );
  });

  it("names the manifest's schema for editors, as committed", () => {
    const schema = readme.match(/# yaml-language-server: \$schema=\S+\/(schemas\/[\w.-]+\.json)/);
    expect(schema?.[1]).toBeDefined();
    expect(existsSync(path.join(root, schema?.[1] ?? ""))).toBe(true);
  });
});

describe("the code's comments", () => {
  const CITATION = new RegExp(["SPEC\\s*", "§|\\.\\./", "shared"].join(""));
  const sources = execFileSync("git", ["ls-files", "src", "scripts", "bench", "test", "*.yml"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => /\.(ts|yml|sh)$/.test(file));

  it.each(sources)("%s cites no document outside the repository", (file) => {
    expect(read(file)).not.toMatch(CITATION);
  });
});
