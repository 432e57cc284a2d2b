import { describe, expect, it } from "vitest";
import { type Backoff, backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from "../src/retry.ts";

const policy: Backoff = { attempts: 5, baseMs: 500, maxMs: 4000, maxRetryAfterMs: 10_000 };
const low = () => 0;
const high = () => 0.999_999;

describe("backoffDelay", () => {
  it("doubles from the base with each retry", () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, policy, high))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it("stops growing at the cap", () => {
    expect(backoffDelay(4, policy, high)).toBe(4000);
    expect(backoffDelay(30, policy, high)).toBe(4000);
    expect(backoffDelay(30, DEFAULT_BACKOFF, high)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it("jitters between half the ceiling and the ceiling", () => {
    expect(backoffDelay(2, policy, low)).toBe(1000);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(1500);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(2, policy, Math.random);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it("lets a longer Retry-After win, capped at maxRetryAfterMs", () => {
    expect(backoffDelay(0, policy, low, 3000)).toBe(3000);
    expect(backoffDelay(0, policy, low, 60_000)).toBe(10_000);
    expect(backoffDelay(0, DEFAULT_BACKOFF, low, 3_600_000)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
  });

  it("keeps the backoff when Retry-After asks for less", () => {
    expect(backoffDelay(3, policy, high, 0)).toBe(4000);
    expect(backoffDelay(1, policy, low, 100)).toBe(500);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
  });

  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores an absent or unreadable value", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("later, please", now)).toBeUndefined();
  });
});
