import { describe, expect, it } from "vitest";
import type { Lipsync } from "../../../src/creatify/lipsync.ts";
import type { Persona } from "../../../src/creatify/persona.ts";
import type { VideoFile } from "../../../src/generate/videos/file.ts";
import { checkedPlan, planVideo } from "../../../src/generate/videos/plan.ts";

const persona = (id: string, name: string, approved: boolean, created = "01"): Persona => ({
  id,
  creator_name: name,
  is_active: approved,
  process_status: approved ? "done" : "reviewing",
  created_at: `2026-${created}-01T00:00:00Z`,
});

const video = (over: Partial<VideoFile> = {}): VideoFile => ({
  file: "videos/promo.yml",
  name: "promo",
  avatar: { name: "James" },
  // 75 words: 30 s at 150 a minute.
  scenes: [
    {
      script: Array.from({ length: 75 }, () => "word").join(" "),
      avatarId: undefined,
      voiceId: undefined,
      backgroundUrl: undefined,
    },
  ],
  aspectRatio: "9x16",
  modelVersion: "standard",
  extra: {},
  scriptFiles: [],
  ...over,
});

const PERSONAS = [
  persona("old", "James", true, "01"),
  persona("new", "James", true, "03"),
  persona("mia", "Mia", false),
];

describe("planVideo", () => {
  it.each([
    ["by name: the newest approved avatar", { name: "James" }, "create", "new", 5],
    ["by id", { id: "old" }, "create", "old", 5],
    ["not approved: blocked, nothing billed", { name: "Mia" }, "blocked", "mia", 0],
    ["no avatar of that name: an error", { name: "Zoe" }, "error", undefined, 0],
    ["an unknown id: an error", { id: "nope" }, "error", undefined, 0],
  ] as const)("%s", (_name, avatar, action, avatarId, credits) => {
    const plan = planVideo(video({ avatar }), PERSONAS, [], "render", undefined);
    expect(plan.action).toBe(action);
    expect(plan.avatar?.id).toBe(avatarId);
    expect(plan.estimatedCredits).toBe(credits);
    expect(plan.request === undefined).toBe(action !== "create");
  });

  it("speaks with the chosen avatar and finds the request's preview by its fingerprint", () => {
    const preview = planVideo(video(), PERSONAS, [], "preview", undefined);
    expect(preview).toMatchObject({ action: "preview", estimatedCredits: 1 });
    expect(preview.request?.body.video_inputs[0]?.character.avatar_id).toBe("new");
    const previewed: Lipsync = {
      id: "job-1",
      name: preview.request?.preview.name,
      status: "done",
      output: null,
      preview: "https://preview",
    };
    const render = planVideo(video(), PERSONAS, [previewed], "render", undefined);
    expect(render).toMatchObject({ action: "render", job: previewed, estimatedCredits: 5 });
    // A webhook is not part of what the video is: the same preview is found.
    const hooked = planVideo(video(), PERSONAS, [previewed], "render", "https://hook.example");
    expect(hooked.action).toBe("render");
  });

  it("a scene's own avatar must be approved too; without a file avatar the scenes' speak", () => {
    const scene = { ...video().scenes[0], avatarId: "mia" } as VideoFile["scenes"][number];
    const blocked = planVideo(video({ scenes: [scene] }), PERSONAS, [], "render", undefined);
    expect(blocked.action).toBe("blocked");
    const own = { ...scene, avatarId: "old" };
    const plan = planVideo(
      video({ avatar: undefined, scenes: [own] }),
      PERSONAS,
      [],
      "render",
      undefined,
    );
    expect(plan.action).toBe("create");
    expect(plan.request?.body.video_inputs[0]?.character.avatar_id).toBe("old");
  });
});

describe("checkedPlan", () => {
  it.each([
    ["render", "standard", 5],
    ["preview", "standard", 1],
    ["render", "aurora_v1", 30],
  ] as const)("in %s mode on %s counts %i credits", (mode, model, credits) => {
    expect(checkedPlan(video({ modelVersion: model }), mode)).toMatchObject({
      action: "checked",
      estimatedCredits: credits,
    });
  });
});
