import { describe, expect, it } from "vitest";
import { CreatifyError } from "../../src/creatify/errors.ts";
import { type Persona, statusOf, verdictOf } from "../../src/creatify/persona.ts";
import {
  HEARTBEAT_MS,
  LAST_READ_GRACE_MS,
  type PollSchedule,
  pollDelay,
  type WaitResult,
  waitForVerdict,
} from "../../src/creatify/wait.ts";
import { persona } from "../support/persona.ts";

/** An arbitrary epoch, so a deadline computed relative to zero would show. */
const T0 = 1_750_000_000_000;
const HOUR = 3_600_000;

/** What one read does: answer a persona or throw, after `takesMs` of (fake) time. */
type Step = { answer: Persona; takesMs?: number } | { error: Error; takesMs?: number };
const answer = (status: string, extra: Partial<Persona> = {}): Step => ({
  answer: persona(status, extra),
});

/**
 * Runs waitForVerdict on a fake clock: sleep and reads advance a counter, nothing real
 * waits. Reads follow `script`, the last step sticking (as a status that stays put).
 * Times in the record are relative to the start.
 */
async function fakeWait(
  script: Step[],
  schedule: Partial<PollSchedule> = {},
  options: { initial?: Persona; random?: () => number } = {},
) {
  let clock = T0;
  let next = 0;
  const log = {
    reads: [] as { at: number; deadline: number }[],
    sleeps: [] as number[],
    changes: [] as { status: string; active: boolean; at: number }[],
    heartbeats: [] as number[],
    readErrors: [] as CreatifyError[],
  };
  const full: PollSchedule = {
    timeoutMs: HOUR,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 10_000,
    ...schedule,
  };
  const run = waitForVerdict(options.initial ?? persona("pending"), full, {
    verdict: verdictOf,
    state: (seen) => `${statusOf(seen)} ${seen.is_active === true}`,
    now: () => clock,
    sleep: async (ms) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      log.sleeps.push(ms);
      clock += ms;
    },
    random: options.random ?? (() => 0.5),
    read: async (deadline) => {
      log.reads.push({ at: clock - T0, deadline: deadline - T0 });
      if (log.reads.length > 10_000) throw new Error("the wait never ends");
      const step = script[Math.min(next++, script.length - 1)];
      if (!step) throw new Error("empty script");
      clock += step.takesMs ?? 0;
      if ("error" in step) throw step.error;
      return step.answer;
    },
    onChange: (seen, elapsedMs) => {
      expect(elapsedMs).toBe(clock - T0);
      log.changes.push({
        status: seen.process_status as string,
        active: !!seen.is_active,
        at: elapsedMs,
      });
    },
    onHeartbeat: (_seen, elapsedMs) => {
      log.heartbeats.push(elapsedMs);
    },
    onReadError: (error) => {
      log.readErrors.push(error);
    },
  });
  return {
    log,
    end: () => clock - T0,
    result: run as Promise<WaitResult<Persona, "approved" | "failed">>,
  };
}

describe("pollDelay", () => {
  const schedule: PollSchedule = {
    timeoutMs: HOUR,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 10_000,
  };

  it.each([
    [0, 1000],
    [1, 1500],
    [2, 2250],
    [3, 3375],
    [4, 5063],
    [5, 7594],
    [6, 10_000],
    [50, 10_000],
    [5000, 10_000],
  ])("without jitter, poll %d waits %d ms (×1.5 each time, capped)", (poll, ms) => {
    expect(pollDelay(poll, schedule, () => 0.5)).toBe(ms);
  });

  it.each([
    ["lowest", 0, 0, 900],
    ["highest", 0.999_999_9, 0, 1100],
    ["lowest", 0, 2, 2025],
    ["highest", 0.999_999_9, 2, 2475],
    ["lowest", 0, 20, 9000],
    // At the cap jitter only shortens: the cap is never exceeded.
    ["highest", 0.999_999_9, 20, 10_000],
  ])("%s jitter (random() = %d) on poll %d gives %d ms", (_, random, poll, ms) => {
    expect(pollDelay(poll, schedule, () => random)).toBe(ms);
  });

  it("stays within ±10 % of the grown delay and never above the cap", () => {
    for (let poll = 0; poll < 12; poll++) {
      const base = Math.min(10_000, 1000 * 1.5 ** poll);
      for (let random = 0; random < 1; random += 0.05) {
        const ms = pollDelay(poll, schedule, () => random);
        expect(ms).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
        expect(ms).toBeLessThanOrEqual(Math.min(Math.ceil(base * 1.1), 10_000));
      }
    }
  });
});

describe("waitForVerdict", () => {
  it.each([
    ["approved", [answer("processing"), answer("reviewing"), answer("done")], "done"],
    ["approved", [answer("reviewing", { is_active: true })], "reviewing"],
    ["failed", [answer("processing"), answer("rejected", { failed_reason: "blurry" })], "rejected"],
    ["failed", [answer("failed", { failed_reason: "no face" })], "failed"],
  ] as const)("ends %s once a read shows it (%#)", async (outcome, script, status) => {
    const wait = await fakeWait([...script]);
    const result = await wait.result;
    expect(result.outcome).toBe(outcome);
    expect(result.last.process_status).toBe(status);
    expect(wait.log.reads).toHaveLength(script.length);
  });

  it("keeps the failed reason of a rejected avatar", async () => {
    const wait = await fakeWait([answer("rejected", { failed_reason: "face not visible" })]);
    expect((await wait.result).last.failed_reason).toBe("face not visible");
  });

  it.each([
    ["approved", persona("done")],
    ["failed", persona("rejected", { failed_reason: "blurry" })],
  ])("does not read at all when the avatar is already %s", async (outcome, initial) => {
    const wait = await fakeWait([answer("processing")], {}, { initial });
    expect((await wait.result).outcome).toBe(outcome);
    expect(wait.log.reads).toEqual([]);
    expect(wait.log.sleeps).toEqual([]);
  });

  it("times out with the last status seen, exactly at the deadline", async () => {
    const wait = await fakeWait([answer("processing")], { timeoutMs: 10 * 60_000 });
    const result = await wait.result;
    expect(result.outcome).toBe("timeout");
    expect(result.last.process_status).toBe("processing");
    expect(wait.end()).toBe(10 * 60_000);
  });

  it("reads one last time at the deadline, clipping the sleep, and never sleeps past it", async () => {
    const wait = await fakeWait([answer("processing")], {
      timeoutMs: 10_000,
      pollIntervalMs: 4000,
      maxPollIntervalMs: 4000,
    });
    expect((await wait.result).outcome).toBe("timeout");
    expect(wait.log.sleeps).toEqual([4000, 4000, 2000]);
    expect(wait.log.reads.map((read) => read.at)).toEqual([4000, 8000, 10_000]);
  });

  it.each([
    { status: "done", outcome: "approved" },
    { status: "reviewing", outcome: "timeout" },
  ])("looks once with no time to wait (wait-timeout 0): $status is $outcome", async (row) => {
    // A new avatar is read back once in any case (the first contact), and 0 is a duration like any other.
    const wait = await fakeWait([answer(row.status)], { timeoutMs: 0 });
    const result = await wait.result;
    expect(result).toMatchObject({ outcome: row.outcome, last: { process_status: row.status } });
    expect(wait.log.reads).toEqual([{ at: 0, deadline: LAST_READ_GRACE_MS }]);
    expect(wait.log.sleeps).toEqual([0]);
  });

  it("counts the time reads take against the deadline", async () => {
    const slow: Step = { answer: persona("processing"), takesMs: 500 };
    const wait = await fakeWait([slow], {
      timeoutMs: 10_000,
      pollIntervalMs: 4000,
      maxPollIntervalMs: 4000,
    });
    expect((await wait.result).outcome).toBe("timeout");
    expect(wait.log.sleeps).toEqual([4000, 4000, 1000]);
    expect(wait.log.reads.map((read) => read.at)).toEqual([4000, 8500, 10_000]);
  });

  it("gives each read the deadline, a read near or at it a short grace only", async () => {
    const wait = await fakeWait([answer("processing")], {
      timeoutMs: 20_000,
      pollIntervalMs: 4000,
      maxPollIntervalMs: 4000,
    });
    await wait.result;
    // A read starting less than LAST_READ_GRACE_MS before the deadline still gets that long.
    expect(wait.log.reads).toEqual([
      { at: 4000, deadline: 20_000 },
      { at: 8000, deadline: 20_000 },
      { at: 12_000, deadline: 20_000 },
      { at: 16_000, deadline: Math.max(20_000, 16_000 + LAST_READ_GRACE_MS) },
      { at: 20_000, deadline: 20_000 + LAST_READ_GRACE_MS },
    ]);
    for (const { deadline } of wait.log.reads) {
      expect(deadline).toBeGreaterThanOrEqual(20_000);
      expect(deadline).toBeLessThanOrEqual(20_000 + LAST_READ_GRACE_MS);
    }
  });

  it("reports each change once, with the elapsed time, the first state included", async () => {
    const wait = await fakeWait([
      answer("pending"),
      answer("processing"),
      answer("processing"),
      answer("processing"),
      answer("reviewing"),
      answer("done", { is_active: false }),
      answer("done", { is_active: false }),
      answer("done"),
    ]);
    expect((await wait.result).outcome).toBe("approved");
    const readEnds = wait.log.reads.map((read) => read.at);
    expect(wait.log.changes).toEqual([
      { status: "pending", active: false, at: 0 },
      { status: "processing", active: false, at: readEnds[1] },
      { status: "reviewing", active: false, at: readEnds[4] },
      { status: "done", active: false, at: readEnds[5] },
      { status: "done", active: true, at: readEnds[7] },
    ]);
    expect(wait.log.heartbeats).toEqual([]);
  });

  it("sends a heartbeat after HEARTBEAT_MS without a change, counted from the last line", async () => {
    const minute = 60_000;
    expect(HEARTBEAT_MS).toBe(5 * minute);
    const script = Array.from({ length: 20 }, (_, i) => answer(i < 3 ? "processing" : "reviewing"));
    const wait = await fakeWait(script, {
      timeoutMs: 16 * minute,
      pollIntervalMs: minute,
      maxPollIntervalMs: minute,
    });
    expect((await wait.result).outcome).toBe("timeout");
    // Reads every minute; the change to "reviewing" at 4 min restarts the count.
    expect(wait.log.changes.map((change) => change.at)).toEqual([0, minute, 4 * minute]);
    expect(wait.log.heartbeats).toEqual([9 * minute, 14 * minute]);
  });

  it.each([
    ["ambiguous", "server", 502],
    ["unprocessed", "throttled", 429],
  ] as const)("survives a %s read error and polls on", async (kind, reason, status) => {
    const error = new CreatifyError(`GET: HTTP ${status}`, kind, reason, status);
    const wait = await fakeWait([{ error }, answer("processing"), answer("done")]);
    expect((await wait.result).outcome).toBe("approved");
    expect(wait.log.readErrors).toEqual([error]);
    // The error costs no extra delay: the schedule simply goes on.
    expect(wait.log.reads.map((read) => read.at)).toEqual([1000, 2500, 4750]);
  });

  it("waits at least Retry-After before the next read, then resumes the schedule", async () => {
    const error = new CreatifyError("HTTP 429", "unprocessed", "throttled", 429, 20_000);
    const wait = await fakeWait([{ error }, answer("processing"), answer("done")]);
    expect((await wait.result).outcome).toBe("approved");
    expect(wait.log.reads.map((read) => read.at)).toEqual([1000, 21_000, 23_250]);
  });

  it("does not let Retry-After push the last read past the deadline", async () => {
    const error = new CreatifyError("HTTP 503", "unprocessed", "server", 503, HOUR);
    const wait = await fakeWait([{ error }, answer("processing")], { timeoutMs: 5000 });
    expect((await wait.result).outcome).toBe("timeout");
    expect(wait.log.reads.map((read) => read.at)).toEqual([1000, 5000]);
    expect(wait.end()).toBe(5000);
  });

  it("ends in a timeout when the read at the deadline fails", async () => {
    const error = new CreatifyError("GET: no answer in time", "ambiguous", "timeout");
    const wait = await fakeWait([answer("processing"), { error, takesMs: 3000 }], {
      timeoutMs: 2000,
    });
    const result = await wait.result;
    expect(result.outcome).toBe("timeout");
    expect(result.last.process_status).toBe("processing");
    expect(wait.log.reads.map((read) => read.at)).toEqual([1000, 2000]);
  });

  it.each([
    ["a final CreatifyError", new CreatifyError("HTTP 404", "final", "not-found", 404)],
    ["a final CreatifyError", new CreatifyError("HTTP 401", "final", "credentials", 401)],
    ["any other error", new TypeError("cannot read properties of undefined")],
  ])("propagates %s without reading again", async (_, error) => {
    const wait = await fakeWait([answer("processing"), { error }, answer("done")]);
    await expect(wait.result).rejects.toBe(error);
    expect(wait.log.reads).toHaveLength(2);
    expect(wait.log.readErrors).toEqual([]);
  });
});
