// `npm run summary`: runs the avatar bundle on a demo manifest against the in-repo sandbox
// (every outcome a row can show), then the generate bundle on three video files, renders each
// job summary with cmark-gfm as GitHub does, and writes .tmp/summary/{summary,generate}.html.
// With --screenshot, headless Chromium (Debian's `chromium`) takes docs/summary.png and
// docs/generate-summary.png of them, the pictures in the README.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startSandbox } from "../test/sandbox/server.ts";
import { mp4File } from "../test/support/mp4.ts";
import { renderSummary } from "../test/support/render.ts";
import { GENERATE_BUNDLE, makeWorkspace, runBundle } from "../test/support/runner.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, ".tmp", "summary");
const fingerprint = (bytes: Buffer) =>
  `video-sha256:${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;

/** Enough of GitHub's Markdown look for a reader to recognise the summary. */
const CSS = `
body { margin: 0; background: #fff; }
main { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: #1f2328; padding: 16px 24px; max-width: 1350px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h3 { font-size: 1.25em; }
table { border-collapse: collapse; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3;
  padding: .2em .4em; border-radius: 6px; }
a { color: #0969da; text-decoration: none; }
img { max-width: 240px; }
`;

/** Each page and its picture, taken once the sandbox is closed: a synchronous Chromium would
 * hold the event loop that serves the thumbnail it asks the sandbox's video origin for. */
const pages: [string, string, number][] = [];
const sandbox = await startSandbox({ statuses: ["processing", "reviewing", "done"] });
const workspace = await makeWorkspace();
try {
  const takes = {
    james: mp4File({ durationSeconds: 42, mdatSize: 3_000_000 }),
    ana: mp4File({
      durationSeconds: 35.5,
      video: { width: 1080, height: 1920 },
      mdatSize: 2_000_000,
    }),
    li: mp4File({ durationSeconds: 61, mdatSize: 4_000_000 }),
    sam: mp4File({ durationSeconds: 30, audio: false, mdatSize: 1_000_000 }),
  };
  for (const [name, bytes] of Object.entries(takes)) {
    await workspace.write(`avatars/${name}/lipsync.mp4`, bytes);
  }
  // Ana's take is already an avatar; Li's older take is; Sam's take was rejected before.
  // The fingerprint in the keywords, where Creatify's reads show it (they show no labels).
  sandbox.seed({ creator_name: "Ana", keywords: fingerprint(takes.ana) });
  const old = sandbox.seed({ creator_name: "Li", keywords: "video-sha256:0123456789abcdef" });
  sandbox.seed({
    creator_name: "Sam",
    process_status: "rejected",
    failed_reason: "No face visible for most of the video.",
    keywords: fingerprint(takes.sam),
  });
  const entries = ["James", "Ana", "Li", "Sam"].map(
    (name) =>
      `  - video: avatars/${name.toLowerCase()}/lipsync.mp4\n    creator-name: ${name}\n    gender: ${name === "Ana" ? "f" : "m"}\n    video-scene: office`,
  );
  entries.push(
    "  - video: https://cdn.example.com/mia.mp4\n    creator-name: Mia\n    gender: f\n    video-scene: studio",
  );
  await workspace.write("avatars.yml", `avatars:\n${entries.join("\n")}\n`);
  sandbox.fault({
    method: "POST",
    path: "/api/personas/",
    kind: "status",
    status: 400,
    body: JSON.stringify({ lipsync_input: ["The video must be at least 30 seconds long."] }),
  });
  const result = await runBundle({
    sandbox,
    workspace,
    inputs: {
      manifest: "avatars.yml",
      wait: "true",
      "poll-interval": "1s",
      "wait-timeout": "4s",
      "delete-replaced": "true",
    },
    timeoutMs: 60_000,
  });
  console.log(`bundle exited ${result.code}; Li's new take replaces ${old.id}`);
  // Videos as code: three committed video files, rendered on merge. James's spring video was
  // previewed in its pull request (so it is rendered), his summer one is new (so it is created),
  // and Noa's waits for her avatar's approval (blocked, not billed).
  const james = sandbox.personas.find((p) => p.creator_name === "James")?.id ?? "";
  const spring = "avatar: James\nname: Spring promo\nscript: Spring is here, and so are we.\n";
  await workspace.write("videos/spring.yml", spring);
  await workspace.write(
    "videos/summer.yml",
    "avatar: James\nname: Summer teaser\naspect-ratio: 16x9\nscenes:\n  - script: Summer is coming.\n    caption_setting: { style: normal-black }\n",
  );
  sandbox.seed({ creator_name: "Noa", process_status: "reviewing" });
  await workspace.write("videos/noa.yml", "avatar: Noa\nscript: Hello from Noa.\n");
  const preview = await runBundle({
    sandbox,
    workspace,
    bundle: GENERATE_BUNDLE,
    inputs: { videos: "videos/spring.yml", mode: "preview" },
    timeoutMs: 60_000,
  });
  console.log(`generate bundle (preview) exited ${preview.code}; James is ${james}`);
  const video = await runBundle({
    sandbox,
    workspace,
    bundle: GENERATE_BUNDLE,
    inputs: { videos: "videos/*.yml", "poll-interval": "1s", "download-dir": "out" },
    timeoutMs: 60_000,
  });
  console.log(`generate bundle exited ${video.code}`);

  await mkdir(OUT, { recursive: true });
  for (const [name, summary, png, height] of [
    ["summary", result.summary, "summary.png", 760],
    ["generate", video.summary, "generate-summary.png", 420],
  ] as const) {
    const page = path.join(OUT, `${name}.html`);
    const { html } = renderSummary(summary);
    await writeFile(
      page,
      `<!doctype html><meta charset="utf-8"><style>${CSS}</style><main>${html}</main>`,
    );
    console.log(`wrote ${path.relative(ROOT, page)}`);
    pages.push([page, path.join(ROOT, "docs", png), height]);
  }
} finally {
  await sandbox.close();
  await workspace.remove();
}
if (process.argv.includes("--screenshot")) {
  for (const [page, png, height] of pages) screenshot(page, png, height);
}

function screenshot(page: string, png: string, height: number): void {
  execFileSync("chromium", [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // A profile of its own: a second Chromium waits on the first one's profile lock.
    `--user-data-dir=${path.join(OUT, `chromium-${path.basename(png, ".png")}`)}`,
    "--hide-scrollbars",
    `--window-size=1400,${height}`,
    `--screenshot=${png}`,
    `file://${page}`,
  ]);
  console.log(`wrote ${path.relative(ROOT, png)}`);
}
