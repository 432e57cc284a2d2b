/**
 * Upload benchmark: `npm run bench` (= `node bench/run.ts [--sizes 10M,100M,1G] [--runs N] [--quick]`).
 *
 * Runs the action's bundle exactly as the GitHub runner does against a local stand-in of the
 * Creatify API, alternating with curl uploading the same file to the same server, and prints a
 * markdown report of ratios measured side by side in one run. See docs/benchmarks.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { IO_PRELOAD, killAll, type ProcResult, readRchar, runProcess } from "./procs.ts";
import {
  type ActionRun,
  fmt,
  GiB,
  label,
  MiB,
  report,
  type SizeResult,
  type Startup,
  type ToolRun,
} from "./report.ts";
import {
  API_ID,
  API_KEY,
  BenchServer,
  type Persona,
  type RunLog,
  type RunSetup,
  type Upload,
} from "./server.ts";
import { fingerprintOf, warmUp, writeVideo } from "./video.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = `usage: node bench/run.ts [options]
  --sizes LIST       comma-separated sizes, K/M/G = KiB/MiB/GiB (default 10M,1G)
  --quick            sizes 10M,100M (unless --sizes is given)
  --runs N           runs per side, size and scenario (default 5)
  --startup-runs N   start-up runs per side (default 11; the target wants at least 9)
  --bundle PATH      the action to run (default dist/index.js)
  --random           fill the videos with random bytes instead of a sparse hole
  --budget SEC       stop repeating a size once the bench would pass SEC seconds (default 270)
  --profile DIR      run the action under node --cpu-prof, writing profiles to DIR
  --keep             keep the temp dir (videos, outputs)
  --videos           instead: the generate bundle over one video file and over ten, side by side`;

const FINGERPRINT_PREFIX = "video-sha256:";
const STARTUP_VIDEO_BYTES = MiB;

class BenchFailure extends Error {}

function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new BenchFailure(`bad size "${text}" (use e.g. 10M, 100M, 1G)`);
  const unit = { "": 1, k: 1024, m: MiB, g: GiB }[(m[2] ?? "").toLowerCase()] ?? 1;
  const n = Math.round(Number(m[1]) * unit);
  if (n < 1024) throw new BenchFailure(`size "${text}" is below 1 KiB`);
  return n;
}

const seconds = (ns: bigint) => Number(ns) / 1e9;
const log = (line: string) => process.stderr.write(`${line}\n`);
const cpuOf = (r: ProcResult) =>
  r.userS === undefined || r.sysS === undefined ? undefined : r.userS + r.sysS;
const timeoutFor = (size: number) => 30_000 + (size / (8 * MiB)) * 1000;

/** The environment without anything that could steer the children: runner vars, proxies, NODE_OPTIONS. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|STATE_)/i.test(k) || /_proxy$/i.test(k)) continue;
    if (k === "NODE_OPTIONS" || k === "NODE_DEBUG") continue;
    env[k] = v;
  }
  return env;
}

/** Parses a GITHUB_OUTPUT file (`name=value` and `name<<DELIM` heredocs). */
function parseOutputs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] as string);
      out.set(heredoc[1] as string, body.join("\n"));
    } else if (line.includes("=")) {
      out.set(line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1));
    }
  }
  return out;
}

function childReport(what: string, r: ProcResult): string {
  const tail = (s: string) => s.trim().split("\n").slice(-40).join("\n") || "(empty)";
  const how = r.timedOut
    ? "timed out and was killed"
    : r.signal
      ? `was killed by ${r.signal}`
      : `exited with code ${r.code}`;
  return `${what} ${how}\n--- stderr (tail) ---\n${tail(r.stderr)}\n--- stdout (tail) ---\n${tail(r.stdout)}`;
}

/** The requests of a run, an avatar's id as `{id}` so that the runs' notes read as one. */
const requestsOf = (run: RunLog) =>
  run.requests
    .map(
      (r) =>
        `${r.method} ${r.path.replace(/\/personas\/[^/]+\//, "/personas/{id}/")} → ${r.status}`,
    )
    .join(", ") || "none";

/** The one successful upload of a run, or a failure explaining what went wrong. */
function theUpload(run: RunLog, what: string, notes: Set<string>): Upload {
  if (run.uploads.length === 0) {
    throw new BenchFailure(`${what} made no upload (requests: ${requestsOf(run)})`);
  }
  if (run.uploads.length > 1) notes.add(`${what}: ${run.uploads.length} uploads in one run`);
  const bad = run.uploads.find((u) => u.errors.length > 0);
  if (bad) throw new BenchFailure(`${what}: framing check failed: ${bad.errors.join("; ")}`);
  const ok = run.uploads.find((u) => u.personaId !== undefined && u.firstByte !== undefined);
  if (!ok) throw new BenchFailure(`${what}: upload never completed`);
  return ok;
}

const uploadSeconds = (up: Upload) => seconds((up.lastByte as bigint) - (up.firstByte as bigint));

/** The bundle and the chunks ncc splits off for lazy imports (e.g. 413.index.js). */
function bundleFiles(bundle: string): string[] {
  const dir = dirname(bundle);
  return [
    bundle,
    ...readdirSync(dir)
      .filter((f) => /^\d+\.index\.js$/.test(f))
      .map((f) => join(dir, f)),
  ];
}

function bundleLine(bundle: string): string {
  const [main, ...chunks] = bundleFiles(bundle).map((f) => statSync(f).size);
  const bytes = (n: number) => `${n.toLocaleString("en-US")} bytes (${(n / MiB).toFixed(2)} MB)`;
  const rest = chunks.reduce((total, n) => total + n, 0);
  return (
    `${relative(process.cwd(), bundle)}: ${bytes(main ?? 0)}` +
    (chunks.length > 0 ? `, plus ${chunks.length} lazily loaded chunk(s) of ${bytes(rest)}` : "")
  );
}

/** The commit the bench ran on, marked when the working tree differs from it. */
function commitOf(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: "pipe" }).trim();
    const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
    return `commit ${git("rev-parse", "--short", "HEAD")}${dirty ? " plus uncommitted changes" : ""}`;
  } catch {
    return "unknown commit";
  }
}

interface Options {
  bundle: string;
  node: string;
  url: string;
  workspace: string;
  files: string;
  runnerTemp: string;
  env: NodeJS.ProcessEnv;
  profileDir: string | undefined;
  notes: Set<string>;
  server: BenchServer;
}

/** The sides of the bench, each run as its own process exactly as it would run for real. */
class Sides {
  #n = 0;
  readonly #o: Options;
  readonly #usageFile: string;
  readonly #ioFile: string;

  constructor(options: Options) {
    this.#o = options;
    this.#usageFile = join(options.files, "usage");
    this.#ioFile = join(options.files, "io");
  }

  /** `node -e 0` under the same wrapper as the action: spawn() to exit, in ms. */
  async baseline(): Promise<number> {
    const { node, env, workspace } = this.#o;
    const r = await runProcess(node, ["-e", "0"], {
      env,
      cwd: workspace,
      timeoutMs: 30_000,
      usageFile: this.#usageFile,
    });
    if (r.code !== 0) throw new BenchFailure(childReport("node -e 0", r));
    return Number(r.exitAt - r.spawnAt) / 1e6;
  }

  /**
   * A first submission: nothing of that name in the list, so the action creates. With
   * `fingerprint` (the upload runs), the server checks the label against it and the run
   * counts its bytes read; without (the start-up runs), nothing is added to the process.
   */
  async create(
    video: string,
    size: number,
    fingerprint?: string,
  ): Promise<ActionRun & { startupMs: number }> {
    const { notes } = this.#o;
    const setup: RunSetup = { fileSize: size, ...(fingerprint && { fingerprint }) };
    const { r, run, outputs, result } = await this.#action(
      video,
      setup,
      `Bench ${this.#n + 1}`,
      fingerprint !== undefined,
    );
    const up = theUpload(run, "the action", notes);
    notes.add(`the action's requests in a first submission: ${requestsOf(run)}`);
    if (outputs.get("avatar-id") !== up.personaId) {
      notes.add(
        `the action: output avatar-id is ${JSON.stringify(outputs.get("avatar-id"))}, the server created ${up.personaId}`,
      );
    }
    if (fingerprint !== undefined) {
      notes.add(
        up.fingerprint === undefined
          ? "the action's uploads carry no video-sha256 label"
          : `the action sends the video-sha256 label ${up.fingerprintAfterFile ? "after" : "before"} the file`,
      );
    }
    const startupMs = Number((run.firstRequest as bigint) - r.spawnAt) / 1e6;
    return { ...result, uploadS: uploadSeconds(up), startupMs };
  }

  /** Unchanged, reuse: the list has this name, its keywords carrying this file's fingerprint. */
  async reuse(video: string, size: number, fingerprint: string): Promise<ActionRun> {
    const { notes } = this.#o;
    const creatorName = `Bench ${this.#n + 1}`;
    const existing: Persona = {
      id: `bench-reuse-${this.#n + 1}`,
      creator_name: creatorName,
      process_status: "done",
      is_active: true,
      keywords: fingerprint,
      created_at: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const { run, outputs, result } = await this.#action(
      video,
      { fileSize: size, fingerprint, existing: [existing] },
      creatorName,
      true,
    );
    if (run.uploads.length > 0) {
      throw new BenchFailure(
        `the action uploaded although the list has "${creatorName}" with ${fingerprint} in its keywords (requests: ${requestsOf(run)})`,
      );
    }
    notes.add(`the action's requests when the video is unchanged: ${requestsOf(run)}`);
    if (outputs.get("avatar-id") !== existing.id) {
      notes.add(
        `the action (reuse): output avatar-id is ${JSON.stringify(outputs.get("avatar-id"))}, expected ${existing.id}`,
      );
    }
    if ((result.readBytes ?? size) < size) {
      notes.add("the action (reuse) read less than the file: it decided without hashing it");
    }
    return result;
  }

  async curl(video: string, size: number, fingerprint: string): Promise<ToolRun> {
    const { url, workspace, env, server, notes } = this.#o;
    const run = server.beginRun({ fileSize: size, fingerprint });
    const r = await runProcess(
      "curl",
      [
        ...["-s", "-S", "-o", "/dev/null", "-w", "%{http_code}"],
        ...[
          "-F",
          `lipsync_input=@${video};type=video/mp4`,
          "-F",
          `creator_name=Bench ${++this.#n}`,
        ],
        ...["-F", "gender=m", "-F", "video_scene=office"],
        ...["-H", `X-API-ID: ${API_ID}`, "-H", `X-API-KEY: ${API_KEY}`],
        `${url}/api/personas_v2/`,
      ],
      { cwd: workspace, timeoutMs: timeoutFor(size), env, usageFile: this.#usageFile },
    );
    await server.settle();
    if (r.code !== 0 || r.timedOut) throw new BenchFailure(childReport("curl", r));
    const up = theUpload(run, "curl", notes);
    if (r.stdout.trim() !== "201") throw new BenchFailure(`curl got HTTP ${r.stdout}`);
    return { uploadS: uploadSeconds(up), wallS: seconds(r.exitAt - r.spawnAt), cpuS: cpuOf(r) };
  }

  /** A command reading the file, its output discarded (`cat`, `openssl dgst`). */
  async tool(cmd: string, args: string[], size: number): Promise<ToolRun> {
    const { workspace, env } = this.#o;
    const r = await runProcess(cmd, args, {
      cwd: workspace,
      timeoutMs: timeoutFor(size),
      env,
      usageFile: this.#usageFile,
      discardStdout: true,
    });
    if (r.code !== 0 || r.timedOut) throw new BenchFailure(childReport(cmd, r));
    return { uploadS: undefined, wallS: seconds(r.exitAt - r.spawnAt), cpuS: cpuOf(r) };
  }

  /** One run of the action; `measure` counts its bytes read (and profiles it with --profile). */
  async #action(video: string, setup: RunSetup, creatorName: string, measure: boolean) {
    const { bundle, node, url, workspace, files, runnerTemp, env, profileDir, server, notes } =
      this.#o;
    const n = ++this.#n;
    const [output, summary, state] = ["output", "summary", "state"].map((f) =>
      join(files, `${f}-${n}`),
    ) as [string, string, string];
    await Promise.all([output, summary, state].map((f) => writeFile(f, "")));
    const run = server.beginRun(setup);
    const nodeArgs = measure
      ? [
          "--import",
          IO_PRELOAD,
          ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
        ]
      : [];
    const r = await runProcess(node, [...nodeArgs, bundle], {
      cwd: workspace,
      timeoutMs: timeoutFor(setup.fileSize),
      usageFile: this.#usageFile,
      env: {
        ...env,
        ...(measure && { BENCH_IO_FILE: this.#ioFile }),
        "INPUT_API-ID": API_ID,
        "INPUT_API-KEY": API_KEY,
        INPUT_VIDEO: relative(workspace, video),
        "INPUT_CREATOR-NAME": creatorName,
        INPUT_GENDER: "m",
        "INPUT_VIDEO-SCENE": "office",
        INPUT_WAIT: "false",
        "INPUT_BASE-URL": url,
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_STATE: state,
        RUNNER_TEMP: runnerTemp,
      },
    });
    await server.settle();
    if (r.code !== 0 || r.timedOut) {
      const framing = run.uploads.flatMap((u) => u.errors);
      throw new BenchFailure(
        (framing.length ? `server framing check failed: ${framing.join("; ")}\n` : "") +
          `requests seen: ${requestsOf(run)}\n${childReport("the action", r)}`,
      );
    }
    for (const note of run.notes) notes.add(`the action: ${note}`);
    const result: ActionRun = {
      uploadS: undefined,
      wallS: seconds(r.exitAt - r.spawnAt),
      cpuS: cpuOf(r),
      userS: r.userS,
      sysS: r.sysS,
      rssMiB: r.maxRssKiB === undefined ? undefined : r.maxRssKiB / 1024,
      readBytes: measure ? await readRchar(this.#ioFile) : undefined,
    };
    return { r, run, outputs: parseOutputs(await readFile(output, "utf8")), result };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      runs: { type: "string" },
      "startup-runs": { type: "string" },
      quick: { type: "boolean", default: false },
      bundle: { type: "string" },
      random: { type: "boolean", default: false },
      budget: { type: "string" },
      profile: { type: "string" },
      keep: { type: "boolean", default: false },
      videos: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.videos) {
    const { benchVideos } = await import("./videos.ts");
    await benchVideos(Number(values.runs ?? 3));
    return 0;
  }
  const sizes = [
    ...new Set((values.sizes ?? (values.quick ? "10M,100M" : "10M,1G")).split(",").map(parseSize)),
  ].sort((a, b) => a - b);
  const count = (text: string | undefined, fallback: number, what: string) => {
    const n = Number(text ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new BenchFailure(`bad ${what} ${text}`);
    return n;
  };
  const runs = count(values.runs, 5, "--runs");
  const startupRuns = count(values["startup-runs"], 11, "--startup-runs");
  const budgetS = Number(values.budget ?? 270);
  const bundle = values.bundle ? resolve(values.bundle) : join(ROOT, "dist", "index.js");
  const haveBundle = existsSync(bundle);
  const fingerprints =
    haveBundle &&
    bundleFiles(bundle).some((f) => readFileSync(f, "utf8").includes(FINGERPRINT_PREFIX));
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  const localNode = join(ROOT, "node_modules", ".bin", "node");
  const node = nodeMajor >= 24 || !existsSync(localNode) ? process.execPath : localNode;
  const started = process.hrtime.bigint();
  const elapsedS = () => seconds(process.hrtime.bigint() - started);

  if (!haveBundle) {
    log(
      `NOTE: ${relative(process.cwd(), bundle)} not found: the action side is skipped, only curl runs.` +
        "\n      Run `npm run build` first, or pass --bundle PATH.",
    );
  }

  await mkdir(join(ROOT, ".tmp", "bench"), { recursive: true });
  const tmp = await mkdtemp(join(ROOT, ".tmp", "bench", "run-"));
  const workspace = join(tmp, "workspace");
  const runnerTemp = join(tmp, "runner-temp");
  const files = join(tmp, "files");
  await Promise.all([workspace, runnerTemp, files].map((d) => mkdir(d, { recursive: true })));
  await mkdir(join(workspace, "avatars"), { recursive: true });

  const server = new BenchServer();
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = true;
    log(`\n${sig}: stopping`);
    killAll();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const results: SizeResult[] = [];
  const startup: Startup = { actionMs: [], baselineMs: [] };
  const notes = new Set<string>();
  let failure: string | undefined;

  try {
    const url = await server.start();
    log(`server ${url}; temp ${relative(process.cwd(), tmp)}; node ${process.versions.node}`);
    const sides = new Sides({
      ...{ bundle, node, url, workspace, files, runnerTemp, env: cleanEnv(), notes, server },
      profileDir: values.profile ? resolve(values.profile) : undefined,
    });

    // node -e 0 and the action alternate, both under GNU time. The minimum of each is the
    // intrinsic cost; what lies above it is the machine's noise, shown as the spread.
    if (haveBundle) {
      const video = join(workspace, "avatars", "bench-startup.mp4");
      await writeVideo(video, STARTUP_VIDEO_BYTES, values.random);
      log(`\nstart-up: ${startupRuns} runs per side with a ${label(STARTUP_VIDEO_BYTES)} video`);
      for (let i = 0; i < startupRuns && !interrupted; i++) {
        const baseline = async () => {
          startup.baselineMs.push(await sides.baseline());
          return `node -e 0 ${fmt(startup.baselineMs.at(-1), 0)} ms`;
        };
        const action = async () => {
          await warmUp(video);
          startup.actionMs.push((await sides.create(video, STARTUP_VIDEO_BYTES)).startupMs);
          return `action ${fmt(startup.actionMs.at(-1), 0)} ms`;
        };
        const parts =
          i % 2 === 0 ? [await baseline(), await action()] : [await action(), await baseline()];
        log(`  run ${i + 1}/${startupRuns}: ${parts.join(", ")}`);
      }
      await rm(video, { force: true });
    }

    for (const size of sizes) {
      if (interrupted) break;
      const video = join(workspace, "avatars", `bench-${size}.mp4`);
      const t0 = process.hrtime.bigint();
      await writeVideo(video, size, values.random);
      const fingerprint = await fingerprintOf(video);
      log(
        `\n${label(size)}: wrote ${relative(process.cwd(), video)} (${values.random ? "random" : "sparse"}, ${fingerprint}) in ${fmt(seconds(process.hrtime.bigint() - t0), 2)} s`,
      );
      const result: SizeResult = { size, action: [], curl: [], reuse: [], cat: [], openssl: [] };
      results.push(result);
      const per = (x: number | undefined) => fmt((x ?? Number.NaN) / size, 3);
      type Side = () => Promise<string | undefined>;
      const firstSubmission: Side[] = [
        async () => {
          if (!haveBundle) return undefined;
          const a = await sides.create(video, size, fingerprint);
          result.action.push(a);
          return `action ${fmt(a.uploadS, 3)} s upload, ${fmt(a.wallS, 3)} s spawn→exit, CPU ${fmt(a.userS, 2)}+${fmt(a.sysS, 2)} s, RSS ${fmt(a.rssMiB, 1)} MB, read ${per(a.readBytes)}×`;
        },
        async () => {
          const c = await sides.curl(video, size, fingerprint);
          result.curl.push(c);
          return `curl ${fmt(c.uploadS, 3)} s upload, ${fmt(c.wallS, 3)} s spawn→exit, CPU ${fmt(c.cpuS, 2)} s`;
        },
      ];
      const unchanged: Side[] = [
        async () => {
          const a = await sides.reuse(video, size, fingerprint);
          result.reuse.push(a);
          return `action ${fmt(a.wallS, 3)} s, CPU ${fmt(a.cpuS, 2)} s, read ${per(a.readBytes)}×`;
        },
        async () => {
          const c = await sides.tool("cat", [video], size);
          result.cat.push(c);
          return `cat ${fmt(c.wallS, 3)} s`;
        },
        async () => {
          const o = await sides.tool("openssl", ["dgst", "-sha256", video], size);
          result.openssl.push(o);
          return `openssl ${fmt(o.wallS, 3)} s, CPU ${fmt(o.cpuS, 2)} s`;
        },
      ];
      const scenarios: [string, Side[]][] = [["first submission", firstSubmission]];
      if (fingerprints) scenarios.push(["unchanged, reuse", unchanged]);
      for (const [scenario, scenarioSides] of scenarios) {
        for (let i = 0; i < runs && !interrupted; i++) {
          const repStart = elapsedS();
          const parts: string[] = [];
          // Each run starts with another side, so none always follows the same neighbour.
          for (let k = 0; k < scenarioSides.length && !interrupted; k++) {
            // Every side reads the file right before it runs (see warmUp).
            await warmUp(video);
            const part = await (scenarioSides[(i + k) % scenarioSides.length] as Side)();
            if (part !== undefined) parts.push(part);
          }
          log(`  ${scenario} ${i + 1}/${runs}: ${parts.join("; ")}`);
          const repS = elapsedS() - repStart;
          if (i + 1 < runs && elapsedS() + repS > budgetS) {
            notes.add(
              `${label(size)}, ${scenario}: stopped after ${i + 1} of ${runs} runs to stay within --budget ${budgetS} s`,
            );
            break;
          }
        }
      }
      await rm(video, { force: true });
    }
  } catch (e) {
    if (!(e instanceof BenchFailure)) throw e;
    failure = e.message;
  } finally {
    killAll();
    await server.close();
    if (values.keep) log(`kept ${tmp}`);
    else {
      await rm(tmp, { recursive: true, force: true });
      // Only when empty: other tools may use .tmp too.
      await rmdir(join(ROOT, ".tmp", "bench")).catch(() => undefined);
      await rmdir(join(ROOT, ".tmp")).catch(() => undefined);
    }
  }

  if (values.profile)
    notes.add("the action ran under --cpu-prof: its CPU and times include the profiler");
  console.log(
    report({
      results,
      startup,
      notes,
      commit: commitOf(),
      bundleLine: haveBundle ? bundleLine(bundle) : undefined,
      fingerprints,
      runs,
      random: values.random,
    }),
  );
  if (failure !== undefined) {
    log(`\nFAILED: ${failure}`);
    return 1;
  }
  if (interrupted) return 130;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    killAll();
    log(e instanceof BenchFailure ? `bench: ${e.message}` : String((e as Error)?.stack ?? e));
    process.exitCode = 2;
  },
);
