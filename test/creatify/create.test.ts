import { describe, expect, it } from "vitest";
import { adopt } from "../../src/creatify/create.ts";

interface Item {
  readonly id: string;
  readonly mark: string;
  readonly created_at?: string;
}

const FP = "video-sha256:3f0a9c2e4b1d8e77";
const carries = (item: Item) => item.mark === FP;
const item = (id: string, mark = FP, created_at?: string): Item => ({
  id,
  mark,
  ...(created_at === undefined ? {} : { created_at }),
});
// The runner's clock plays no part: these dates are hours away from any "now".
const HOUR_BEHIND = "2020-01-01T09:00:00Z";
const HOUR_AHEAD = "2020-01-01T11:00:00.000000+00:00";

describe("adopt: what an ambiguous create made, by ids and mark only", () => {
  it.each<[string, Item[], string[], string | undefined]>([
    ["nothing listed", [], [], undefined],
    ["a new item with the mark", [item("new")], [], "new"],
    ["a new item with the mark, dated an hour behind", [item("new", FP, HOUR_BEHIND)], [], "new"],
    ["a new item with the mark, dated an hour ahead", [item("new", FP, HOUR_AHEAD)], [], "new"],
    ["a new item without a date", [item("new", FP)], ["old"], "new"],
    ["only an item the earlier listing held", [item("old")], ["old"], undefined],
    ["a new item with another mark", [item("new", "video-sha256:0000000000000000")], [], undefined],
    ["a new item without a mark", [item("new", "")], [], undefined],
    [
      "the new one among known ones, whatever the order",
      [item("a"), item("new"), item("b")],
      ["a", "b"],
      "new",
    ],
    [
      "of two new ones, the newer by created_at, in any ISO form",
      [item("later", FP, "2020-01-01T12:00:00+02:00"), item("earlier", FP, "2020-01-01T10:30:00Z")],
      [],
      "earlier",
    ],
    [
      "of two new ones, one undated: the dated one",
      [item("dated", FP, HOUR_BEHIND), item("undated")],
      [],
      "dated",
    ],
  ])("%s", (_name, listed, known, expected) => {
    expect(adopt(listed, new Set(known), carries)?.id).toBe(expected);
  });
});
