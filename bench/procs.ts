/** Child processes for the benchmark: timed, with CPU time and peak RSS, killable as a group. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";

export const GNU_TIME = "/usr/bin/time";

/**
 * A module for `node --import` that writes the process's `/proc/self/io` to the file named
 * by BENCH_IO_FILE as it exits: `rchar` is every byte the process read (files, sockets,
 * the bundle itself), counted by the kernel, page cache or not. A `data:` URL needs no file
 * and no type stripping, so it adds next to nothing to the run it measures.
 */
export const IO_PRELOAD = `data:text/javascript,${encodeURIComponent(
  'import{readFileSync,writeFileSync}from"node:fs";const f=process.env.BENCH_IO_FILE;' +
    'if(f)process.on("exit",()=>writeFileSync(f,readFileSync("/proc/self/io")));',
)}`;

/** `rchar` from a `/proc/<pid>/io` copy written by IO_PRELOAD, or undefined. */
export async function readRchar(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => "");
  await rm(file, { force: true });
  const m = /^rchar:\s*(\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface Usage {
  /** Peak resident set size in KiB (ru_maxrss, or the last VmHWM seen when polling). */
  maxRssKiB: number | undefined;
  /** CPU seconds of the child (ru_utime, ru_stime); undefined without GNU time. */
  userS: number | undefined;
  sysS: number | undefined;
}

export interface ProcResult extends Usage {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** hrtime (ns) just before spawn() and at the exit event. */
  spawnAt: bigint;
  exitAt: bigint;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ProcOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Measure CPU time and peak RSS, writing GNU time's report to this file. */
  usageFile?: string;
  /** Send stdout to /dev/null instead of keeping its tail (`cat` of a 1 GiB file). */
  discardStdout?: boolean;
}

const live = new Set<ChildProcess>();
const KEEP = 256 * 1024;

/** Kills every child still running (each spawned in its own process group). */
export function killAll(): void {
  for (const c of live) killGroup(c);
}

function killGroup(c: ChildProcess): void {
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  try {
    process.kill(-c.pid, "SIGKILL");
  } catch {
    c.kill("SIGKILL");
  }
}

/**
 * Runs a command. With `usageFile`, the command runs under GNU time (`-f "%M %U %S"`), which
 * reports the rusage that wait4() returns for the child: ru_maxrss, the exact high-water
 * mark of resident memory over the process's whole life, and its user and system CPU time,
 * all threads included, collected after it exited, so nothing is missed between samples and
 * there is no race with the exit. GNU time prints the CPU times to 10 ms. Without
 * /usr/bin/time there is no CPU time, and the RSS falls back to polling VmHWM in
 * /proc/<pid>/status every 10 ms (also a high-water mark, but the last sample can come before
 * the final peak).
 */
export async function runProcess(
  cmd: string,
  args: string[],
  opts: ProcOptions,
): Promise<ProcResult> {
  const useTime = opts.usageFile !== undefined && existsSync(GNU_TIME);
  const [file, argv] =
    useTime && opts.usageFile
      ? [GNU_TIME, ["-f", "%M %U %S", "-o", opts.usageFile, cmd, ...args]]
      : [cmd, args];
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  let polledKiB: number | undefined;
  const spawnAt = process.hrtime.bigint();
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", opts.discardStdout ? "ignore" : "pipe", "pipe"],
    detached: true,
  });
  live.add(child);
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (s: string) => {
    stdout = (stdout + s).slice(-KEEP);
  });
  child.stderr?.on("data", (s: string) => {
    stderr = (stderr + s).slice(-KEEP);
  });
  const poll =
    opts.usageFile !== undefined && !useTime
      ? setInterval(() => {
          const kib = vmHwm(child.pid);
          if (kib !== undefined) polledKiB = Math.max(polledKiB ?? 0, kib);
        }, 10)
      : undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, opts.timeoutMs);

  const [code, signal, exitAt] = await new Promise<[number | null, NodeJS.Signals | null, bigint]>(
    (resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (c, s) => resolve([c, s, process.hrtime.bigint()]));
    },
  ).finally(() => {
    clearTimeout(timer);
    if (poll) clearInterval(poll);
    live.delete(child);
  });
  // Let the pipes drain.
  await Promise.all(
    [child.stdout, child.stderr].map(
      (s) => new Promise<void>((r) => (!s || s.readableEnded ? r() : s.once("close", () => r()))),
    ),
  );

  const usage: Usage = { maxRssKiB: polledKiB, userS: undefined, sysS: undefined };
  if (useTime && opts.usageFile) {
    const text = await readFile(opts.usageFile, "utf8").catch(() => "");
    await rm(opts.usageFile, { force: true });
    // GNU time may print "Command exited with non-zero status N" before the values.
    const m = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(text.trim().split("\n").pop() ?? "");
    if (m) {
      usage.maxRssKiB = Number(m[1]);
      usage.userS = Number(m[2]);
      usage.sysS = Number(m[3]);
    }
  }
  return { code, signal, spawnAt, exitAt, ...usage, stdout, stderr, timedOut };
}

function vmHwm(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
