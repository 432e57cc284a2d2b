// The examples call the two actions by their published names, which actionlint cannot open: this
// checks each such step against the action's own metadata (inputs given exist, required ones are
// given, and every `steps.<id>.outputs.<name>` read is an output it has).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.resolve(import.meta.dirname, "..");
const metadata = (file: string) =>
  parse(readFileSync(path.join(root, file), "utf8")) as {
    inputs: Record<string, { required?: boolean }>;
    outputs: Record<string, unknown>;
  };
const ACTIONS: Record<string, ReturnType<typeof metadata>> = {
  "creatify-avatar/action@v1": metadata("action.yml"),
  "creatify-avatar/action/generate@v1": metadata("generate/action.yml"),
};

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

const workflows = readdirSync(path.join(root, "examples")).filter(
  (file) => file.endsWith(".yml") && file !== "manifest.yml",
);

describe.each(workflows)("examples/%s", (file) => {
  const text = readFileSync(path.join(root, "examples", file), "utf8");
  const jobs = (parse(text) as { jobs: Record<string, { steps?: Step[] }> }).jobs;
  const steps = Object.values(jobs).flatMap((job) => job.steps ?? []);
  const ours = steps.filter((step) => step.uses && step.uses in ACTIONS);

  it("calls the actions with inputs they declare, required ones included", () => {
    for (const step of ours) {
      const action = ACTIONS[step.uses ?? ""];
      if (!action) continue;
      const given = Object.keys(step.with ?? {});
      for (const name of given)
        expect(Object.keys(action.inputs), `${step.uses} ${name}`).toContain(name);
      const required = Object.entries(action.inputs).filter(([, input]) => input.required === true);
      for (const [name] of required) expect(given, `${step.uses} needs ${name}`).toContain(name);
    }
  });

  it("reads only outputs the steps have", () => {
    const byId = new Map(ours.filter((step) => step.id).map((step) => [step.id, step]));
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = byId.get(id);
      if (!step) continue;
      const action = ACTIONS[step.uses ?? ""];
      expect(Object.keys(action?.outputs ?? {}), `steps.${id}.outputs.${output}`).toContain(output);
    }
  });
});
