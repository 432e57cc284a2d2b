// Videos as code end to end: the generate bundle over committed video files, against the
// sandbox's previews and renders.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/server.ts";
import { errorLines, type GenerateSetup, pushRun, setupGenerate } from "./harness.ts";

const calls = (sandbox: Sandbox, method: string, pattern: RegExp) =>
  sandbox.requests.filter((r) => r.method === method && pattern.test(r.path));
const previews = (sandbox: Sandbox) => calls(sandbox, "POST", /^\/api\/lipsyncs_v2\/preview\/$/);
const renders = (sandbox: Sandbox) => calls(sandbox, "POST", /\/render\/$/);
const creates = (sandbox: Sandbox) => calls(sandbox, "POST", /^\/api\/lipsyncs_v2\/$/);
const billed = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.method === "POST");

/** A video file of one scene, spoken by James, the sandbox's approved avatar. */
const videoFile = (script: string, extra = "") =>
  `avatar: James\nscript: ${JSON.stringify(script)}\n${extra}`;

const parse = (text: string | undefined) => JSON.parse(text ?? "[]") as Record<string, unknown>[];

async function withVideos(setup: GenerateSetup, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) await setup.workspace.write(file, text);
}

/** Runs the bundle on `videos/*.yml`; the step's avatar-id is left out, as a file names its own. */
const runVideos = (setup: GenerateSetup, inputs: Record<string, string>, env = {}) =>
  setup.generate({ "avatar-id": "", videos: "videos/*.yml", ...inputs }, { env });

describe("generate: videos as code", () => {
  it("previews each changed file once, none for an unchanged one, and a re-run previews nothing", async (context) => {
    const setup = await setupGenerate(context);
    const { sandbox } = setup;
    await withVideos(setup, {
      "videos/spring.yml": videoFile("Spring is here."),
      "videos/summer.yml": videoFile("Summer is here."),
    });
    sandbox.setGitHub({
      commits: [
        { sha: "a1".repeat(20), files: [{ filename: "videos/summer.yml", status: "added" }] },
        {
          sha: "a2".repeat(20),
          parent: "a1".repeat(20),
          files: [{ filename: "videos/spring.yml", status: "added" }],
        },
      ],
      runs: [
        {
          id: 1,
          workflow: "avatars.yml",
          branch: "main",
          event: "push",
          sha: "a1".repeat(20),
          conclusion: "success",
        },
      ],
    });
    const env = pushRun(sandbox, "a2".repeat(20));
    const inputs = { mode: "preview", "changed-only": "true", "github-token": "t" };
    const first = await runVideos(setup, inputs, env);
    expect(first.code, first.stdout).toBe(0);
    expect(previews(sandbox)).toHaveLength(1);
    expect(previews(sandbox)[0]?.json).toMatchObject({
      name: expect.stringMatching(/^spring \[preview lipsync-sha256:[0-9a-f]{16}\]$/),
    });
    expect(renders(sandbox)).toHaveLength(0);
    expect(creates(sandbox)).toHaveLength(0);
    const [job] = sandbox.lipsync.jobs;
    expect(first.outputs["preview-url"]).toBe(job?.preview);
    expect(parse(first.outputs.videos)).toEqual([
      expect.objectContaining({ file: "videos/spring.yml", action: "preview", video_id: job?.id }),
    ]);
    expect(first.summary).toContain(`[preview](${job?.preview})`);
    expect(first.stdout).not.toContain("::warning::");

    const again = await runVideos(setup, inputs, env);
    expect(again.code, again.stdout).toBe(0);
    expect(previews(sandbox)).toHaveLength(1);
    expect(parse(again.outputs.plan)[0]).toMatchObject({ action: "reuse", estimated_credits: 0 });
  });

  it("renders an existing preview with one render call and no create; its re-run reuses", async (context) => {
    const setup = await setupGenerate(context);
    const { sandbox } = setup;
    await withVideos(setup, { "videos/promo.yml": videoFile("Buy now.") });
    const preview = await runVideos(setup, { mode: "preview" });
    expect(preview.code, preview.stdout).toBe(0);
    const rendered = await runVideos(setup, { "download-dir": "out" });
    expect(rendered.code, rendered.stdout).toBe(0);
    expect(renders(sandbox)).toHaveLength(1);
    expect(creates(sandbox)).toHaveLength(0);
    const [job] = sandbox.lipsync.jobs;
    expect(renders(sandbox)[0]?.path).toBe(`/api/lipsyncs_v2/${job?.id}/render/`);
    expect(parse(rendered.outputs.videos)[0]).toMatchObject({
      action: "render",
      status: "done",
      video_url: job?.output,
      file_out: "out/promo.mp4",
    });
    const bytes = await readFile(path.join(setup.workspace.dir, "out/promo.mp4"));
    expect(bytes.subarray(4, 8).toString()).toBe("ftyp");

    const rerun = await runVideos(setup, {});
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(billed(sandbox)).toHaveLength(2);
    expect(parse(rerun.outputs.plan)[0]).toMatchObject({ action: "reuse" });
  });

  it("a caption change makes exactly one new billed call", async (context) => {
    const setup = await setupGenerate(context);
    const { sandbox } = setup;
    const caption = (style: string) =>
      `scenes:\n  - script: Hi.\n    caption_setting: {style: ${style}}\n`;
    await withVideos(setup, { "videos/hi.yml": `avatar: James\n${caption("normal-black")}` });
    expect((await runVideos(setup, {})).code).toBe(0);
    expect((await runVideos(setup, {})).code).toBe(0);
    expect(billed(sandbox)).toHaveLength(1);
    await withVideos(setup, { "videos/hi.yml": `avatar: James\n${caption("bold-white")}` });
    const restyled = await runVideos(setup, {});
    expect(restyled.code, restyled.stdout).toBe(0);
    expect(billed(sandbox)).toHaveLength(2);
    expect(creates(sandbox)[1]?.json).toMatchObject({
      video_inputs: [{ caption_setting: { style: "bold-white" } }],
    });
  });

  it("a blocked avatar is reported, not billed, not a failure; a name with no avatar fails alone", async (context) => {
    const setup = await setupGenerate(context);
    const { sandbox } = setup;
    sandbox.seed({ creator_name: "Mia", statuses: ["reviewing"] });
    await withVideos(setup, {
      "videos/mia.yml": "avatar: Mia\nscript: Hello.\n",
      "videos/ok.yml": videoFile("Fine."),
    });
    const result = await runVideos(setup, {});
    expect(result.code, result.stdout).toBe(0);
    expect(creates(sandbox)).toHaveLength(1);
    const plan = parse(result.outputs.plan);
    expect(plan.map((entry) => entry.action)).toEqual(["blocked", "create"]);
    expect(plan[0]?.reason).toMatch(/not approved yet/);
    expect(result.summary).toMatch(/blocked/);

    await withVideos(setup, { "videos/zoe.yml": "avatar: Zoe\nscript: Hello.\n" });
    const missing = await runVideos(setup, {});
    expect(missing.code).toBe(1);
    expect(errorLines(missing).join("\n")).toMatch(/videos\/zoe\.yml: no avatar is named "Zoe"/);
    expect(creates(sandbox)).toHaveLength(1);
  });

  it.for([
    ["an unknown key", "avatar: James\nscript: Hi.\ncolour: red\n", /videos\/bad\.yml.*colour/],
    [
      "two scripts",
      "avatar: James\nscript: Hi.\nscript-file: x.txt\n",
      /videos\/bad\.yml.*exactly one/,
    ],
    [
      "a caption of the wrong type",
      "avatar: James\nscenes:\n  - script: Hi.\n    caption_setting: big\n",
      /caption_setting/,
    ],
  ] as const)("refuses %s with zero requests", async ([, text, message], context) => {
    const setup = await setupGenerate(context);
    await withVideos(setup, { "videos/a.yml": videoFile("Fine."), "videos/bad.yml": text });
    const result = await runVideos(setup, {});
    expect(result.code).toBe(1);
    expect(errorLines(result).join("\n")).toMatch(message);
    expect(setup.sandbox.requests).toHaveLength(0);
  });

  it.for([
    ["standard", 20],
    ["aurora_v1", 120],
    ["aurora_v1_fast", 60],
  ] as const)(
    "estimates a 300-word script on %s at %i credits, without credentials and with",
    async ([model, credits], context) => {
      const setup = await setupGenerate(context);
      const script = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
      await withVideos(setup, {
        "videos/long.yml": videoFile(script, `model-version: ${model}\n`),
      });
      const offline = await runVideos(setup, { "dry-run": "true", "api-id": "", "api-key": "" });
      expect(offline.code, offline.stdout).toBe(0);
      expect(setup.sandbox.requests).toHaveLength(0);
      expect(parse(offline.outputs.plan)[0]).toMatchObject({
        action: "checked",
        estimated_credits: credits,
      });
      const planned = await runVideos(setup, { "dry-run": "true" });
      expect(planned.code, planned.stdout).toBe(0);
      expect(parse(planned.outputs.plan)[0]).toMatchObject({
        action: "create",
        estimated_credits: credits,
      });
      expect(billed(setup.sandbox)).toHaveLength(0);
      expect(planned.summary).toContain(`Estimated credits for this run: ${credits}`);
    },
  );

  it("warns before the first create when the estimate exceeds the remaining credits", async (context) => {
    const setup = await setupGenerate(context, { lipsync: { credits: 3 } });
    await withVideos(setup, { "videos/a.yml": videoFile("Hello there.") });
    const result = await runVideos(setup, { "dry-run": "true" });
    expect(result.stdout).toMatch(
      /::warning::This run is estimated at 5 credits and the account has 3/,
    );
  });

  it("waits for ten videos together: the wall time is near one video's, not ten", async (context) => {
    const setup = await setupGenerate(context);
    await withVideos(setup, { "videos/one.yml": videoFile("Video one.") });
    const started = Date.now();
    const one = await runVideos(setup, {});
    const oneMs = Date.now() - started;
    expect(one.code, one.stdout).toBe(0);
    const ten = await setupGenerate(context);
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`videos/v${i}.yml`] = videoFile(`Video number ${i}.`);
    await withVideos(ten, files);
    const tenStarted = Date.now();
    const all = await runVideos(ten, { "max-parallel": "10" });
    const tenMs = Date.now() - tenStarted;
    expect(all.code, all.stdout).toBe(0);
    expect(creates(ten.sandbox)).toHaveLength(10);
    expect(parse(all.outputs.videos).every((video) => video.status === "done")).toBe(true);
    // Ten waited one after another would take ten times one video's wait.
    expect(tenMs).toBeLessThan(oneMs * 4);
  });

  it("after a render answered 502 once accepted, reads the job back and renders no second time", async (context) => {
    const setup = await setupGenerate(context);
    const { sandbox } = setup;
    await withVideos(setup, { "videos/promo.yml": videoFile("Buy now.") });
    expect((await runVideos(setup, { mode: "preview" })).code).toBe(0);
    sandbox.fault({
      method: "POST",
      path: "/api/lipsyncs_v2/*",
      kind: "status",
      status: 502,
      store: true,
    });
    const result = await runVideos(setup, {});
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/render\/: HTTP 502.*looking for the video before anything else/);
    expect(renders(sandbox)).toHaveLength(1);
    expect(creates(sandbox)).toHaveLength(0);
    expect(parse(result.outputs.videos)[0]).toMatchObject({ action: "render", status: "done" });
  });

  it("a preview missing from the listings is previewed once, its link shown, and the surprise named", async (context) => {
    const setup = await setupGenerate(context, { lipsync: { unlistedPreviews: true } });
    await withVideos(setup, { "videos/promo.yml": videoFile("Buy now.") });
    const result = await runVideos(setup, { mode: "preview" });
    expect(result.code, result.stdout).toBe(0);
    expect(previews(setup.sandbox)).toHaveLength(1);
    const [job] = setup.sandbox.lipsync.jobs;
    expect(result.outputs["preview-url"]).toBe(job?.preview);
    expect(result.stdout).toContain(
      `::warning::videos/promo.yml: preview ${job?.id} is missing from Creatify's list of jobs`,
    );
  });
});
