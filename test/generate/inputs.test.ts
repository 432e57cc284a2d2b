import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGenerateInputs } from "../../src/generate/inputs.ts";

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "generate-inputs-"));
  await mkdir(path.join(workspace, "videos/a"), { recursive: true });
  await mkdir(path.join(workspace, "videos/b"), { recursive: true });
  await writeFile(path.join(workspace, "videos/a/promo.yml"), "avatar: James\nscript: Hi.\n");
  await writeFile(path.join(workspace, "videos/b/promo.yml"), "avatar: James\nscript: Ho.\n");
  await writeFile(
    path.join(workspace, "videos/a/other.yml"),
    "name: Other\navatar: Ana\nscript: Hey.\n",
  );
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const parse = (inputs: Record<string, string>) => {
  const given: Record<string, string> = { "api-id": "id", "api-key": "key", ...inputs };
  return parseGenerateInputs((name) => given[name] ?? "", workspace, {});
};

describe("parseGenerateInputs with videos", () => {
  it.each([
    [
      "none of the sources",
      {},
      /exactly one of inputs "script", "script-file", "scenes" or "videos" \(none/,
    ],
    ["script and videos", { script: "Hi.", videos: "videos/a/*.yml" }, /got script and videos/],
    [
      "mode without videos",
      { script: "Hi.", "avatar-id": "a1", mode: "preview" },
      /Input "mode": goes with "videos"/,
    ],
    [
      "only without videos",
      { script: "Hi.", "avatar-id": "a1", only: "x" },
      /Input "only": goes with "videos"/,
    ],
    [
      "download with videos",
      { videos: "videos/a/*.yml", download: "v.mp4" },
      /give "download-dir"/,
    ],
    ["an unknown mode", { videos: "videos/a/*.yml", mode: "draft" }, /Input "mode"/],
    [
      "an unknown only",
      { videos: "videos/a/*.yml", only: "Nope" },
      /Input "only": "Nope" names no video file/,
    ],
    [
      "max-parallel out of range",
      { videos: "videos/a/*.yml", "max-parallel": "0" },
      /Input "max-parallel"/,
    ],
    [
      "two files of one name with download-dir",
      { videos: "videos/**/promo.yml", "download-dir": "out" },
      /"videos\/a\/promo.yml" and "videos\/b\/promo.yml" would both be promo.mp4/,
    ],
    [
      "a download-dir outside the workspace",
      { videos: "videos/a/*.yml", "download-dir": "../out" },
      /download-dir/,
    ],
  ])("refuses %s, naming the input", async (_name, inputs, message) => {
    await expect(parse(inputs)).rejects.toThrow(message);
  });

  it("reads every file, with the step's defaults, the mode and a target per file", async () => {
    const inputs = await parse({
      videos: "videos/a/*.yml",
      mode: "preview",
      "download-dir": "out/",
      "model-version": "aurora_v1",
      only: "Other",
    });
    expect(inputs.kind).toBe("videos");
    if (inputs.kind !== "videos") return;
    expect(inputs.videos.map((video) => [video.name, video.modelVersion])).toEqual([
      ["Other", "aurora_v1"],
      ["promo", "aurora_v1"],
    ]);
    expect(inputs.mode).toBe("preview");
    expect(inputs.only).toEqual(["Other"]);
    expect(inputs.maxParallel).toBe(3);
    expect(inputs.downloads.get("videos/a/promo.yml")?.relativePath).toBe("out/promo.mp4");
  });

  it("keeps one video's inputs as they were: avatar-id required there", async () => {
    await expect(parse({ script: "Hi." })).rejects.toThrow(/Input "avatar-id" is required/);
    const one = await parse({ script: "Hi.", "avatar-id": "a1" });
    expect(one.kind).toBe("one");
  });
});
