import { CreatifyError } from "./errors.js";
import { type Persona, statusOf, verdictOf } from "./persona.js";

export interface PollSchedule {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

/** Everything the wait touches outside itself, injected so tests run it in milliseconds. */
export interface WaitDeps {
  /** Reads the avatar, giving up at `deadline` (epoch ms). */
  read(deadline: number): Promise<Persona>;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** A new status (or approval) was seen; called once per change, the first state included. */
  onChange(persona: Persona, elapsedMs: number): void;
  /** No change for a while: a line so a long wait does not look hung. */
  onHeartbeat(persona: Persona, elapsedMs: number): void;
  /** A read failed in a way a later read may not; the wait goes on. */
  onReadError(error: CreatifyError, elapsedMs: number): void;
}

export type WaitOutcome = "approved" | "failed" | "timeout";

export interface WaitResult {
  readonly outcome: WaitOutcome;
  readonly persona: Persona;
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
 * Polls until the avatar is approved, has failed, or the timeout passes. The last
 * read happens at the deadline, not after it, and is itself cut off shortly after.
 */
export async function waitForVerdict(
  initial: Persona,
  schedule: PollSchedule,
  deps: WaitDeps,
): Promise<WaitResult> {
  const started = deps.now();
  const deadline = started + schedule.timeoutMs;
  const elapsed = () => deps.now() - started;
  let persona = initial;
  let lastLine = started;
  let retryAfterMs = 0;
  deps.onChange(persona, 0);

  for (let poll = 0; ; poll++) {
    const verdict = verdictOf(persona);
    if (verdict !== "in-progress") return { outcome: verdict, persona };
    const remaining = deadline - deps.now();
    if (remaining <= 0) return { outcome: "timeout", persona };

    await deps.sleep(
      Math.min(Math.max(pollDelay(poll, schedule, deps.random), retryAfterMs), remaining),
    );
    retryAfterMs = 0;
    try {
      const next = await deps.read(Math.max(deadline, deps.now() + LAST_READ_GRACE_MS));
      // A create's answer has no is_active at all: only approval itself is a change.
      if (
        statusOf(next) !== statusOf(persona) ||
        (next.is_active === true) !== (persona.is_active === true)
      ) {
        deps.onChange(next, elapsed());
        lastLine = deps.now();
      } else if (deps.now() - lastLine >= HEARTBEAT_MS) {
        deps.onHeartbeat(next, elapsed());
        lastLine = deps.now();
      }
      persona = next;
    } catch (error) {
      if (!(error instanceof CreatifyError) || error.kind === "final") throw error;
      deps.onReadError(error, elapsed());
      retryAfterMs = error.retryAfterMs ?? 0;
    }
  }
}
