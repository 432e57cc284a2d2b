// The step runner both actions stand on, read as the runner reads a step: the lines it
// prints (masks, annotations, outputs as workflow commands) and the exit code it leaves.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Input } from "../../src/constants.ts";
import { InputError } from "../../src/errors.ts";
import { runStep, type Step, type StepReport, secretInputs } from "../../src/github/step.ts";

/** What the step printed, line by line, while `run` ran. */
async function printed(run: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return chunks.join("").split("\n").slice(0, -1);
}

/** A report that records what the runner asked of it. */
function recordingReport() {
  const calls: string[] = [];
  const report: StepReport = {
    publish: () => calls.push("publish"),
    writeSummary: async () => void calls.push("summary"),
    progress: () => [],
    failed: (message) => calls.push(`failed: ${message}`),
  };
  return { report, calls };
}

beforeEach(() => {
  // Outputs as `::set-output` lines on stdout, not into a runner's file.
  vi.stubEnv("GITHUB_OUTPUT", "");
  vi.stubEnv("GITHUB_STEP_SUMMARY", "");
  for (const name of [Input.ApiId, Input.ApiKey, Input.WebhookUrl]) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, "");
  }
});

afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

describe("secretInputs", () => {
  const inputs = (values: Partial<Record<string, string>>) => (name: string) => values[name] ?? "";
  it.each([
    { name: "both credentials", given: { "api-id": "id", "api-key": "key" }, exp: ["id", "key"] },
    { name: "none given", given: {}, exp: [] },
    {
      name: "a webhook with a query (a token)",
      given: { "api-key": "key", "webhook-url": "https://h/x?token=t" },
      exp: ["key", "https://h/x?token=t"],
    },
    { name: "a webhook without one", given: { "webhook-url": "https://h/x" }, exp: [] },
  ])("$name", ({ given, exp }) => {
    expect(secretInputs(inputs(given))).toEqual(exp);
  });
});

describe("runStep", () => {
  it("masks the credentials first and hides them in every line", async () => {
    vi.stubEnv("INPUT_API-KEY", "key-0123456789");
    const lines = await printed(() =>
      runStep({}, async (step) => step.log.info("sent key-0123456789 to the API")),
    );
    expect(lines).toEqual(["::add-mask::key-0123456789", "sent *** to the API"]);
    expect(process.exitCode).toBeUndefined();
  });

  it("masks a secret found while running, in the log and the outputs", async () => {
    const hook = "https://hooks.example/x?token=abc123";
    const lines = await printed(() =>
      runStep({}, async (step) => {
        step.log.info(`before: ${hook}`);
        step.addSecret(hook);
        step.log.info(`after: ${hook}`);
        step.outputs.set(new Map([["webhook", hook]]));
      }),
    );
    expect(lines.filter((line) => line !== "")).toEqual([
      `before: ${hook}`,
      `::add-mask::${hook}`,
      "after: ***",
      "::set-output name=webhook::***",
    ]);
  });

  it("fails the step once, on the manifest's line, and still publishes the report", async () => {
    const { report, calls } = recordingReport();
    const lines = await printed(() =>
      runStep({}, async (step) => {
        step.show(report);
        throw new InputError("avatars[1]: no video.", { file: "avatars.yml", line: 7 });
      }),
    );
    expect(lines).toEqual(["::error file=avatars.yml,line=7::avatars[1]: no video."]);
    expect(process.exitCode).toBe(1);
    expect(calls).toEqual(["failed: avatars[1]: no video.", "publish", "summary"]);
  });

  it("fails without a report when the inputs are refused (nothing to publish)", async () => {
    const lines = await printed(() =>
      runStep({}, async () => {
        throw new InputError('Input "aspect-ratio": "4x3" is not one of 9x16, 16x9, 1x1.');
      }),
    );
    expect(lines).toEqual(['::error::Input "aspect-ratio": "4x3" is not one of 9x16, 16x9, 1x1.']);
    expect(process.exitCode).toBe(1);
  });

  it("publishes after the journey on success, and leaves the exit code alone", async () => {
    const { report, calls } = recordingReport();
    await printed(() =>
      runStep({}, async (step) => {
        step.show(report);
        calls.push("journey");
      }),
    );
    expect(calls).toEqual(["journey", "publish", "summary"]);
    expect(process.exitCode).toBeUndefined();
  });

  it("takes the workspace, the proxy and the timeouts from the environment it is given", async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.end("via the proxy");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    let given: Step | undefined;
    try {
      const env = {
        GITHUB_WORKSPACE: "/work/space",
        HTTP_PROXY: proxyUrl,
        CREATIFY_CALL_BUDGET: "5s",
      };
      await printed(() =>
        runStep(env, async (step) => {
          given = step;
          const answer = await request("http://video.example/v.mp4", {
            dispatcher: step.dispatcher,
          });
          expect(await answer.body.text()).toBe("via the proxy");
        }),
      );
    } finally {
      proxy.close();
    }
    expect(seen).toEqual(["http://video.example/v.mp4"]);
    expect(given?.workspace).toBe("/work/space");
    expect(given?.http({ baseUrl: "b", apiId: "i", apiKey: "k" }).callBudgetMs).toBe(5000);
    // Closed with the step: nothing it opened holds the process.
    const after = given && request(proxyUrl, { dispatcher: given.dispatcher });
    await expect(after).rejects.toThrow(/destroyed/);
  });
});
