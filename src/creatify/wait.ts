import { CreatifyError } from "./errors.js";

export interface PollSchedule {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

/**
 * Everything the wait touches outside itself, injected so tests run it in milliseconds and so
 * that one loop follows an avatar and a video alike: `verdict` and `state` say what the
 * thing followed means.
 */
export interface WaitDeps<T, V extends string> {
  /** Reads the thing followed, giving up at `deadline` (epoch ms). */
  read(deadline: number): Promise<T>;
  /** Its end state once it has one (`approved`, `failed`, `done`), else `in-progress`. */
  verdict(item: T): V | "in-progress";
  /** What a change is logged for: two reads with the same state are one line. */
  state(item: T): string;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** A new state was seen; called once per change, the first state included. */
  onChange(item: T, elapsedMs: number): void;
  /** No change for a while: a line so a long wait does not look hung. */
  onHeartbeat(item: T, elapsedMs: number): void;
  /** A read failed in a way a later read may not; the wait goes on. */
  onReadError(error: CreatifyError, elapsedMs: number): void;
}

export interface WaitResult<T, V extends string> {
  readonly outcome: V | "timeout";
  /** The last state read. */
  readonly last: T;
}

const GROWTH = 1.5;
const JITTER = 0.1;
export const HEARTBEAT_MS = 5 * 60_000;
/** A read at the deadline still gets this long, so the last look is a real one. */
export const LAST_READ_GRACE_MS = 2_000;

/** The delay before poll number `poll` (0 first): grows ×1.5 to the cap, ±10 % jitter within it. */
export function pollDelay(poll: number, schedule: PollSchedule, random: () => number): number {
  const base = Math.min(schedule.maxPollIntervalMs, schedule.pollIntervalMs * GROWTH ** poll);
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, schedule.maxPollIntervalMs));
}

/**
 * Polls until a verdict, or until the timeout passes, reading at least once. The last read
 * happens at the deadline, not after it, and is itself cut off shortly after.
 */
export async function waitForVerdict<T, V extends string>(
  initial: T,
  schedule: PollSchedule,
  deps: WaitDeps<T, V>,
): Promise<WaitResult<T, V>> {
  const started = deps.now();
  const deadline = started + schedule.timeoutMs;
  const elapsed = () => deps.now() - started;
  let last = initial;
  let lastLine = started;
  let retryAfterMs = 0;
  deps.onChange(last, 0);

  for (let poll = 0; ; poll++) {
    const verdict = deps.verdict(last);
    if (verdict !== "in-progress") return { outcome: verdict, last };
    // One look even with no time to wait: a new avatar or video is read back in any case.
    const remaining = Math.max(0, deadline - deps.now());
    if (remaining === 0 && poll > 0) return { outcome: "timeout", last };

    await deps.sleep(
      Math.min(Math.max(pollDelay(poll, schedule, deps.random), retryAfterMs), remaining),
    );
    retryAfterMs = 0;
    try {
      const next = await deps.read(Math.max(deadline, deps.now() + LAST_READ_GRACE_MS));
      if (deps.state(next) !== deps.state(last)) {
        deps.onChange(next, elapsed());
        lastLine = deps.now();
      } else if (deps.now() - lastLine >= HEARTBEAT_MS) {
        deps.onHeartbeat(next, elapsed());
        lastLine = deps.now();
      }
      last = next;
    } catch (error) {
      if (!(error instanceof CreatifyError) || error.kind === "final") throw error;
      deps.onReadError(error, elapsed());
      retryAfterMs = error.retryAfterMs ?? 0;
    }
  }
}
