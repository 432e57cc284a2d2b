import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startProxy } from "../sandbox/proxy.ts";
import { renderSummary } from "../support/render.ts";
import { creates, errorLines, requestFingerprintOf, setupGenerate } from "./harness.ts";

describe("generate: a script becomes a video", () => {
  it("creates exactly one job with the documented request, waits and sets the outputs", async (context) => {
    const { sandbox, avatarId, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hello from James!", "voice-id": "voice-en-us-1" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(1);
    const fingerprint = requestFingerprintOf(avatarId, "Hello from James!", {
      voiceId: "voice-en-us-1",
    });
    expect(creates(sandbox)[0]?.json).toEqual({
      video_inputs: [
        {
          character: { type: "avatar", avatar_id: avatarId },
          voice: { type: "text", input_text: "Hello from James!", voice_id: "voice-en-us-1" },
        },
      ],
      aspect_ratio: "9x16",
      model_version: "standard",
      name: `Hello from James! [${fingerprint}]`,
    });
    // The documented order: avatar, jobs, credits, create, then the wait's reads.
    const calls = sandbox.requests.map((r) => `${r.method} ${r.path}`);
    const [job] = sandbox.lipsync.jobs;
    expect(calls.slice(0, 4)).toEqual([
      `GET /api/personas/${avatarId}/`,
      "GET /api/lipsyncs_v2/",
      "GET /api/remaining_credits/",
      "POST /api/lipsyncs_v2/",
    ]);
    expect(calls.slice(4).every((call) => call === `GET /api/lipsyncs_v2/${job?.id}/`)).toBe(true);
    expect(result.stdout).toMatch(/running \(50%\) after/);
    expect(result.outputs).toMatchObject({
      "video-id": job?.id,
      status: "done",
      "video-url": `${sandbox.lipsync.videoUrl}/videos/${job?.id}.mp4`,
      "thumbnail-url": `${sandbox.lipsync.videoUrl}/thumbnails/${job?.id}.jpg`,
      duration: "12.5",
      "credits-used": "5",
      reused: "false",
      file: "",
      "remaining-credits": "100",
    });
    expect(JSON.parse(result.outputs.video ?? "")).toMatchObject({ id: job?.id, status: "done" });
  });

  it("reuses the job on a re-run and on a second push of the same script: zero creates", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context);
    await workspace.write("avatars/james/script.txt", "Hello.\nWelcome to the team.\n");
    const first = await generate({ "script-file": "avatars/james/script.txt" });
    expect(first.code, first.stdout).toBe(0);
    const again = await generate({ "script-file": "avatars/james/script.txt" });
    // A second push from a Windows checkout: the same script with CRLF line breaks.
    await workspace.write("avatars/james/script.txt", "Hello.\r\nWelcome to the team.\r\n");
    const pushed = await generate({ "script-file": "avatars/james/script.txt" });
    expect(creates(sandbox)).toHaveLength(1);
    for (const run of [again, pushed]) {
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs["video-id"]).toBe(first.outputs["video-id"]);
      expect(run.outputs.reused).toBe("true");
      expect(run.outputs.status).toBe("done");
      expect(run.stdout).toContain("Reusing video");
    }
    // A reuse reads no credits: nothing is to be billed.
    expect(again.outputs["remaining-credits"]).toBeUndefined();
  });

  it("waits for a reused job that is still running instead of paying again", async (context) => {
    const { sandbox, avatarId, generate } = await setupGenerate(context);
    const running = sandbox.lipsync.seed({
      name: `Hi [${requestFingerprintOf(avatarId, "Hi")}]`,
      statuses: ["running", "running", "done"],
      created_at: new Date().toISOString(),
    });
    const result = await generate({ script: "Hi" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(0);
    expect(result.outputs).toMatchObject({
      "video-id": running.id,
      status: "done",
      reused: "true",
    });
  });

  it("creates another video when the script changed, or when if-exists is create", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    expect((await generate({ script: "First take." })).code).toBe(0);
    const changed = await generate({ script: "Second take." });
    expect(changed.code).toBe(0);
    expect(changed.outputs.reused).toBe("false");
    const forced = await generate({ script: "Second take.", "if-exists": "create" });
    expect(forced.code).toBe(0);
    expect(creates(sandbox)).toHaveLength(3);
    expect(new Set(sandbox.lipsync.jobs.map((job) => job.id)).size).toBe(3);
  });

  it("makes a failed job again rather than reusing it", async (context) => {
    const { sandbox, avatarId, generate } = await setupGenerate(context);
    sandbox.lipsync.seed({
      name: `Hi [${requestFingerprintOf(avatarId, "Hi")}]`,
      status: "failed",
    });
    const result = await generate({ script: "Hi" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(1);
  });

  it("sends one video_inputs element per scene of a scenes file, in order", async (context) => {
    const { sandbox, workspace, avatarId, generate } = await setupGenerate(context);
    const other = sandbox.seed({ creator_name: "Ann" }).id;
    await workspace.write("video/outro.txt", "Thanks for watching.\n");
    await workspace.write(
      "video/scenes.yml",
      [
        "scenes:",
        "  - script: Welcome!",
        "  - script-file: video/outro.txt",
        `    avatar-id: ${other}`,
        "    voice-id: voice-en-us-1",
        "    background-url: https://cdn.example.com/office.jpg",
        "",
      ].join("\n"),
    );
    const result = await generate({
      scenes: "video/scenes.yml",
      "aspect-ratio": "16:9",
      name: "Intro",
    });
    expect(result.code, result.stdout).toBe(0);
    const body = creates(sandbox)[0]?.json as Record<string, unknown>;
    expect(body.video_inputs).toEqual([
      {
        character: { type: "avatar", avatar_id: avatarId },
        voice: { type: "text", input_text: "Welcome!" },
      },
      {
        character: { type: "avatar", avatar_id: other },
        voice: { type: "text", input_text: "Thanks for watching.", voice_id: "voice-en-us-1" },
        background: { type: "image", url: "https://cdn.example.com/office.jpg" },
      },
    ]);
    expect(body.aspect_ratio).toBe("16x9");
    expect(body.name).toMatch(/^Intro \[lipsync-sha256:[0-9a-f]{16}\]$/);
    // Both avatars were read before anything was billed.
    const reads = sandbox.requests.filter((r) => r.path.startsWith("/api/personas/"));
    expect(reads.map((r) => r.path)).toEqual([
      `/api/personas/${avatarId}/`,
      `/api/personas/${other}/`,
    ]);
  });

  it("passes a webhook URL through and never shows its query", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const webhook = "https://hooks.example.com/creatify?token=hook-secret-42";
    const result = await generate({ script: "Hi", "webhook-url": webhook });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)[0]?.json).toMatchObject({ webhook_url: webhook });
    const shown = [
      ...result.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::")),
      JSON.stringify(result.outputs),
      result.summary,
    ].join("\n");
    expect(shown).not.toContain("hook-secret-42");
    expect(sandbox.lipsync.jobs[0]?.webhook_url).toBe(webhook);
  });

  it("shows a webhook URL that a server echoes in the job without its query", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const webhook = "https://hooks.example.com/creatify?token=hook-secret-42";
    sandbox.fault({
      method: "POST",
      path: "/api/lipsyncs_v2/",
      kind: "status",
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ id: "job-1", status: "pending", webhook_url: webhook }),
    });
    const result = await generate({ script: "Hi", "webhook-url": webhook, wait: "false" });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.stringify(result.outputs)).not.toContain("hook-secret-42");
    expect(JSON.parse(result.outputs.video ?? "{}").webhook_url).toBe(
      "https://hooks.example.com/creatify?***",
    );
  });

  it("cuts a long name so the job's name, fingerprint included, fits 255", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hi", name: "N".repeat(300) });
    expect(result.code, result.stdout).toBe(0);
    const name = (creates(sandbox)[0]?.json as { name?: string } | undefined)?.name ?? "";
    expect([...name]).toHaveLength(255);
    expect(name).toMatch(/N… \[lipsync-sha256:[0-9a-f]{16}\]$/);
  });
});

describe("generate: download", () => {
  it("writes the exact bytes, through a redirect, with no credential at the video's origin", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context, {
      lipsync: { redirect: true },
    });
    const result = await generate({ script: "Hello", download: "out/videos/james.mp4" });
    expect(result.code, result.stdout).toBe(0);
    const [job] = sandbox.lipsync.jobs;
    const written = await readFile(path.join(workspace.dir, "out/videos/james.mp4"));
    const served = await fetch(`${sandbox.lipsync.videoUrl}/videos/${job?.id}.mp4`);
    expect(Buffer.compare(written, Buffer.from(await served.arrayBuffer()))).toBe(0);
    expect(result.outputs.file).toBe("out/videos/james.mp4");
    const hops = sandbox.lipsync.videoRequests.slice(0, 2);
    expect(hops.map((r) => r.path)).toEqual([`/r/${job?.id}`, `/videos/${job?.id}.mp4`]);
    for (const hop of hops) {
      expect(hop.headers["x-api-id"]).toBeUndefined();
      expect(hop.headers["x-api-key"]).toBeUndefined();
      expect(JSON.stringify(hop.headers)).not.toContain(sandbox.apiKey);
    }
    expect(result.stdout).toContain("Downloaded video");
  });

  it("skips the download of a video not done (wait: false), and makes it on the re-run", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context);
    const early = await generate({ script: "Hello", wait: "false", download: "out/v.mp4" });
    expect(early.code, early.stdout).toBe(0);
    expect(early.outputs).toMatchObject({ status: "pending", file: "" });
    expect(early.stdout).toMatch(/::warning::download: video .* is pending, not done/);
    const later = await generate({ script: "Hello", download: "out/v.mp4" });
    expect(later.code, later.stdout).toBe(0);
    expect(later.outputs).toMatchObject({ reused: "true", status: "done", file: "out/v.mp4" });
    expect((await stat(path.join(workspace.dir, "out/v.mp4"))).size).toBeGreaterThan(0);
    expect(creates(sandbox)).toHaveLength(1);
  });

  it("fails the step on a download that is not MP4, outputs set, no file left", async (context) => {
    const { sandbox, workspace, generate } = await setupGenerate(context, {
      lipsync: { video: Buffer.from("<html>link expired</html>") },
    });
    const result = await generate({ script: "Hello", download: "out/v.mp4" });
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      "download: what was downloaded is not an MP4 video (no ftyp box)",
    ]);
    expect(result.outputs).toMatchObject({
      "video-id": sandbox.lipsync.jobs[0]?.id,
      status: "done",
      file: "",
    });
    expect(await readdir(path.join(workspace.dir, "out"))).toEqual([]);
  });

  it("downloads through HTTP_PROXY, as the API calls go", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const proxy = await startProxy();
    context.onTestFinished(() => proxy.close());
    const result = await generate(
      { script: "Hello", download: "out/video.mp4" },
      { env: { HTTP_PROXY: proxy.url } },
    );
    expect(result.code, result.stdout).toBe(0);
    const [job] = sandbox.lipsync.jobs;
    expect(proxy.seen).toContain(`GET ${sandbox.lipsync.videoUrl}/videos/${job?.id}.mp4`);
    expect(proxy.seen).toContain(`POST ${sandbox.url}/api/lipsyncs_v2/`);
  });

  it("refuses a download path outside the workspace before any request", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hello", download: "../james.mp4" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error::Input "download": "..\/james.mp4" is outside the workspace/,
    );
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe("generate: summary and dry run", () => {
  it("renders a table row with the video link and thumbnail in cmark-gfm", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hello" });
    expect(result.code).toBe(0);
    const rendered = renderSummary(result.summary);
    const [table] = rendered.tables;
    expect(table?.header).toEqual([
      "avatar",
      "video id",
      "status",
      "outcome",
      "duration",
      "credits used",
      "video",
      "thumbnail",
    ]);
    const [job] = sandbox.lipsync.jobs;
    expect(table?.rows[0]?.slice(0, 3)).toEqual([
      `James (${sandbox.personas[0]?.id})`,
      `${job?.id}`,
      "done",
    ]);
    expect(table?.rows[0]?.[3]).toMatch(/^created; done in/);
    expect(table?.rowsHtml[0]?.[6]).toContain(`href="${job?.output}"`);
    expect(table?.rowsHtml[0]?.[7]).toContain(`<img src="${job?.video_thumbnail}"`);
  });

  it("dry-run reads the avatar, jobs and credits, decides, and creates nothing", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({ script: "Hello", "dry-run": "true" });
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(0);
    expect(sandbox.requests.map((r) => r.path)).toEqual([
      `/api/personas/${sandbox.personas[0]?.id}/`,
      "/api/lipsyncs_v2/",
      "/api/remaining_credits/",
    ]);
    expect(result.stdout).toContain("Decision: create, no video was made from this request yet.");
    expect(renderSummary(result.summary).tables[0]?.rows[0]?.[3]).toMatch(/^would create/);
    expect(result.outputs["video-id"]).toBeUndefined();
  });

  it("dry-run decides reuse for a job made before, and fails like a real run without credits", async (context) => {
    const { sandbox, avatarId, generate } = await setupGenerate(context, {
      lipsync: { credits: 0 },
    });
    sandbox.lipsync.seed({ name: `Hi [${requestFingerprintOf(avatarId, "Hi")}]` });
    const reuse = await generate({ script: "Hi", "dry-run": "true" });
    expect(reuse.code, reuse.stdout).toBe(0);
    expect(reuse.stdout).toMatch(/Decision: reuse, video .* was made from the same request/);
    const create = await generate({ script: "Hello", "dry-run": "true" });
    expect(create.code).toBe(1);
    expect(errorLines(create).join("\n")).toMatch(/No Creatify credits left/);
    expect(creates(sandbox)).toHaveLength(0);
  });

  it("dry-run without credentials checks the inputs and sends nothing", async (context) => {
    const { sandbox, generate } = await setupGenerate(context);
    const result = await generate({
      script: "Hello",
      "dry-run": "true",
      "api-id": "",
      "api-key": "",
    });
    expect(result.code, result.stdout).toBe(0);
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe("generate: a large download", () => {
  it("keeps memory flat with the file's size", { timeout: 120_000 }, async (context) => {
    const size = 256 * 2 ** 20;
    const { workspace, generate } = await setupGenerate(context, { lipsync: { video: { size } } });
    const result = await generate(
      { script: "Hello", download: "big.mp4" },
      { measureRss: true, timeoutMs: 110_000 },
    );
    expect(result.code, result.stdout).toBe(0);
    expect((await stat(path.join(workspace.dir, "big.mp4"))).size).toBe(size);
    // Far below the file's 256 MiB: the download streams to disk (the bound is 256 MB).
    console.log(`peak RSS downloading 256 MiB: ${result.peakRssKiB} KiB`);
    expect(result.peakRssKiB).toBeLessThan(150 * 1024);
  });
});
