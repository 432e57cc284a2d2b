import { describe, expect, it } from "vitest";
import { createdAtMs } from "../../src/creatify/created.ts";

const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 123);

describe("createdAtMs: every ISO form Django REST Framework writes, and nothing else", () => {
  it.each<[string, unknown, number | undefined]>([
    ["DRF's microseconds and Z", "2026-01-02T03:04:05.123456Z", AT],
    ["milliseconds and Z (Django's JSON encoder)", "2026-01-02T03:04:05.123Z", AT],
    ["+00:00", "2026-01-02T03:04:05.123456+00:00", AT],
    ["another offset", "2026-01-02T08:34:05.123456+05:30", AT],
    ["a negative offset", "2026-01-01T22:04:05.123-05:00", AT],
    ["an offset without its colon", "2026-01-02T08:34:05.123+0530", AT],
    ["an offset in hours", "2026-01-02T05:04:05.123+02", AT],
    ["one fraction digit", "2026-01-02T03:04:05.1Z", AT - 23],
    ["no fraction", "2026-01-02T03:04:05Z", AT - 123],
    ["no seconds", "2026-01-02T03:04Z", AT - 5123],
    ["a naive time, read as UTC", "2026-01-02T03:04:05.123456", AT],
    ["a space for the T", "2026-01-02 03:04:05.123456+00:00", AT],
    ["lower-case t and z, as RFC 3339 allows", "2026-01-02t03:04:05.123z", AT],
    ["a date only", "2026-01-02", undefined],
    ["a month 13", "2026-13-02T03:04:05Z", undefined],
    ["an hour 25", "2026-01-02T25:04:05Z", undefined],
    ["words", "yesterday", undefined],
    ["a US date", "01/02/2026 03:04", undefined],
    ["empty", "", undefined],
    ["null", null, undefined],
    ["a number", 1_767_323_045_123, undefined],
  ])("%s", (_, value, expected) => {
    expect(createdAtMs(value)).toBe(expected);
  });
});
