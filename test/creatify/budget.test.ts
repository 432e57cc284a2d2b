import { describe, expect, it } from "vitest";
import {
  calls,
  fields,
  lines,
  mine,
  newClient,
  newHttp,
  sandbox,
  sentOnceStopped,
  settle,
  sleeps,
  useSandbox,
  videoFile,
} from "../support/http-sandbox.ts";

useSandbox();

const DAY_MS = 86_400_000;
const LIST = { method: "GET", path: "/api/personas_v2/" } as const;

describe("bounds on an answer's time", () => {
  it.each([
    [1000, 60_000, "1s limit per call"],
    [60_000, 1000, "deadline"],
  ])(
    "end a drip-fed answer at the call budget (%i ms) or the deadline (in %i ms), whichever is first",
    async (callBudgetMs, deadlineIn, limit) => {
      sandbox.fault({ ...LIST, kind: "drip", contentLength: 1_000_000, everyMs: 20, times: 10 });
      const started = Date.now();
      const error = await newHttp({ callBudgetMs })
        .read({ ...LIST, deadline: started + deadlineIn })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "ambiguous",
        reason: "timeout",
        message: `GET /api/personas_v2/: no answer in time (${limit})`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeLessThan(3000);
      // No time was left for another attempt, and the client hung up.
      expect(sandbox.requests).toHaveLength(1);
      expect(await sentOnceStopped()).toBeLessThan(200);
    },
  );

  it("make no retry that would start after the call budget", async () => {
    sandbox.fault({ ...LIST, kind: "status", status: 503, headers: { "retry-after": "2" } });
    const error = await newHttp({ callBudgetMs: 1000 })
      .read(LIST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(sandbox.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("bound reading a create's answer by the budget, but not its upload", async () => {
    const json = JSON.stringify({ ...fields, lipsync_input: "https://cdn.example.com/v.mp4" });
    const third = Math.ceil(json.length / 3);
    async function* slowly() {
      for (let at = 0; at < json.length; at += third) {
        await settle(300);
        yield Buffer.from(json.slice(at, at + third));
      }
    }
    const body = () => ({
      stream: slowly(),
      contentType: "application/json",
      contentLength: Buffer.byteLength(json),
    });
    const created = await newHttp({ callBudgetMs: 200 }).send({
      method: "POST",
      path: "/api/personas/",
      body,
    });
    expect(created).toMatchObject({ creator_name: "James" });

    sandbox.fault({
      method: "POST",
      path: "/api/personas_v2/",
      kind: "drip",
      status: 201,
      contentLength: 1000,
      everyMs: 20,
      store: true,
    });
    const persona = await newClient({ callBudgetMs: 300 }).createFromFiles(
      fields,
      await videoFile(4096),
      undefined,
      mine(),
    );
    expect(persona.id).toBe(sandbox.personas[1]?.id);
    expect(calls().slice(1)).toEqual(["POST /api/personas_v2/", "GET /api/personas_v2/"]);
    expect(lines[0]).toMatch(/no answer in time \(300ms limit per call\).*looking for the avatar/);
  });

  it.each<[number | undefined, string]>([
    [undefined, "the default budget"],
    [30 * DAY_MS, "a budget beyond a timer's reach"],
  ])("keep a deadline 25 days out with %s", async (callBudgetMs) => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const persona = sandbox.seed({ creator_name: "Ana" });
      const read = await newClient({ callBudgetMs }).get(persona.id, Date.now() + 25 * DAY_MS);
      expect(read.id).toBe(persona.id);
      await settle(10);
      expect(warnings).not.toContain("TimeoutOverflowWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});
