import { describe, expect, it } from "vitest";
import { adopt } from "../../src/creatify/create.ts";
import { createdAtMs } from "../../src/creatify/created.ts";

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

describe("createdAtMs: every ISO form Django REST Framework writes, and nothing else", () => {
  const noon = Date.UTC(2026, 11, 5, 12, 0, 0);
  it.each<[string, unknown, number | undefined]>([
    ["Z", "2026-12-05T12:00:00Z", noon],
    ["microseconds and Z", "2026-12-05T12:00:00.123456Z", noon + 123],
    ["milliseconds and Z", "2026-12-05T12:00:00.120Z", noon + 120],
    ["one fraction digit", "2026-12-05T12:00:00.5Z", noon + 500],
    ["+00:00", "2026-12-05T12:00:00+00:00", noon],
    ["microseconds and +00:00", "2026-12-05T12:00:00.999999+00:00", noon + 999],
    ["+05:30", "2026-12-05T17:30:00+05:30", noon],
    ["-07:00 with microseconds", "2026-12-05T05:00:00.000001-07:00", noon],
    ["+0200 without a colon", "2026-12-05T14:00:00+0200", noon],
    ["+02 hours only", "2026-12-05T14:00:00+02", noon],
    ["a space for the T", "2026-12-05 12:00:00.123456+00:00", noon + 123],
    ["no offset is UTC, whatever the runner's zone", "2026-12-05T12:00:00", noon],
    ["minutes only", "2026-12-05T12:00Z", noon],
    ["lower-case z", "2026-12-05T12:00:00z", noon],
    ["not ISO", "12/05/2026 12:00", undefined],
    ["a date alone", "2026-12-05", undefined],
    ["a bad month", "2026-13-05T12:00:00Z", undefined],
    ["empty", "", undefined],
    ["a number", 1_764_936_000_000, undefined],
    ["null", null, undefined],
  ])("%s", (_name, value, expected) => {
    expect(createdAtMs(value)).toBe(expected);
  });
});
