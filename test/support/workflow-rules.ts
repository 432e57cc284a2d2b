// The rules the workflows users copy must keep (examples/ and the README's snippets), so that the
// action's promise (never two avatars, never billed twice, nothing lost) holds as GitHub runs them.
// Each rule returns the violations it finds, as sentences naming the job and step.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { parseDuration } from "../../src/duration.ts";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
export interface Job {
  "timeout-minutes"?: unknown;
  concurrency?: unknown;
  permissions?: unknown;
  steps?: Step[];
}
export interface Workflow {
  on?: unknown;
  concurrency?: unknown;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

/** What a piece of YAML gives: a whole workflow, some jobs, or some steps of one job. */
export type Snippet =
  | { readonly kind: "workflow"; readonly workflow: Workflow }
  | { readonly kind: "jobs"; readonly jobs: Record<string, Job> }
  | { readonly kind: "steps"; readonly steps: Step[] };

/** A workflow, jobs or steps; undefined for other YAML (a manifest, the action's inputs). */
export function snippetOf(text: string): Snippet | undefined {
  const value = parse(text) as unknown;
  const isStep = (item: unknown) => isObject(item) && ("uses" in item || "run" in item);
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isStep) ? { kind: "steps", steps: value } : undefined;
  }
  if (!isObject(value)) return undefined;
  if (isObject(value.jobs)) return { kind: "workflow", workflow: value as unknown as Workflow };
  const jobs = Object.values(value);
  if (jobs.length > 0 && jobs.every((job) => isObject(job) && Array.isArray(job.steps))) {
    return { kind: "jobs", jobs: value as Record<string, Job> };
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const root = path.resolve(import.meta.dirname, "../..");
const inputsOf = (file: string) =>
  (
    parse(readFileSync(path.join(root, file), "utf8")) as {
      inputs: Record<string, { default?: string }>;
    }
  ).inputs;
const AVATAR = inputsOf("action.yml");
const GENERATE = inputsOf("generate/action.yml");

/** The avatar and generate actions, by their published names or from this repository. */
function actionOf(step: Step): typeof AVATAR | undefined {
  const uses = step.uses ?? "";
  if (/^creatify-avatar\/action\/generate@|^\.\/generate$/.test(uses)) return GENERATE;
  if (/^creatify-avatar\/action@|^\.\/?$/.test(uses)) return AVATAR;
  return undefined;
}

/** An input as the step gives it, else the action's default. */
function inputOf(step: Step, name: string): string {
  const given = step.with?.[name];
  return given === undefined ? String(actionOf(step)?.[name]?.default ?? "") : String(given);
}

/** A step of ours with a real account's credentials (not the sandbox's). */
function onAccount(step: Step): boolean {
  return actionOf(step) !== undefined && String(step.with?.["api-key"]).includes("secrets.");
}

/** A step of ours that may create an avatar or a video on a real account. */
function creates(step: Step): boolean {
  const action = actionOf(step);
  if (!onAccount(step)) return false;
  if (inputOf(step, "dry-run") === "true") return false;
  // With avatar-id the avatar action only reads.
  return action === GENERATE || step.with?.["avatar-id"] === undefined;
}

/** A GitHub expression, `${{ inner }}`. */
export const expression = (inner: string) => `\${{ ${inner} }}`;
export const GROUP = `creatify-${expression("github.repository")}`;
/** GitHub-hosted jobs stop at 6 hours. */
const JOB_LIMIT_MINUTES = 360;
/** The majors of the runner actions that run on Node 24. */
export const NODE24_MAJORS: Record<string, number> = {
  "actions/checkout": 6,
  "actions/setup-node": 6,
  "actions/upload-artifact": 6,
  "actions/download-artifact": 7,
  "github/codeql-action": 4,
};

function concurrencyRule(snippet: Snippet): string[] {
  if (snippet.kind !== "workflow") return [];
  const { workflow } = snippet;
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (!(job.steps ?? []).some(creates)) continue;
    const concurrency = (job.concurrency ?? workflow.concurrency) as Record<string, unknown>;
    if (!isObject(concurrency) || concurrency.group !== GROUP) {
      problems.push(`job ${name} creates but is not in the concurrency group ${GROUP}`);
    } else if (concurrency["cancel-in-progress"] !== false) {
      problems.push(`job ${name}'s concurrency group does not say cancel-in-progress: false`);
    }
  }
  return problems;
}

/** Minutes a step of ours may wait: its wait-timeout, or the default when it waits. */
function waitMinutes(step: Step): number {
  if (!actionOf(step) || inputOf(step, "wait") === "false") return 0;
  const timeout = inputOf(step, "wait-timeout");
  const ms = parseDuration(timeout);
  if (ms === undefined)
    throw new Error(`${step.uses}: wait-timeout "${timeout}" is not a duration`);
  return ms / 60_000;
}

function waitRule(jobs: Record<string, Job>): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    const limit = job["timeout-minutes"];
    const minutes = typeof limit === "number" ? limit : JOB_LIMIT_MINUTES;
    const waits = (job.steps ?? []).reduce((sum, step) => sum + waitMinutes(step), 0);
    if (waits > minutes) {
      const bound = typeof limit === "number" ? `its timeout-minutes ${limit}` : "GitHub's 6 hours";
      problems.push(`job ${name}'s steps may wait ${waits} minutes, longer than ${bound}`);
    }
  }
  return problems;
}

function scheduleRule(snippet: Snippet): string[] {
  if (snippet.kind !== "workflow" || !isObject(snippet.workflow.on)) return [];
  if (!("schedule" in snippet.workflow.on)) return [];
  return stepsOf(snippet.workflow.jobs)
    .filter(({ step }) => actionOf(step) === AVATAR && inputOf(step, "wait") === "true")
    .map(({ job }) => `job ${job} waits in a scheduled workflow: read once with wait: false`);
}

function majorsRule(jobs: Record<string, Job>): string[] {
  const problems: string[] = [];
  for (const { job, step } of stepsOf(jobs)) {
    const match = /^((?:actions|github)\/[\w-]+)(?:\/[\w/-]+)?@(.+)$/.exec(step.uses ?? "");
    if (!match?.[1] || !match[2]) continue;
    const [, action, ref] = match;
    const wanted = NODE24_MAJORS[action];
    const major = Number(/^v(\d+)/.exec(ref)?.[1]);
    if (wanted === undefined) {
      problems.push(`job ${job}: ${step.uses} has no known Node 24 major in the table`);
    } else if (!(major >= wanted)) {
      problems.push(`job ${job}: ${step.uses} is below ${action}@v${wanted}, the Node 24 major`);
    }
  }
  return problems;
}

/** A job whose avatar step reads a real account's videos from the checkout fetches them from Git LFS. */
function lfsRule(jobs: Record<string, Job>): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    const steps = job.steps ?? [];
    const readsVideos = steps.some(
      (step) =>
        actionOf(step) === AVATAR &&
        onAccount(step) &&
        (step.with?.manifest !== undefined ||
          (step.with?.video !== undefined && !/^https?:/.test(String(step.with.video)))),
    );
    const checkouts = steps.filter((step) => step.uses?.startsWith("actions/checkout@"));
    if (readsVideos && checkouts.some((step) => step.with?.lfs !== true)) {
      problems.push(`job ${name} checks out videos without lfs: true`);
    }
  }
  return problems;
}

function permissionsRule(snippet: Snippet): string[] {
  if (snippet.kind !== "workflow") return [];
  const problems: string[] = [];
  for (const [name, job] of Object.entries(snippet.workflow.jobs)) {
    const changedOnly = (job.steps ?? []).some(
      (step) => actionOf(step) === AVATAR && String(step.with?.["changed-only"]) === "true",
    );
    const permissions = job.permissions ?? snippet.workflow.permissions;
    const reads = (scope: string) =>
      permissions === "read-all" ||
      permissions === "write-all" ||
      (isObject(permissions) && ["read", "write"].includes(String(permissions[scope])));
    if (changedOnly && !(reads("actions") && reads("contents"))) {
      problems.push(
        `job ${name} uses changed-only without permissions actions: read and contents: read`,
      );
    }
  }
  return problems;
}

function stepsOf(jobs: Record<string, Job>): { job: string; step: Step }[] {
  return Object.entries(jobs).flatMap(([job, { steps }]) =>
    (steps ?? []).map((step) => ({ job, step })),
  );
}

/** Every rule a workflow, jobs or steps break; empty when it keeps them all. */
export function violations(snippet: Snippet): string[] {
  const jobs =
    snippet.kind === "workflow"
      ? snippet.workflow.jobs
      : snippet.kind === "jobs"
        ? snippet.jobs
        : { steps: { steps: snippet.steps } };
  return [
    ...concurrencyRule(snippet),
    ...waitRule(jobs),
    ...scheduleRule(snippet),
    ...majorsRule(jobs),
    ...lfsRule(jobs),
    ...permissionsRule(snippet),
  ];
}
