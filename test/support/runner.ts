// Runs the committed bundle the way the GitHub runner does: INPUT_<NAME> variables
// (hyphens kept), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE, and
// reads the outputs back. Shared by the end-to-end tests and `npm run demo`.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Sandbox } from "../sandbox/server.ts";

/** The committed bundle; CREATIFY_BUNDLE points at another build (e.g. one in .tmp/) while working. */
export const BUNDLE =
  process.env.CREATIFY_BUNDLE ?? path.resolve(import.meta.dirname, "../../dist/index.js");

export interface Workspace {
  dir: string;
  /** Writes a file under the workspace; returns its workspace-relative path. */
  write(relative: string, content: string | Buffer): Promise<string>;
  /** Writes a small valid MP4 (or QuickTime with `brand: "qt  "`) of `size` bytes. */
  video(relative: string, size?: number, brand?: string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), "creatify-e2e-"));
  const write = async (relative: string, content: string | Buffer) => {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return relative;
  };
  return {
    dir,
    write,
    video: (relative, size = 4096, brand = "isom") => write(relative, mp4Bytes(size, brand)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An `ftyp` box with the given major brand, then filler bytes up to `size`. */
export function mp4Bytes(size: number, brand = "isom"): Buffer {
  const bytes = Buffer.alloc(Math.max(size, 24));
  bytes.writeUInt32BE(24, 0);
  bytes.write("ftyp", 4, "latin1");
  bytes.write(brand.padEnd(4).slice(0, 4), 8, "latin1");
  bytes.write("isomiso2mp41", 12, "latin1");
  for (let i = 24; i < bytes.length; i++) bytes[i] = i % 251;
  return bytes;
}

export interface RunOptions {
  /** Action inputs by their action.yml names; credentials default to the sandbox's. */
  inputs: Record<string, string>;
  sandbox?: Sandbox;
  workspace: Workspace;
  env?: Record<string, string>;
  /** Sends `signal` once stdout contains `on`. */
  signal?: { on: string; signal: NodeJS.Signals };
  timeoutMs?: number;
  /** Sees the action's output as it comes (the demo prints it live). */
  onStdout?: (chunk: Buffer) => void;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Last value of each output in GITHUB_OUTPUT (the runner keeps the last). */
  outputs: Record<string, string>;
  /** How often each output was written. */
  writes: Record<string, number>;
  summary: string;
  /** The credentials the run was given, for leak checks. */
  secrets: string[];
}

export async function runBundle(options: RunOptions): Promise<RunResult> {
  const { sandbox, workspace } = options;
  const runnerDir = await mkdtemp(path.join(tmpdir(), "creatify-runner-"));
  const outputFile = path.join(runnerDir, "output");
  const summaryFile = path.join(runnerDir, "summary");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const inputs = {
    ...(sandbox && { "api-id": sandbox.apiId, "api-key": sandbox.apiKey, "base-url": sandbox.url }),
    ...options.inputs,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GITHUB_WORKSPACE: workspace.dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: "true",
    RUNNER_TEMP: runnerDir,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
    ...options.env,
  };

  const child = spawn(process.execPath, [BUNDLE], { env, cwd: workspace.dir });
  if (options.onStdout) child.stdout.on("data", options.onStdout);
  let stdout = "";
  let stderr = "";
  let signalled = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.signal && !signalled && stdout.includes(options.signal.on)) {
      signalled = true;
      child.kill(options.signal.signal);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);

  const written = parseOutputs(await readFile(outputFile, "utf8"));
  const summary = await readFile(summaryFile, "utf8");
  await rm(runnerDir, { recursive: true, force: true });
  const secrets = [inputs["api-id"], inputs["api-key"]].filter(
    (secret): secret is string => !!secret,
  );
  const result: RunResult = { code, stdout, stderr, ...written, summary, secrets };
  return result;
}

/** The runner's file command format: `name<<DELIMITER\nvalue\nDELIMITER`, or `name=value`. */
export function parseOutputs(text: string): Pick<RunResult, "outputs" | "writes"> {
  const outputs: Record<string, string> = {};
  const writes: Record<string, number> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    let name: string | undefined;
    let value = "";
    if (heredoc?.[1] && heredoc[2]) {
      const end = lines.indexOf(heredoc[2], i + 1);
      name = heredoc[1];
      value = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      name = line.slice(0, line.indexOf("="));
      value = line.slice(line.indexOf("=") + 1);
    }
    if (name) {
      outputs[name] = value;
      writes[name] = (writes[name] ?? 0) + 1;
    }
  }
  return { outputs, writes };
}
