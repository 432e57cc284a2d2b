// The workflows users copy: examples/, this repository's own workflows and the README's YAML
// snippets. Each keeps the rules of test/support/workflow-rules.ts, and the examples call the two
// actions as their metadata says (actionlint cannot open the actions by their published names).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  expression,
  GROUP,
  type Snippet,
  snippetOf,
  violations,
  type Workflow,
} from "../support/workflow-rules.ts";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const metadata = (file: string) =>
  parse(read(file)) as {
    inputs: Record<string, { required?: boolean }>;
    outputs: Record<string, unknown>;
  };
const ACTIONS: Record<string, ReturnType<typeof metadata>> = {
  "creatify-avatar/action@v1": metadata("action.yml"),
  "creatify-avatar/action/generate@v1": metadata("generate/action.yml"),
};

const examples = readdirSync(path.join(root, "examples"))
  .filter((file) => file.endsWith(".yml") && file !== "manifest.yml")
  .map((file) => `examples/${file}`);
const ours = readdirSync(path.join(root, ".github/workflows"))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => `.github/workflows/${file}`);

/** The README's ```yaml blocks that are a workflow, jobs or steps, by the line they start on. */
function readmeSnippets(): { line: number; snippet: Snippet }[] {
  const text = read("README.md");
  return [...text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].flatMap((match) => {
    const snippet = snippetOf(match[1] ?? "");
    const line = text.slice(0, match.index).split("\n").length;
    return snippet ? [{ line, snippet }] : [];
  });
}

describe.each([...examples, ...ours])("%s", (file) => {
  const text = read(file);
  const snippet = snippetOf(text);

  it("keeps the workflow rules", () => {
    expect(snippet?.kind).toBe("workflow");
    if (snippet) expect(violations(snippet)).toEqual([]);
  });

  it("says why where it uses changed-only or Git LFS", () => {
    if (/changed-only: true/.test(text)) expect(text).toMatch(/last successful run/);
    if (/lfs: true/.test(text)) expect(text).toMatch(/over 100 MB/);
  });
});

describe("README.md's workflow snippets", () => {
  const snippets = readmeSnippets();
  it("has some", () => {
    expect(snippets.length).toBeGreaterThan(0);
  });
  it.each(snippets)("the one at line $line keeps the workflow rules", ({ snippet }) => {
    expect(violations(snippet)).toEqual([]);
  });
});

describe("the workflow rules", () => {
  const step = (uses: string, given: Record<string, unknown> = {}) => ({
    uses,
    with: {
      "api-id": expression("secrets.CREATIFY_API_ID"),
      "api-key": expression("secrets.CREATIFY_API_KEY"),
      ...given,
    },
  });
  /** A workflow that keeps every rule; each row below breaks one. */
  const good = (): Workflow => ({
    on: { push: { branches: ["main"] } },
    permissions: { actions: "read", contents: "read" },
    concurrency: { group: GROUP, "cancel-in-progress": false },
    jobs: {
      submit: {
        "timeout-minutes": 60,
        steps: [
          { uses: "actions/checkout@v6", with: { lfs: true } },
          step("creatify-avatar/action@v1", {
            manifest: "avatars.yml",
            "changed-only": true,
            wait: true,
            "wait-timeout": "20m",
          }),
          step("creatify-avatar/action/generate@v1", { "avatar-id": "x", script: "Hi" }),
          { uses: "actions/upload-artifact@v6" },
        ],
      },
    },
  });
  const submit = (workflow: Workflow) => workflow.jobs.submit as Required<Workflow["jobs"][string]>;
  const avatarStep = (workflow: Workflow) => submit(workflow).steps[1]?.with ?? {};

  it("accepts the good workflow", () => {
    expect(violations({ kind: "workflow", workflow: good() })).toEqual([]);
  });

  it.each<{ name: string; breaks: (workflow: Workflow) => void; error: string }>([
    {
      name: "no concurrency group",
      breaks: (w) => delete w.concurrency,
      error: `job submit creates but is not in the concurrency group ${GROUP}`,
    },
    {
      name: "a group keyed on the ref",
      breaks: (w) => {
        w.concurrency = {
          group: `creatify-${expression("github.ref")}`,
          "cancel-in-progress": false,
        };
      },
      error: `job submit creates but is not in the concurrency group ${GROUP}`,
    },
    {
      name: "cancel-in-progress: true",
      breaks: (w) => {
        w.concurrency = { group: GROUP, "cancel-in-progress": true };
      },
      error: "job submit's concurrency group does not say cancel-in-progress: false",
    },
    {
      name: "a wait longer than timeout-minutes",
      breaks: (w) => {
        avatarStep(w)["wait-timeout"] = "45m";
      },
      // 45 minutes for the avatar, the generate step's default 30 for the video.
      error: "job submit's steps may wait 75 minutes, longer than its timeout-minutes 60",
    },
    {
      name: "a wait longer than 6 hours without timeout-minutes",
      breaks: (w) => {
        delete submit(w)["timeout-minutes"];
        avatarStep(w)["wait-timeout"] = "6h";
      },
      error: "job submit's steps may wait 390 minutes, longer than GitHub's 6 hours",
    },
    {
      name: "a scheduled workflow that waits",
      breaks: (w) => {
        w.on = { schedule: [{ cron: "17 */6 * * *" }] };
      },
      error: "job submit waits in a scheduled workflow: read once with wait: false",
    },
    {
      name: "actions/checkout@v4",
      breaks: (w) => {
        submit(w).steps[0] = { uses: "actions/checkout@v4", with: { lfs: true } };
      },
      error: "job submit: actions/checkout@v4 is below actions/checkout@v6, the Node 24 major",
    },
    {
      name: "actions/download-artifact@v6",
      breaks: (w) => {
        submit(w).steps.push({ uses: "actions/download-artifact@v6" });
      },
      error:
        "job submit: actions/download-artifact@v6 is below actions/download-artifact@v7, the Node 24 major",
    },
    {
      name: "github/codeql-action/init@v3",
      breaks: (w) => {
        submit(w).steps.push({ uses: "github/codeql-action/init@v3" });
      },
      error:
        "job submit: github/codeql-action/init@v3 is below github/codeql-action@v4, the Node 24 major",
    },
    {
      name: "a runner action pinned by commit",
      breaks: (w) => {
        submit(w).steps.push({ uses: `actions/setup-node@${"a".repeat(40)}` });
      },
      error: `job submit: actions/setup-node@${"a".repeat(40)} is below actions/setup-node@v6, the Node 24 major`,
    },
    {
      name: "a checkout of videos without lfs",
      breaks: (w) => {
        submit(w).steps[0] = { uses: "actions/checkout@v6" };
      },
      error: "job submit checks out videos without lfs: true",
    },
    {
      name: "changed-only without actions: read",
      breaks: (w) => {
        w.permissions = { contents: "read" };
      },
      error: "job submit uses changed-only without permissions actions: read and contents: read",
    },
  ])("rejects $name", ({ breaks, error }) => {
    const workflow = good();
    breaks(workflow);
    expect(violations({ kind: "workflow", workflow })).toEqual([error]);
  });

  it("holds a dry run, a read by avatar-id and a sandbox run to no group", () => {
    const workflow = good();
    delete workflow.concurrency;
    const steps = submit(workflow).steps;
    Object.assign(avatarStep(workflow), { "dry-run": true });
    steps[2] = step("creatify-avatar/action/generate@v1", { "dry-run": true });
    expect(violations({ kind: "workflow", workflow })).toEqual([]);
    steps[1] = step("creatify-avatar/action@v1", { "avatar-id": "x" });
    expect(violations({ kind: "workflow", workflow })).toEqual([]);
    steps[1] = { uses: "./", with: { "api-key": expression("steps.sandbox.outputs.api-key") } };
    expect(violations({ kind: "workflow", workflow })).toEqual([]);
  });

  it.each([
    { name: "a manifest", text: "avatars:\n  - video: a.mp4\n", kind: undefined },
    { name: "steps", text: "- uses: actions/checkout@v6\n- run: echo\n", kind: "steps" },
    { name: "jobs", text: "avatar:\n  steps:\n    - run: echo\n", kind: "jobs" },
    { name: "a workflow", text: "on: push\njobs:\n  a:\n    steps: []\n", kind: "workflow" },
  ])("reads $name as $kind", ({ text, kind }) => {
    expect(snippetOf(text)?.kind).toBe(kind);
  });

  it("holds steps and jobs snippets to the rules they can break", () => {
    const steps = snippetOf(
      [
        "- uses: actions/checkout@v4",
        "- uses: creatify-avatar/action@v1",
        "  with:",
        `    api-key: ${expression("secrets.CREATIFY_API_KEY")}`,
        "    video: a.mp4",
        "    wait: true",
        "    wait-timeout: 7h",
      ].join("\n"),
    );
    expect(steps && violations(steps)).toEqual([
      "job steps's steps may wait 420 minutes, longer than GitHub's 6 hours",
      "job steps: actions/checkout@v4 is below actions/checkout@v6, the Node 24 major",
      "job steps checks out videos without lfs: true",
    ]);
  });
});

describe.each(examples)("%s calls the actions", (file) => {
  const text = read(file);
  const { jobs } = parse(text) as Workflow;
  const steps = Object.values(jobs).flatMap((job) => job.steps ?? []);
  const calls = steps.filter((step) => step.uses && step.uses in ACTIONS);

  it("with inputs they declare, required ones included", () => {
    for (const step of calls) {
      const action = ACTIONS[step.uses ?? ""];
      if (!action) continue;
      const given = Object.keys(step.with ?? {});
      for (const name of given)
        expect(Object.keys(action.inputs), `${step.uses} ${name}`).toContain(name);
      const required = Object.entries(action.inputs).filter(([, input]) => input.required === true);
      for (const [name] of required) expect(given, `${step.uses} needs ${name}`).toContain(name);
    }
  });

  it("reading only outputs the steps have", () => {
    const byId = new Map(calls.filter((step) => step.id).map((step) => [step.id, step]));
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = byId.get(id);
      if (!step) continue;
      const action = ACTIONS[step.uses ?? ""];
      expect(Object.keys(action?.outputs ?? {}), `steps.${id}.outputs.${output}`).toContain(output);
    }
  });
});
