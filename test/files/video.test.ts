import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.ts";
import { inspectVideo, sniffContentType } from "../../src/files/video.ts";
import { makeWorkspace, mp4Bytes, type Workspace } from "../support/runner.ts";

function box(type: string, size: number, brand = ""): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, "latin1");
  bytes.write(brand, 8, "latin1");
  return bytes;
}

describe("sniffContentType", () => {
  it.each<[string, Buffer, string | undefined]>([
    ["MP4 (isom)", box("ftyp", 24, "isom"), "video/mp4"],
    ["MP4 (mp42)", box("ftyp", 24, "mp42"), "video/mp4"],
    ["QuickTime (qt  )", box("ftyp", 20, "qt  "), "video/quicktime"],
    [
      "QuickTime with a leading wide box",
      Buffer.concat([box("wide", 8), box("ftyp", 20, "qt  ")]),
      "video/quicktime",
    ],
    ["text", Buffer.from("hello, this is not a video at all"), undefined],
    ["mdat first", box("mdat", 24), undefined],
    ["too short", Buffer.from([0, 0, 0]), undefined],
    [
      "zero-size skippable box",
      Buffer.concat([box("free", 8), Buffer.alloc(8)]).fill(0, 0, 4),
      undefined,
    ],
  ])("%s", (_name, bytes, expected) => {
    expect(sniffContentType(bytes)).toBe(expected);
  });
});

describe("inspectVideo", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await makeWorkspace();
  });
  afterAll(() => workspace.remove());

  const inspect = (relativePath: string) =>
    inspectVideo(
      { path: path.join(workspace.dir, relativePath), relativePath },
      workspace.dir,
      'Input "video"',
    );

  it("returns the size and type of a valid video", async () => {
    await workspace.write("ok.mov", mp4Bytes(1000, "qt  "));
    await expect(inspect("ok.mov")).resolves.toMatchObject({
      size: 1000,
      contentType: "video/quicktime",
    });
  });

  it.each([
    ["missing.mp4", undefined, /"missing.mp4" does not exist/],
    ["empty.mp4", "", /"empty.mp4" is empty/],
    ["text.mp4", "not a video, just text", /"text.mp4" is not an MP4 or QuickTime video/],
  ])("refuses %s", async (name, content, message) => {
    if (content !== undefined) await workspace.write(name, content);
    const attempt = inspect(name);
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("refuses a directory and a link that leaves the workspace", async () => {
    await mkdir(path.join(workspace.dir, "folder.mp4"));
    await expect(inspect("folder.mp4")).rejects.toThrow(/is not a file/);
    const outside = await makeWorkspace();
    await writeFile(path.join(outside.dir, "v.mp4"), mp4Bytes(100));
    await symlink(path.join(outside.dir, "v.mp4"), path.join(workspace.dir, "link.mp4"));
    await expect(inspect("link.mp4")).rejects.toThrow(/links outside the workspace/);
    await outside.remove();
  });
});
