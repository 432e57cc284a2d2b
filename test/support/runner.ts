// Runs the committed bundle the way the GitHub runner does: INPUT_<NAME> variables
// (hyphens kept), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE, and
// reads the outputs back. Shared by the end-to-end tests and `npm run demo`.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Sandbox } from "../sandbox/server.ts";
import { mp4Layout } from "./mp4.ts";

/** The committed bundle; CREATIFY_BUNDLE points at another build (e.g. one in .tmp/) while working. */
export const BUNDLE =
  process.env.CREATIFY_BUNDLE ?? path.resolve(import.meta.dirname, "../../dist/index.js");
/** The generate action's bundle (generate/action.yml); CREATIFY_GENERATE_BUNDLE points at another. */
export const GENERATE_BUNDLE =
  process.env.CREATIFY_GENERATE_BUNDLE ??
  path.resolve(import.meta.dirname, "../../dist/generate/index.js");

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

/**
 * A small MP4 (or QuickTime with brand `qt  `) of `size` bytes (or the ~1 KB its boxes need): ftyp, a moov with a
 * video and an audio track (so the action has no header to warn about), then media data in a
 * pattern that differs from chunk to chunk, so an upload that sent a stale buffer would show.
 */
export function mp4Bytes(size: number, brand = "isom"): Buffer {
  const overhead = mp4Layout({ brand, mdatSize: 0 }).size;
  const layout = mp4Layout({ brand, mdatSize: Math.max(0, size - overhead) });
  const bytes = Buffer.alloc(layout.size);
  for (let i = layout.media.start; i < layout.media.end; i++) bytes[i] = i % 251;
  for (const part of layout.parts) part.bytes.copy(bytes, part.offset);
  return bytes;
}

export interface RunOptions {
  /** The bundle to run: the avatar action's (BUNDLE) unless told otherwise. */
  bundle?: string;
  /** Action inputs by their action.yml names; credentials default to the sandbox's. */
  inputs: Record<string, string>;
  sandbox?: Sandbox;
  workspace: Workspace;
  env?: Record<string, string>;
  /** Sends `signal` once stdout contains `on` (and `delayMs` more have passed). */
  signal?: { on: string; signal: NodeJS.Signals; delayMs?: number };
  timeoutMs?: number;
  /** Sees the action's output as it comes (the demo prints it live). */
  onStdout?: (chunk: Buffer) => void;
  /** Measures the action's peak RSS into `peakRssKiB`; not with `signal` (see rssMeter). */
  measureRss?: boolean;
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
  /** The action's peak resident set size in KiB, when `measureRss` asked for it. */
  peakRssKiB?: number;
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

  const meter = options.measureRss ? rssMeter(runnerDir, options) : undefined;
  const bundle = options.bundle ?? BUNDLE;
  const [file, args] = meter?.wrap(process.execPath, [bundle]) ?? [process.execPath, [bundle]];
  // Its own process group when measured, so a timeout can kill GNU time and the action alike.
  const child = spawn(file, args, { env, cwd: workspace.dir, detached: meter !== undefined });
  meter?.watch(child);
  if (options.onStdout) child.stdout.on("data", options.onStdout);
  let stdout = "";
  let stderr = "";
  let signalled = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.signal && !signalled && stdout.includes(options.signal.on)) {
      signalled = true;
      const { signal, delayMs = 0 } = options.signal;
      setTimeout(() => child.kill(signal), delayMs);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => {
    if (meter && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  }, options.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  const peakRssKiB = await meter?.peakKiB();

  const written = parseOutputs(await readFile(outputFile, "utf8"));
  const summary = await readFile(summaryFile, "utf8");
  await rm(runnerDir, { recursive: true, force: true });
  const secrets = [inputs["api-id"], inputs["api-key"]].filter(
    (secret): secret is string => !!secret,
  );
  const result: RunResult = { code, stdout, stderr, ...written, summary, secrets };
  if (peakRssKiB !== undefined) result.peakRssKiB = peakRssKiB;
  return result;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Peak RSS of the action, as bench/procs.ts measures it: under GNU time when the system has
 * it, the kernel's exact ru_maxrss over the whole life of the process; else the VmHWM
 * high-water mark polled from /proc every 10 ms, which can miss a peak in the last few.
 * GNU time would take a signal meant for the action, hence not with `signal`.
 */
function rssMeter(runnerDir: string, options: RunOptions) {
  if (options.signal) throw new Error("measureRss cannot be combined with signal");
  const report = path.join(runnerDir, "rss");
  const timed = existsSync(GNU_TIME);
  let polledKiB = 0;
  let poll: NodeJS.Timeout | undefined;
  return {
    wrap: (file: string, args: string[]): [string, string[]] =>
      timed ? [GNU_TIME, ["-f", "%M", "-o", report, file, ...args]] : [file, args],
    watch(child: ChildProcess): void {
      if (timed) return;
      poll = setInterval(() => {
        polledKiB = Math.max(polledKiB, vmHwmKiB(child.pid) ?? 0);
      }, 10);
    },
    async peakKiB(): Promise<number | undefined> {
      clearInterval(poll);
      if (!timed) return polledKiB || undefined;
      // Absent when the run was killed; GNU time may write "Command exited with non-zero
      // status N" before the value.
      const text = await readFile(report, "utf8").catch(() => "");
      const last = text.trim().split("\n").pop() ?? "";
      return /^\d+$/.test(last) ? Number(last) : undefined;
    },
  };
}

function vmHwmKiB(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
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
