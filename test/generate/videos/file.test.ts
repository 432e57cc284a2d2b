import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.ts";
import { sceneRules } from "../../../src/generate/inputs.ts";
import { buildRequest } from "../../../src/generate/request.ts";
import {
  parseVideoFile,
  type VideoDefaults,
  videoSpecOf,
} from "../../../src/generate/videos/file.ts";

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "video-file-"));
  await mkdir(path.join(workspace, "videos/spring"), { recursive: true });
  await writeFile(path.join(workspace, "videos/spring/intro.txt"), "Spring is here.\r\nCome in.\n");
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const DEFAULTS: VideoDefaults = {
  avatarId: "",
  voiceId: "",
  aspectRatio: "9x16",
  modelVersion: "standard",
};
const parse = (text: string, file = "videos/spring.yml", defaults = DEFAULTS) =>
  parseVideoFile(text, file, workspace, defaults, sceneRules(workspace));

/** The InputError a file raises, for its message and line. */
async function failure(text: string, defaults = DEFAULTS): Promise<InputError> {
  const error = await parse(text, "videos/spring.yml", defaults).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const SPRING = `name: Spring promo
avatar: James
aspect-ratio: "16:9"
scenes:
  - script-file: videos/spring/intro.txt
    voice-id: 6f1b8c2e-voice
    caption_setting: {style: normal-black, offset: {x: 0, y: 0.4}}
  - script: And that is spring.
    background: {type: image, url: "https://example.com/bg.jpg", fit: cover}
    visual_style: FullAvatar
background_music: {url: "https://example.com/music.mp3", volume: 0.2}
`;

describe("parseVideoFile", () => {
  it("reads the documented example: scenes, a creator-name, Creatify's fields as written", async () => {
    const video = await parse(SPRING);
    expect(video).toEqual({
      file: "videos/spring.yml",
      name: "Spring promo",
      avatar: { name: "James" },
      aspectRatio: "16x9",
      modelVersion: "standard",
      scenes: [
        {
          avatarId: undefined,
          script: "Spring is here.\nCome in.",
          voiceId: "6f1b8c2e-voice",
          backgroundUrl: undefined,
          extra: { caption_setting: { style: "normal-black", offset: { x: 0, y: 0.4 } } },
        },
        {
          avatarId: undefined,
          script: "And that is spring.",
          voiceId: undefined,
          backgroundUrl: undefined,
          extra: {
            background: { type: "image", url: "https://example.com/bg.jpg", fit: "cover" },
            visual_style: "FullAvatar",
          },
        },
      ],
      extra: { background_music: { url: "https://example.com/music.mp3", volume: 0.2 } },
      scriptFiles: ["videos/spring/intro.txt"],
    });
  });

  it("reads JSON the same, and takes the file's name and the step's inputs by default", async () => {
    const video = await parse('{"script": "Hi", "avatar-id": "av-1"}', "videos/launch.json", {
      ...DEFAULTS,
      voiceId: "voice-1",
      modelVersion: "aurora_v1",
    });
    expect(video).toMatchObject({
      name: "launch",
      avatar: { id: "av-1" },
      aspectRatio: "9x16",
      modelVersion: "aurora_v1",
      scenes: [{ script: "Hi", voiceId: "voice-1", avatarId: undefined }],
      extra: {},
    });
  });

  it("falls back on the step's avatar-id, and needs none when each scene has its own", async () => {
    const stepAvatar = await parse("script: Hi", undefined, { ...DEFAULTS, avatarId: "av-9" });
    expect(stepAvatar.avatar).toEqual({ id: "av-9" });
    const own = await parse("scenes:\n  - script: Hi\n    avatar-id: av-2\n");
    expect(own.avatar).toBeUndefined();
    expect(own.scenes[0]?.avatarId).toBe("av-2");
  });

  it.each([
    ["not YAML", "name: [", 1, /not valid YAML or JSON/],
    ["a list", "- a\n- b\n", 1, /expected a mapping/],
    [
      "no script",
      "avatar: James\n",
      1,
      /exactly one of "script", "script-file" or "scenes" \(none/,
    ],
    ["two sources", "avatar: James\nscript: Hi\nscenes: []\n", 1, /got script and scenes/],
    ["an unknown key", "avatar: James\nscript: Hi\ncaption: x\n", 3, /unknown key "caption"/],
    ["no avatar", "script: Hi\n", 1, /needs "avatar"/],
    ["both avatars", "avatar: James\navatar-id: av-1\nscript: Hi\n", 2, /not both/],
    [
      "a bad aspect ratio",
      "avatar: J\nscript: Hi\naspect-ratio: 4x3\n",
      3,
      /"aspect-ratio": "4x3" is not one of/,
    ],
    ["a bad model", "avatar: J\nscript: Hi\nmodel-version: turbo\n", 3, /"model-version"/],
    [
      "a bad voice id",
      "avatar: J\nscript: Hi\nvoice-id: a b\n",
      3,
      /"voice-id": "a b" does not look like an id/,
    ],
    ["an empty scene list", "avatar: J\nscenes: []\n", 2, /"scenes": must be a list/],
    ["a scene that is text", "avatar: J\nscenes:\n  - Hi\n", 3, /scenes\[0\] is not a mapping/],
    [
      "a scene without script",
      "avatar: J\nscenes:\n  - voice-id: v\n",
      3,
      /scenes\[0\]: give exactly one of "script" and "script-file" \(got neither/,
    ],
    [
      "a scene's unknown key",
      "avatar: J\nscenes:\n  - script: Hi\n    captions: {}\n",
      4,
      /scenes\[0\] has an unknown key "captions"/,
    ],
    [
      "a caption that is text",
      "avatar: J\nscenes:\n  - script: Hi\n    caption_setting: big\n",
      4,
      /scenes\[0\] "caption_setting": must be a mapping/,
    ],
    [
      "a visual style that is a mapping",
      "avatar: J\nscenes:\n  - script: Hi\n    visual_style: {a: 1}\n",
      4,
      /"visual_style": must be text/,
    ],
    [
      "two backgrounds",
      "avatar: J\nscenes:\n  - script: Hi\n    background-url: https://e.x/a.jpg\n    background: {type: image}\n",
      5,
      /"background-url" or "background"/,
    ],
    [
      "music that is a list",
      "avatar: J\nscript: Hi\nbackground_music: [a]\n",
      3,
      /"background_music": must be a mapping/,
    ],
    [
      "an infinite number",
      "avatar: J\nscript: Hi\ncta_end: {size: .inf}\n",
      3,
      /"cta_end": has the number Infinity/,
    ],
    [
      "a control character",
      'avatar: J\nscript: Hi\ncta_end: {text: "a\\u0007"}\n',
      3,
      /"cta_end": contains a line break/,
    ],
    [
      "a missing script file",
      "avatar: J\nscript-file: videos/none.txt\n",
      2,
      /"script-file": "videos\/none.txt" does not exist/,
    ],
    [
      "a script file outside",
      "avatar: J\nscenes:\n  - script-file: ../x.txt\n",
      3,
      /outside the workspace/,
    ],
    ["an empty script", "avatar: J\nscript: '  '\n", 2, /"script": the script is empty/],
    ["an avatar that is a list", "avatar: [J]\nscript: Hi\n", 1, /"avatar": must be text/],
  ])("refuses %s, naming the file, the key and its line", async (_what, text, line, message) => {
    const error = await failure(text);
    expect(error.message).toMatch(/^videos\/spring\.yml: /);
    expect(error.message).toMatch(message);
    expect(error).toMatchObject({ file: "videos/spring.yml", line });
  });
});

describe("videoSpecOf", () => {
  it("gives the scenes without an avatar of their own the one chosen, and builds the body", async () => {
    const text = `${SPRING.replace("  - script: And", "  - avatar-id: av-own\n    script: And")}cta_end: {text: Buy}\n`;
    const spec = videoSpecOf(await parse(text), "av-james", {
      webhookUrl: undefined,
      ifExists: "reuse",
    });
    expect(spec.scenes.map((scene) => scene.avatarId)).toEqual(["av-james", "av-own"]);
    const { body, preview, fingerprint } = buildRequest(spec);
    expect(body).toMatchObject({
      name: `Spring promo [${fingerprint}]`,
      aspect_ratio: "16x9",
      background_music: { url: "https://example.com/music.mp3", volume: 0.2 },
      cta_end: { text: "Buy" },
      video_inputs: [
        { character: { avatar_id: "av-james" }, caption_setting: { style: "normal-black" } },
        { character: { avatar_id: "av-own" }, visual_style: "FullAvatar" },
      ],
    });
    expect(preview.name).toBe(`Spring promo [preview ${fingerprint}]`);
  });
});
