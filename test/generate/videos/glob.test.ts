import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findVideoFiles } from "../../../src/generate/videos/glob.ts";

let workspace: string;
const NAME = 'Input "videos"';

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "video-glob-"));
  for (const file of [
    "videos/b.yml",
    "videos/a.yml",
    "videos/a.json",
    "videos/spring/intro.txt",
    "videos/spring/promo.yml",
    "node_modules/pkg/videos/x.yml",
    "other/c.yml",
  ]) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), "script: Hi\n");
  }
  await mkdir(path.join(workspace, "videos/folder.yml"));
  await symlink(path.join(workspace, "other/c.yml"), path.join(workspace, "videos/link.yml"));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const paths = async (patterns: string) =>
  (await findVideoFiles(patterns, workspace, NAME)).map((file) => file.relativePath);

describe("findVideoFiles", () => {
  it.each([
    ["videos/*.yml", ["videos/a.yml", "videos/b.yml", "videos/link.yml"]],
    ["videos/a.*", ["videos/a.json", "videos/a.yml"]],
    [
      "**/*.yml",
      ["other/c.yml", "videos/a.yml", "videos/b.yml", "videos/link.yml", "videos/spring/promo.yml"],
    ],
    [
      "videos/a.yml\n\n  videos/*.yml  \r\nvideos/spring/*.yml",
      ["videos/a.yml", "videos/b.yml", "videos/link.yml", "videos/spring/promo.yml"],
    ],
    ["./videos/b.yml", ["videos/b.yml"]],
  ])(
    "%j → each file once, sorted, no folder, nothing under node_modules",
    async (globs, expected) => {
      expect(await paths(globs)).toEqual(expected);
    },
  );

  it("gives absolute paths inside the workspace", async () => {
    const [file] = await findVideoFiles("videos/b.yml", workspace, NAME);
    expect(file?.path).toBe(path.join(workspace, "videos/b.yml"));
  });

  it.each([
    ["", /give a glob/],
    ["videos/*.txt", /"videos\/\*\.txt" matches no file/],
    ["../*.yml", /outside the workspace/],
    ["videos/../../x/*.yml", /outside the workspace/],
    ["/etc/*.conf", /outside the workspace/],
    ["videos/*.yml\u0007", /control character/],
  ])("refuses %j", async (globs, message) => {
    await expect(findVideoFiles(globs, workspace, NAME)).rejects.toThrow(message);
  });
});
