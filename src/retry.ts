/**
 * The one retry policy: exponential backoff with equal jitter, where a server's
 * `Retry-After` wins when it asks for longer. Pure, so it is tested without clocks.
 */
export interface Backoff {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** The longest `Retry-After` honoured; a server asking for more is not waited on. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = {
  attempts: 5,
  baseMs: 500,
  maxMs: 15_000,
  maxRetryAfterMs: 120_000,
};

/** Delay before retry number `retry` (0 for the first retry). */
export function backoffDelay(
  retry: number,
  policy: Backoff,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs)));
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
