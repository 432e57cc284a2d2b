/** Child processes for the benchmark: timed, with peak RSS, killable as a group. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";

export const GNU_TIME = "/usr/bin/time";

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** hrtime (ns) just before spawn() and at the exit event. */
  spawnAt: bigint;
  exitAt: bigint;
  /** Peak resident set size in KiB (ru_maxrss, or the last VmHWM seen when polling). */
  maxRssKiB: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ProcOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Measure the peak RSS, writing GNU time's report to this file. */
  rssFile?: string;
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
 * Runs a command. With `rssFile`, the command runs under GNU time (`-f %M`), which reports
 * the kernel's ru_maxrss from wait4(): the exact high-water mark over the process's whole
 * life, collected after it exited, so nothing can be missed between samples and there is
 * no race with the exit. Without /usr/bin/time it falls back to polling VmHWM in
 * /proc/<pid>/status every 10 ms (also a high-water mark, but the last sample can come
 * before the final peak).
 */
export async function runProcess(
  cmd: string,
  args: string[],
  opts: ProcOptions,
): Promise<ProcResult> {
  const useTime = opts.rssFile !== undefined && existsSync(GNU_TIME);
  const [file, argv] =
    useTime && opts.rssFile
      ? [GNU_TIME, ["-f", "%M", "-o", opts.rssFile, cmd, ...args]]
      : [cmd, args];
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  let polledKiB: number | undefined;
  const spawnAt = process.hrtime.bigint();
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
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
    opts.rssFile !== undefined && !useTime
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

  let maxRssKiB = polledKiB;
  if (useTime && opts.rssFile) {
    const text = await readFile(opts.rssFile, "utf8").catch(() => "");
    await rm(opts.rssFile, { force: true });
    // GNU time may print "Command exited with non-zero status N" before the value.
    const last = text.trim().split("\n").pop() ?? "";
    if (/^\d+$/.test(last)) maxRssKiB = Number(last);
  }
  return { code, signal, spawnAt, exitAt, maxRssKiB, stdout, stderr, timedOut };
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
