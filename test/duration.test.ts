import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDuration, longTimeout, parseDuration, sleep } from "../src/duration.ts";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["45m", 2_700_000],
    ["6h", 21_600_000],
    ["2d", 172_800_000],
    ["250ms", 250],
    ["120", 120_000],
    ["1.5h", 5_400_000],
    ["0.5s", 500],
    [" 6H ", 21_600_000],
    ["30 s", 30_000],
    ["0", 0],
  ])("%j is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    "",
    "   ",
    "soon",
    "s",
    "6 hours",
    "-5m",
    "+5m",
    ".5h",
    "1.h",
    "1e3",
    "1h30m",
    "5w",
    "Infinity",
    "NaN",
    "0x10",
  ])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [850, "850ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1499, "1s"],
    [59_999, "1m"],
    [90_000, "1m30s"],
    [252_000, "4m12s"],
    [3_600_000, "1h"],
    [7_380_000, "2h3m"],
    [7_205_000, "2h"],
    [21_600_000, "6h"],
    [90_061_000, "1d1h"],
    [172_800_000, "2d"],
  ])("%d ms is %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("longTimeout and sleep: waits longer than one Node timer can hold", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([0, 1_000, 2 ** 31 - 1, 2 ** 31, 40 * 86_400_000])(
    "fires after %i ms, not before",
    (ms) => {
      vi.useFakeTimers();
      const fire = vi.fn();
      longTimeout(fire, ms);
      vi.advanceTimersByTime(Math.max(0, ms - 1));
      expect(fire).toHaveBeenCalledTimes(ms === 0 ? 1 : 0);
      vi.advanceTimersByTime(1);
      expect(fire).toHaveBeenCalledTimes(1);
    },
  );

  it("never fires once cancelled, even between its steps", () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const cancel = longTimeout(fire, 40 * 86_400_000);
    vi.advanceTimersByTime(30 * 86_400_000);
    cancel();
    vi.advanceTimersByTime(20 * 86_400_000);
    expect(fire).not.toHaveBeenCalled();
  });

  it("sleep resolves after a wait of weeks", async () => {
    vi.useFakeTimers();
    let done = false;
    void sleep(30 * 86_400_000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(30 * 86_400_000 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
