import { describe, expect, it } from "vitest";
import type { Lipsync } from "../../../src/creatify/lipsync.ts";
import type { Persona } from "../../../src/creatify/persona.ts";
import {
  afterRender,
  checkPreview,
  chooseAvatar,
  creditsFor,
  decideMode,
  estimatedCredits,
  type Mode,
  scriptSeconds,
  type VideoAction,
} from "../../../src/generate/videos/decide.ts";

const avatar = (
  id: string,
  name: string,
  status: string,
  created: string,
  extra: Partial<Persona> = {},
): Persona => ({
  id,
  creator_name: name,
  is_active: status === "done",
  process_status: status,
  created_at: `2026-0${created}-01T00:00:00Z`,
  ...extra,
});

describe("chooseAvatar", () => {
  const listing = [
    avatar("j-old", "James", "done", "1"),
    avatar("j-new", "James", "done", "3"),
    avatar("j-take", "James", "reviewing", "4"),
    avatar("a-1", "Ana", "reviewing", "2"),
    avatar("a-0", "Ana", "failed", "1", { failed_reason: "blurry" }),
    avatar("l-1", "Li", "rejected", "2", { failed_reason: "no consent" }),
    avatar("jim", "james", "done", "5"),
  ];
  it.each<[string, { name: string } | { id: string }, string, string | undefined, RegExp?]>([
    ["the newest approved of the name", { name: "James" }, "approved", "j-new"],
    [
      "not another case of the name",
      { name: "JAMES" },
      "missing",
      undefined,
      /no avatar is named "JAMES"/,
    ],
    [
      "none approved: the newest, reviewing",
      { name: "Ana" },
      "blocked",
      "a-1",
      /not approved yet \(reviewing\)/,
    ],
    [
      "only a rejected one",
      { name: "Li" },
      "blocked",
      "l-1",
      /rejected: no consent; record a new take/,
    ],
    ["no avatar of the name", { name: "Bo" }, "missing", undefined, /no avatar is named "Bo"/],
    ["an approved id", { id: "j-old" }, "approved", "j-old"],
    ["an id in review", { id: "j-take" }, "blocked", "j-take", /\(reviewing\)/],
    ["an unknown id", { id: "zz" }, "missing", undefined, /no avatar has the id zz/],
  ])("%s", (_what, ref, kind, id, reason) => {
    const choice = chooseAvatar(listing, ref);
    expect(choice.kind).toBe(kind);
    if (choice.kind !== "missing") expect(choice.avatar.id).toBe(id);
    if (reason) expect("reason" in choice && choice.reason).toMatch(reason);
  });
});

const FP = "lipsync-sha256:0123456789abcdef";
const OTHER = "lipsync-sha256:ffffffffffffffff";
let day = 0;
const job = (id: string, mark: "preview" | "video", fields: Partial<Lipsync> = {}): Lipsync => ({
  id,
  name: mark === "preview" ? `Promo [preview ${FP}]` : `Promo [${FP}]`,
  status: "done",
  output: null,
  preview: null,
  created_at: `2026-01-${String(++day).padStart(2, "0")}T00:00:00Z`,
  ...fields,
});
const previewed = (id: string) => job(id, "preview", { preview: "https://app.example/p" });
const rendered = (id: string) => job(id, "preview", { output: "https://v.example/x.mp4" });
const video = (id: string, status = "done") =>
  job(id, "video", { status, output: status === "done" ? "https://v.example/y.mp4" : null });

describe("decideMode", () => {
  it.each<[string, Mode, Lipsync[], string, string | undefined, boolean?]>([
    // preview: any live job of the request is reused, preview or video alike; else a preview.
    ["preview: nothing yet", "preview", [], "preview", undefined],
    [
      "preview: another request's job",
      "preview",
      [{ ...previewed("x"), name: `P [preview ${OTHER}]` }],
      "preview",
      undefined,
    ],
    ["preview: a preview made before", "preview", [previewed("p")], "reuse", "p"],
    ["preview: a rendered video", "preview", [rendered("r")], "reuse", "r"],
    ["preview: a created video, running", "preview", [video("v", "running")], "reuse", "v"],
    [
      "preview: only a failed preview",
      "preview",
      [job("f", "preview", { status: "failed" })],
      "preview",
      undefined,
    ],
    ["preview: the newer of two", "preview", [previewed("old"), previewed("new")], "reuse", "new"],
    // render: a video is reused, a running one waited for, a preview rendered, else a create.
    ["render: nothing yet", "render", [], "create", undefined],
    ["render: a preview", "render", [previewed("p")], "render", "p"],
    ["render: a rendered preview", "render", [rendered("r")], "reuse", "r"],
    [
      "render: a preview running after its render",
      "render",
      [job("r", "preview", { status: "running" })],
      "reuse",
      "r",
    ],
    [
      "render: a preview whose render is queued",
      "render",
      [job("r", "preview", { status: "in_queue" })],
      "reuse",
      "r",
    ],
    ["render: a created video, done", "render", [video("v")], "reuse", "v"],
    ["render: a created video, pending", "render", [video("v", "pending")], "reuse", "v"],
    ["render: a video over a newer preview", "render", [video("v"), previewed("p")], "reuse", "v"],
    [
      "render: a running render over a preview",
      "render",
      [previewed("p"), job("r", "preview", { status: "running" })],
      "reuse",
      "r",
    ],
    [
      "render: the newest of two previews",
      "render",
      [previewed("old"), previewed("new")],
      "render",
      "new",
    ],
    [
      "render: a preview whose render failed",
      "render",
      [job("f", "preview", { status: "failed" })],
      "create",
      undefined,
    ],
    [
      "render: a rejected video",
      "render",
      [job("f", "video", { status: "rejected" })],
      "create",
      undefined,
    ],
    [
      "render: another request's preview",
      "render",
      [{ ...previewed("x"), name: `P [preview ${OTHER}]` }],
      "create",
      undefined,
    ],
    [
      "render: a job without a name",
      "render",
      [{ ...previewed("x"), name: null }],
      "create",
      undefined,
    ],
    // What does not fit: reused with a warning, nothing billed again.
    [
      "render: a created video done without output",
      "render",
      [job("odd", "video")],
      "reuse",
      "odd",
      true,
    ],
    [
      "render: a preview of an unknown status",
      "render",
      [job("odd", "preview", { status: "previewing" })],
      "reuse",
      "odd",
      true,
    ],
    [
      "render: a preview over an odd job",
      "render",
      [job("odd", "video"), previewed("p")],
      "render",
      "p",
    ],
  ])("%s", (_what, mode, jobs, action, jobId, warns = false) => {
    const decision = decideMode(jobs, FP, mode);
    expect(decision.action).toBe(action);
    expect(decision.job?.id).toBe(jobId);
    expect(decision.warning !== undefined).toBe(warns);
    if (warns) expect(decision.warning).toContain(jobId);
  });

  it("says why it creates", () => {
    expect(decideMode([], FP, "render").reason).toMatch(/no job of this request yet/);
    const failed = [job("f", "preview", { status: "failed" })];
    expect(decideMode(failed, FP, "render").reason).toMatch(/every job of this request failed/);
  });
});

describe("first contact", () => {
  it.each<[string, Partial<Lipsync>, RegExp | undefined]>([
    ["a preview as expected", { preview: "https://app.example/p" }, undefined],
    ["no link", {}, /has no preview link/],
    [
      "a video already",
      { preview: "https://app.example/p", output: "https://v/x.mp4" },
      /a video already/,
    ],
    [
      "still pending",
      { preview: "https://app.example/p", status: "pending" },
      /the status "pending"/,
    ],
  ])("checkPreview: %s", (_what, fields, warning) => {
    const result = checkPreview(job("p1", "preview", fields));
    if (warning) expect(result).toMatch(warning);
    else expect(result).toBeUndefined();
    if (warning) expect(result).toContain("p1");
  });

  it.each<[string, Partial<Lipsync>, string, boolean?]>([
    ["running: taken", { status: "running" }, "wait"],
    ["pending: taken", { status: "pending" }, "wait"],
    ["done with its video", { output: "https://v/x.mp4" }, "wait"],
    ["still the preview it was", { preview: "https://app.example/p" }, "render-again"],
    ["failed", { status: "failed", failed_reason: "no voice" }, "failed"],
    ["an unknown status", { status: "rendering" }, "wait", true],
  ])("afterRender: %s", (_what, fields, next, warns = false) => {
    const result = afterRender(job("r1", "preview", fields));
    expect(result.next).toBe(next);
    expect("warning" in result && result.warning !== undefined).toBe(warns);
  });
});

describe("estimated credits", () => {
  const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(" ");

  it.each([
    [[words(300)], 120],
    [[words(150), `  ${words(150)}\n`], 120],
    [[words(1)], 0.4],
    [["Hello,   world!\n\nAgain."], 1.2],
  ])("%#: the scripts take %f s at 150 words a minute", (scripts, seconds) => {
    expect(scriptSeconds(scripts)).toBeCloseTo(seconds);
  });

  // A 300-word script: 120 s.
  it.each<[string, "standard" | "aurora_v1" | "aurora_v1_fast", "create" | "preview", number]>([
    ["standard", "standard", "create", 20],
    ["aurora_v1", "aurora_v1", "create", 120],
    ["aurora_v1_fast", "aurora_v1_fast", "create", 60],
    ["a preview", "standard", "preview", 4],
    ["a preview of aurora_v1", "aurora_v1", "preview", 4],
  ])("a 300-word script on %s costs %i", (_what, model, call, credits) => {
    expect(creditsFor(scriptSeconds([words(300)]), model, call)).toBe(credits);
  });

  it.each([
    [31, "standard", 10],
    [30, "standard", 5],
    [0.4, "standard", 5],
    [0.4, "aurora_v1", 1],
    [3, "aurora_v1_fast", 2],
  ] as const)("%f s on %s: %i, per started period, whole credits", (seconds, model, credits) => {
    expect(creditsFor(seconds, model, "create")).toBe(credits);
  });

  it.each<[VideoAction, Mode, number]>([
    ["create", "render", 20],
    ["render", "render", 20],
    ["preview", "preview", 4],
    ["reuse", "render", 0],
    ["blocked", "preview", 0],
    ["checked", "preview", 4],
    ["checked", "render", 20],
  ])("%s in %s mode: %i for a 300-word standard video", (action, mode, credits) => {
    expect(estimatedCredits(action, mode, 120, "standard")).toBe(credits);
  });
});
