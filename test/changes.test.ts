import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { type ComparedFile, changedFiles, type PushPayload } from "../src/avatar/batch/changes.ts";

/** Push payloads recorded in GitHub's shape (test/fixtures/). */
function fixture(name: string): PushPayload & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8"));
}

const complete = fixture("push-complete.json");
const truncated = fixture("push-truncated.json");
const newBranch = fixture("push-new-branch.json");

/** A compare API that must not be called. */
const noCompare = () => vi.fn(async (): Promise<ComparedFile[]> => expect.fail("compare called"));

const compareAnswering = (files: ComparedFile[]) =>
  vi.fn(async (_base: string, _head: string) => files);

const filesOf = (changes: Awaited<ReturnType<typeof changedFiles>>) =>
  changes.kind === "files" ? [...changes.files].sort() : changes;

describe("changedFiles from a complete push payload", () => {
  it("adds up added and modified files across commits, without removed ones", async () => {
    const compare = noCompare();
    const changes = await changedFiles("push", complete, compare);
    expect(filesOf(changes)).toEqual([
      "README.md",
      "avatars.yml",
      "avatars/james/lipsync.mp4",
      "docs/notes.md",
    ]);
    expect(changes).toMatchObject({ kind: "files", source: "the push event" });
    expect(compare).not.toHaveBeenCalled();
  });

  it("does not count a file added and then removed in a later commit", async () => {
    const changes = await changedFiles("push", complete, noCompare());
    // Commit 1 added the draft take, commit 2 removed it again.
    expect(complete.commits?.[0]?.added).toContain("avatars/draft/take1.mp4");
    expect(complete.commits?.[1]?.removed).toContain("avatars/draft/take1.mp4");
    expect(filesOf(changes)).not.toContain("avatars/draft/take1.mp4");
  });

  it("does not select a deleted video", async () => {
    const changes = await changedFiles("push", complete, noCompare());
    expect(complete.commits?.[2]?.removed).toContain("avatars/old/lipsync.mp4");
    expect(filesOf(changes)).not.toContain("avatars/old/lipsync.mp4");
  });

  it("counts a file removed and then added back", async () => {
    const payload: PushPayload = {
      ...complete,
      commits: [
        { added: [], modified: [], removed: ["avatars/ana/lipsync.mp4"] },
        { added: ["avatars/ana/lipsync.mp4"], modified: [], removed: [] },
      ],
    };
    expect(filesOf(await changedFiles("push", payload, noCompare()))).toEqual([
      "avatars/ana/lipsync.mp4",
    ]);
  });

  it("finds nothing in a push without commits (a branch deleted or moved back)", async () => {
    const payload: PushPayload = { ...complete, commits: [] };
    expect(filesOf(await changedFiles("push", payload, noCompare()))).toEqual([]);
  });

  it("uses the payload of a new branch when it lists every commit", async () => {
    const payload: PushPayload = { ...complete, before: "0".repeat(40) };
    expect(filesOf(await changedFiles("push", payload, noCompare()))).toContain(
      "avatars/james/lipsync.mp4",
    );
  });
});

describe("changedFiles from the compare API", () => {
  const compared: ComparedFile[] = [
    { filename: "avatars/ana/lipsync.mp4", status: "modified" },
    { filename: "avatars/li/consent.mp4", status: "added" },
    { filename: "avatars/old/lipsync.mp4", status: "removed" },
    {
      filename: "avatars/sam/lipsync.mp4",
      status: "renamed",
      previous_filename: "avatars/samuel/lipsync.mp4",
    },
  ];

  it.each([
    { name: "20 commits, as many as a payload lists", payload: truncated },
    {
      name: "fewer commits than the push's size",
      payload: { ...complete, size: (complete.commits?.length ?? 0) + 1 },
    },
    {
      name: "a commit without its added and modified lists",
      payload: { ...complete, commits: [{ removed: ["README.md"] }] },
    },
  ])(
    "asks it between before and after when the payload is truncated: $name",
    async ({ payload }) => {
      const compare = compareAnswering(compared);
      const changes = await changedFiles("push", payload, compare);
      expect(compare).toHaveBeenCalledExactlyOnceWith(payload.before, payload.after);
      // Removed files are not changed; a renamed one is, under its new name.
      expect(filesOf(changes)).toEqual([
        "avatars/ana/lipsync.mp4",
        "avatars/li/consent.mp4",
        "avatars/sam/lipsync.mp4",
      ]);
      expect(changes).toMatchObject({
        kind: "files",
        source: `the compare API (${payload.before?.slice(0, 7)}...${payload.after?.slice(0, 7)})`,
      });
    },
  );

  it("selects everything when the compare API lists 300 files (its limit)", async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      filename: `grading/pass-${i}.cube`,
      status: "modified",
    }));
    const changes = await changedFiles("push", truncated, compareAnswering(many));
    expect(changes).toEqual({
      kind: "all",
      reason: expect.stringMatching(/300 or more files/),
    });
  });

  it("lists 299 files when the compare API has 299", async () => {
    const many = Array.from({ length: 299 }, (_, i) => ({
      filename: `f${i}.mp4`,
      status: "added",
    }));
    const changes = await changedFiles("push", truncated, compareAnswering(many));
    expect(changes.kind === "files" && changes.files.size).toBe(299);
  });

  it("lets a compare API failure through", async () => {
    const compare = vi.fn(async (): Promise<ComparedFile[]> => {
      throw new Error("Not Found");
    });
    await expect(changedFiles("push", truncated, compare)).rejects.toThrow("Not Found");
  });
});

describe("changedFiles selects everything, with a reason", () => {
  it("on the first push of a branch whose payload is truncated", async () => {
    expect(newBranch.before).toBe("0".repeat(40));
    expect(newBranch.created).toBe(true);
    const compare = noCompare();
    const changes = await changedFiles("push", newBranch, compare);
    expect(changes).toEqual({
      kind: "all",
      reason: expect.stringMatching(/no earlier commit to compare with/),
    });
    expect(compare).not.toHaveBeenCalled();
  });

  it.each(["workflow_dispatch", "pull_request", "schedule", ""])(
    'on a "%s" event',
    async (eventName) => {
      const changes = await changedFiles(eventName, complete, noCompare());
      expect(changes).toEqual({ kind: "all", reason: expect.stringContaining("not a push") });
      if (eventName) expect(changes.kind === "all" && changes.reason).toContain(eventName);
    },
  );
});
