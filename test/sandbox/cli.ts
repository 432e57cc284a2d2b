// Runs a sandbox until interrupted: `node test/sandbox/cli.ts [--port N] [--max-count N]
// [--statuses pending,done]`. Prints one JSON line {url, apiId, apiKey} for scripts to read.

import { parseArgs } from "node:util";
import { startSandbox } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "max-count": { type: "string" },
    statuses: { type: "string" },
  },
});

const sandbox = await startSandbox({
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values["max-count"] ? { maxCount: Number(values["max-count"]) } : {}),
  ...(values.statuses ? { statuses: values.statuses.split(",").map((s) => s.trim()) } : {}),
});
console.log(JSON.stringify({ url: sandbox.url, apiId: sandbox.apiId, apiKey: sandbox.apiKey }));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    sandbox.close().then(() => process.exit(0));
  });
}
