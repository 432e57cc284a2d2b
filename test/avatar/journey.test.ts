import { describe, expect, it } from "vitest";
import type { AvatarContext } from "../../src/avatar/context.ts";
import { followAvatar } from "../../src/avatar/journey.ts";
import { newRecord } from "../../src/avatar/record.ts";
import { Report } from "../../src/avatar/report.ts";
import type { AvatarsClient } from "../../src/creatify/avatars.ts";
import type { Persona } from "../../src/creatify/persona.ts";
import { StepOutputs } from "../../src/github/outputs.ts";
import { persona } from "../support/persona.ts";

/** An arbitrary epoch, so a deadline computed relative to zero would show. */
const T0 = 1_750_000_000_000;

describe("followAvatar", () => {
  /** Follows James on a fake clock; `reads` answer in turn, the last one sticking. */
  async function follow(reads: Persona[], failOnTimeout: boolean) {
    let clock = T0;
    let next = 0;
    const outputs = new Map<string, string>();
    const report = new Report(
      new StepOutputs(undefined, (name, value) => outputs.set(name, value)),
    );
    const record = report.add(newRecord("https://cdn.example.com/james.mp4", "James", clock));
    record.persona = persona("pending");
    const client = {
      get: async () => reads[Math.min(next++, reads.length - 1)],
    } as unknown as AvatarsClient;
    const lines: string[] = [];
    const context: AvatarContext = {
      client,
      log: {
        info: (m) => lines.push(m),
        notice: (m) => lines.push(m),
        warning: (m) => lines.push(m),
        error: (m) => lines.push(m),
        debug: () => {},
      },
      report,
      deleteReplaced: false,
      wait: {
        enabled: true,
        timeoutMs: 10_000,
        pollIntervalMs: 1000,
        maxPollIntervalMs: 1000,
        failOnTimeout,
      },
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      random: () => 0.5,
    };
    const done = followAvatar(record, context).then(() => report.publish());
    return { done, outputs, lines };
  }

  it("keeps the last persona read, not the last status change, for the outputs", async () => {
    const later = persona("processing", { updated_at: "2025-01-02T00:00:00Z" });
    const run = await follow(
      [persona("processing", { updated_at: "2025-01-01T00:00:00Z" }), later],
      false,
    );
    await run.done;
    expect(run.outputs.get("status")).toBe("processing");
    expect(JSON.parse(run.outputs.get("avatar") ?? "{}")).toEqual(later);
  });

  it.each([
    [true, "rejects"],
    [false, "resolves"],
  ] as const)("with fail-on-timeout %s, a timeout %s", async (failOnTimeout, how) => {
    const run = await follow([persona("processing")], failOnTimeout);
    if (how === "rejects") {
      await expect(run.done).rejects.toThrow(
        /still processing after 10s\. Follow it up later with avatar-id: 3f1c2b9e/,
      );
    } else {
      await run.done;
      expect(run.lines.at(-1)).toMatch(/still processing after 10s/);
    }
  });
});
