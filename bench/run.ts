/**
 * Upload benchmark: `npm run bench` (= `node bench/run.ts [--sizes 10M,100M,1G] [--runs N] [--quick]`).
 *
 * Runs the action's bundle exactly as the GitHub runner does against a local stand-in of the
 * Creatify API, alternating with curl uploading the same file to the same server, and prints a
 * markdown report of ratios measured side by side in one run. See docs/benchmarks.md.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { killAll, type ProcResult, runProcess } from "./procs.ts";
import { API_ID, API_KEY, BenchServer, type RunLog, type Upload } from "./server.ts";
import { warmUp, writeVideo } from "./video.ts";

const MiB = 1024 * 1024;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = `usage: node bench/run.ts [options]
  --sizes LIST   comma-separated sizes, K/M/G = KiB/MiB/GiB (default 10M,1G)
  --quick        sizes 10M,100M (unless --sizes is given)
  --runs N       uploads per side and size (default 3)
  --bundle PATH  the action to run (default dist/index.js)
  --random       fill the videos with random bytes instead of a sparse hole
  --budget SEC   stop repeating a size once the bench would pass SEC seconds (default 270)
  --keep         keep the temp dir (videos, outputs)`;

// Targets from the "Performance" issue.
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 120;
const TARGET_RSS_GROWTH_MB = 15;
const TARGET_STARTUP = 3;

class BenchFailure extends Error {}

interface SizeResult {
  size: number;
  action: { uploadS: number; rssMiB: number | undefined; startupMs: number }[];
  curl: { uploadS: number }[];
  cut: boolean;
}

function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new BenchFailure(`bad size "${text}" (use e.g. 10M, 100M, 1G)`);
  const unit = { "": 1, k: 1024, m: MiB, g: 1024 * MiB }[(m[2] ?? "").toLowerCase()] ?? 1;
  const n = Math.round(Number(m[1]) * unit);
  if (n < 1024) throw new BenchFailure(`size "${text}" is below 1 KiB`);
  return n;
}

function label(bytes: number): string {
  for (const [unit, f] of [
    ["GiB", 1024 * MiB],
    ["MiB", MiB],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= f) return `${+(bytes / f).toFixed(2)} ${unit}`;
  }
  return `${bytes} B`;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const seconds = (ns: bigint) => Number(ns) / 1e9;
const fmt = (x: number | undefined, digits: number) =>
  x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(digits);
const log = (line: string) => process.stderr.write(`${line}\n`);

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

/** The one successful upload of a run, or a failure explaining what went wrong. */
function theUpload(run: RunLog, what: string, notes: Set<string>): Upload {
  if (run.uploads.length === 0) {
    const seen = run.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join(", ");
    throw new BenchFailure(`${what} made no upload (requests: ${seen || "none"})`);
  }
  if (run.uploads.length > 1) notes.add(`${what}: ${run.uploads.length} uploads in one run`);
  const bad = run.uploads.find((u) => u.errors.length > 0);
  if (bad) throw new BenchFailure(`${what}: framing check failed: ${bad.errors.join("; ")}`);
  const ok = run.uploads.find((u) => u.personaId !== undefined && u.firstByte !== undefined);
  if (!ok) throw new BenchFailure(`${what}: upload never completed`);
  return ok;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      runs: { type: "string" },
      quick: { type: "boolean", default: false },
      bundle: { type: "string" },
      random: { type: "boolean", default: false },
      budget: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sizes = [
    ...new Set((values.sizes ?? (values.quick ? "10M,100M" : "10M,1G")).split(",").map(parseSize)),
  ].sort((a, b) => a - b);
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchFailure(`bad --runs ${values.runs}`);
  const budgetS = Number(values.budget ?? 270);
  const bundle = values.bundle ? resolve(values.bundle) : join(ROOT, "dist", "index.js");
  const haveBundle = existsSync(bundle);
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
  const baseline: { wallMs: number; rssMiB: number | undefined }[] = [];
  const notes = new Set<string>();
  let failure: string | undefined;

  try {
    const url = await server.start();
    log(`server ${url}; temp ${relative(process.cwd(), tmp)}; node ${process.versions.node}`);
    const env = cleanEnv();
    let n = 0;

    for (const size of sizes) {
      const video = join(workspace, "avatars", `bench-${size}.mp4`);
      const t0 = process.hrtime.bigint();
      await writeVideo(video, size, values.random);
      await warmUp(video);
      log(
        `\n${label(size)}: wrote ${relative(process.cwd(), video)} (${values.random ? "random" : "sparse"}) and read it once in ${fmt(seconds(process.hrtime.bigint() - t0), 2)} s`,
      );
      const result: SizeResult = { size, action: [], curl: [], cut: false };
      results.push(result);
      const timeoutMs = 30_000 + (size / (8 * MiB)) * 1000;

      for (let i = 0; i < runs && !interrupted; i++) {
        const repStart = elapsedS();
        const sides = i % 2 === 0 ? (["action", "curl"] as const) : (["curl", "action"] as const);
        const parts: string[] = [];
        for (const side of sides) {
          if (interrupted) break;
          n++;
          if (side === "action") {
            if (!haveBundle) continue;
            // node -e 0, measured the same way right before the action (alternating).
            const b = await runProcess(node, ["-e", "0"], {
              env,
              cwd: workspace,
              timeoutMs: 30_000,
              rssFile: join(files, "rss-baseline"),
            });
            if (b.code !== 0) throw new BenchFailure(childReport("node -e 0", b));
            baseline.push({
              wallMs: Number(b.exitAt - b.spawnAt) / 1e6,
              rssMiB: b.maxRssKiB === undefined ? undefined : b.maxRssKiB / 1024,
            });

            const output = join(files, `output-${n}`);
            const summary = join(files, `summary-${n}`);
            const state = join(files, `state-${n}`);
            await Promise.all([output, summary, state].map((f) => writeFile(f, "")));
            const run = server.beginRun(size);
            const r = await runProcess(node, [bundle], {
              cwd: workspace,
              timeoutMs,
              rssFile: join(files, "rss-action"),
              env: {
                ...env,
                "INPUT_API-ID": API_ID,
                "INPUT_API-KEY": API_KEY,
                INPUT_VIDEO: relative(workspace, video),
                "INPUT_CREATOR-NAME": `Bench ${n}`,
                INPUT_GENDER: "m",
                "INPUT_VIDEO-SCENE": "office",
                "INPUT_IF-EXISTS": "create",
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
              const seen = run.requests.map((q) => `${q.method} ${q.path} → ${q.status}`);
              throw new BenchFailure(
                (framing.length ? `server framing check failed: ${framing.join("; ")}\n` : "") +
                  `requests seen: ${seen.join(", ") || "none"}\n${childReport("the action", r)}`,
              );
            }
            const up = theUpload(run, "the action", notes);
            const calls = run.requests.map((q) => `${q.method} ${q.path} → ${q.status}`).join(", ");
            notes.add(`the action's requests per run: ${calls}`);
            for (const note of run.notes) notes.add(`the action: ${note}`);
            const outputs = parseOutputs(await readFile(output, "utf8"));
            if (outputs.get("avatar-id") !== up.personaId) {
              notes.add(
                `the action: output avatar-id is ${JSON.stringify(outputs.get("avatar-id"))}, the server created ${up.personaId}`,
              );
            }
            const uploadS = seconds((up.lastByte as bigint) - (up.firstByte as bigint));
            const startupMs = Number((run.firstRequest as bigint) - r.spawnAt) / 1e6;
            const rssMiB = r.maxRssKiB === undefined ? undefined : r.maxRssKiB / 1024;
            result.action.push({ uploadS, rssMiB, startupMs });
            parts.push(
              `action ${fmt(uploadS, 3)} s (RSS ${fmt(rssMiB, 1)} MB, start-up ${fmt(startupMs, 0)} ms vs node -e 0 ${fmt(baseline.at(-1)?.wallMs, 0)} ms)`,
            );
          } else {
            const run = server.beginRun(size);
            const r = await runProcess(
              "curl",
              [
                "-s",
                "-S",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-F",
                `lipsync_input=@${video};type=video/mp4`,
                "-F",
                `creator_name=Bench ${n}`,
                "-F",
                "gender=m",
                "-F",
                "video_scene=office",
                "-H",
                `X-API-ID: ${API_ID}`,
                "-H",
                `X-API-KEY: ${API_KEY}`,
                `${url}/api/personas_v2/`,
              ],
              { cwd: workspace, timeoutMs, env },
            );
            await server.settle();
            if (r.code !== 0 || r.timedOut) throw new BenchFailure(childReport("curl", r));
            const up = theUpload(run, "curl", notes);
            if (r.stdout.trim() !== "201") throw new BenchFailure(`curl got HTTP ${r.stdout}`);
            const uploadS = seconds((up.lastByte as bigint) - (up.firstByte as bigint));
            result.curl.push({ uploadS });
            parts.push(`curl ${fmt(uploadS, 3)} s`);
          }
        }
        log(`  run ${i + 1}/${runs}: ${parts.join(", ")}`);
        const repS = elapsedS() - repStart;
        if (i + 1 < runs && elapsedS() + repS > budgetS) {
          result.cut = true;
          notes.add(
            `${label(size)}: stopped after ${i + 1} of ${runs} runs to stay within --budget ${budgetS} s`,
          );
          break;
        }
      }
      await rm(video, { force: true });
      if (interrupted) break;
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

  report({ results, baseline, notes, bundle, haveBundle, runs, random: values.random });
  if (failure !== undefined) {
    log(`\nFAILED: ${failure}`);
    return 1;
  }
  if (interrupted) return 130;
  return 0;
}

function report(r: {
  results: SizeResult[];
  baseline: { wallMs: number; rssMiB: number | undefined }[];
  notes: Set<string>;
  bundle: string;
  haveBundle: boolean;
  runs: number;
  random: boolean;
}): void {
  const out: string[] = [];
  const measured = r.results.filter((s) => s.curl.length > 0 || s.action.length > 0);
  const rows = measured.map((s) => {
    const a = median(s.action.map((x) => x.uploadS));
    const c = median(s.curl.map((x) => x.uploadS));
    const rss = s.action.flatMap((x) => (x.rssMiB === undefined ? [] : [x.rssMiB]));
    return {
      s,
      a,
      c,
      ratio: a / c,
      rss: rss.length ? median(rss) : Number.NaN,
      startup: median(s.action.map((x) => x.startupMs)),
    };
  });
  const mib = (bytes: number, secs: number) => bytes / MiB / secs;

  out.push("");
  out.push(
    `Upload benchmark — node ${process.versions.node}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ` +
      `${r.random ? "random" : "sparse"} videos, up to ${r.runs} alternating runs per side; medians; MB = 2^20 bytes.`,
  );
  out.push("");
  if (rows.length === 0) {
    out.push("No measurements.");
    console.log(out.join("\n"));
    return;
  }
  out.push(
    "| size | runs (action/curl) | action median (s) | curl median (s) | ratio action/curl | action peak RSS (MB) | action throughput (MB/s) | curl throughput (MB/s) | action start-up (ms) |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|");
  for (const x of rows) {
    out.push(
      `| ${label(x.s.size)} | ${x.s.action.length}/${x.s.curl.length} | ${fmt(x.a, 3)} | ${fmt(x.c, 3)} | ${fmt(x.ratio, 2)} | ${fmt(x.rss, 1)} | ${fmt(mib(x.s.size, x.a), 0)} | ${fmt(mib(x.s.size, x.c), 0)} | ${fmt(x.startup, 0)} |`,
    );
  }
  out.push("");

  const first = rows[0];
  const last = rows.at(-1);
  const growth = first && last && rows.length > 1 ? last.rss - first.rss : Number.NaN;
  const startup = median(r.results.flatMap((s) => s.action.map((x) => x.startupMs)));
  const base = median(r.baseline.map((b) => b.wallMs));
  const baseRss = median(r.baseline.flatMap((b) => (b.rssMiB === undefined ? [] : [b.rssMiB])));
  const startRatio = startup / base;
  let bundleLine = `${relative(process.cwd(), r.bundle)}: not found`;
  if (r.haveBundle) {
    const bytes = statSync(r.bundle).size;
    bundleLine = `${relative(process.cwd(), r.bundle)}: ${bytes.toLocaleString("en-US")} bytes (${(bytes / MiB).toFixed(2)} MB)`;
    // ncc splits lazily loaded modules into sibling chunks (e.g. 413.index.js).
    const dir = dirname(r.bundle);
    const chunks = readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f));
    if (chunks.length > 0) {
      const more = chunks.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
      bundleLine += `, plus ${chunks.length} lazily loaded chunk(s) of ${more.toLocaleString("en-US")} bytes (${(more / MiB).toFixed(2)} MB)`;
    }
  }
  out.push(
    `- RSS growth ${first ? label(first.s.size) : "?"} → ${last ? label(last.s.size) : "?"}: ${Number.isNaN(growth) ? "n/a" : `${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB`}`,
  );
  out.push(
    `- start-up (spawn → first request): ${fmt(startup, 0)} ms vs \`node -e 0\` ${fmt(base, 0)} ms (peak RSS ${fmt(baseRss, 1)} MB) → ${fmt(startRatio, 2)}×`,
  );
  out.push(`- bundle ${bundleLine}`);
  out.push("");

  const gib = rows.find((x) => x.s.size === 1024 * MiB);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? "n/a" : ok ? "PASS" : "FAIL");
  const num = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? undefined : x);
  const targets: [string, string, string, boolean | undefined][] = [
    [
      `upload ratio action/curl at ${last ? label(last.s.size) : "largest size"}`,
      fmt(last?.ratio, 2),
      `≤ ${TARGET_RATIO}`,
      num(last?.ratio) === undefined ? undefined : (last?.ratio as number) <= TARGET_RATIO,
    ],
    [
      "action peak RSS at 1 GiB",
      gib
        ? `${fmt(gib.rss, 1)} MB`
        : `not measured${last ? ` (${fmt(last.rss, 1)} MB at ${label(last.s.size)})` : ""}`,
      `≤ ${TARGET_RSS_MB} MB`,
      num(gib?.rss) === undefined ? undefined : (gib?.rss as number) <= TARGET_RSS_MB,
    ],
    [
      `RSS growth ${first ? label(first.s.size) : ""} → ${last ? label(last.s.size) : ""}`,
      Number.isNaN(growth) ? "n/a" : `${growth.toFixed(1)} MB`,
      `≤ ${TARGET_RSS_GROWTH_MB} MB`,
      Number.isNaN(growth) ? undefined : growth <= TARGET_RSS_GROWTH_MB,
    ],
    [
      "start-up vs `node -e 0`",
      `${fmt(startRatio, 2)}×`,
      `≤ ${TARGET_STARTUP}×`,
      Number.isNaN(startRatio) ? undefined : startRatio <= TARGET_STARTUP,
    ],
  ];
  out.push("| target | measured | limit | result |");
  out.push("|---|---|---|---|");
  for (const [what, value, limit, ok] of targets)
    out.push(`| ${what} | ${value} | ${limit} | ${verdict(ok)} |`);
  if (!r.haveBundle) out.push("", "Action side skipped: no bundle.");
  if (r.notes.size > 0) {
    out.push("", "Notes:");
    for (const note of r.notes) out.push(`- ${note}`);
  }
  console.log(out.join("\n"));
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
