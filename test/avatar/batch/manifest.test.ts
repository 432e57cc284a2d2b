import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "../../../src/avatar/batch/manifest.ts";
import { InputError } from "../../../src/errors.ts";

const WORKSPACE = path.resolve("/work/repo");
const file = (relative: string) => ({
  kind: "file",
  path: path.join(WORKSPACE, relative),
  relativePath: relative,
});

const parse = (text: string, name = "avatars.yml") => parseManifest(text, name, WORKSPACE, "reuse");

/** The InputError a manifest raises, for its message and location. */
function failure(text: string, name = "avatars.yml"): InputError {
  try {
    parse(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("the manifest was accepted");
}

const YAML_MANIFEST = `# Brand avatars, one entry per person
avatars:
  - video: avatars/james/lipsync.mp4
    consent-video: avatars/james/consent.mov
    creator-name: James
    gender: m
    video-scene: office
    keywords: sales, friendly
    labels: [brand-a, brand-b]
  - video: https://cdn.example.com/ana.mp4
    creator-name: Ana
    gender: Female
    video-scene: studio
    keywords: [warm, calm]
    labels: brand-a, brand-c
    webhook-url: https://hooks.example.com/creatify?token=abc
    if-exists: create
  - video: avatars/li/lipsync.mp4
    creator-name: Li
    gender: non-binary
    video-scene: outdoor
    labels:
      - brand-b
      - "brand, with comma? no: split"
`;

const JSON_MANIFEST = `{
  "avatars": [
    {
      "video": "avatars/james/lipsync.mp4",
      "creator-name": "James",
      "gender": "m",
      "video-scene": "office",
      "keywords": ["sales", "friendly"],
      "labels": ["brand-a", "brand-b"]
    },
    {
      "video": "avatars/ana/lipsync.mp4",
      "creator-name": "Ana",
      "gender": "f",
      "video-scene": "studio",
      "labels": "brand-a\\nbrand-c"
    }
  ]
}
`;

describe("parseManifest: valid manifests", () => {
  it.each([
    {
      name: "YAML with every key, labels as a list and as text, keywords as a list",
      text: YAML_MANIFEST,
      expected: [
        {
          index: 0,
          line: 3,
          spec: {
            video: file("avatars/james/lipsync.mp4"),
            consentVideo: file("avatars/james/consent.mov"),
            creatorName: "James",
            gender: "m",
            videoScene: "office",
            keywords: "sales, friendly",
            labels: ["brand-a", "brand-b"],
            webhookUrl: undefined,
            ifExists: "reuse",
          },
        },
        {
          index: 1,
          line: 10,
          spec: {
            video: { kind: "url", url: "https://cdn.example.com/ana.mp4" },
            consentVideo: undefined,
            creatorName: "Ana",
            gender: "f",
            videoScene: "studio",
            keywords: "warm, calm",
            labels: ["brand-a", "brand-c"],
            webhookUrl: "https://hooks.example.com/creatify?token=abc",
            ifExists: "create",
          },
        },
        {
          index: 2,
          line: 18,
          spec: {
            video: file("avatars/li/lipsync.mp4"),
            creatorName: "Li",
            gender: "nb",
            videoScene: "outdoor",
            keywords: undefined,
            // Labels split on commas whichever way they are given, as the `labels` input does.
            labels: ["brand-b", "brand", "with comma? no: split"],
          },
        },
      ],
    },
    {
      name: "JSON, keywords as a list, labels as newline-separated text",
      text: JSON_MANIFEST,
      expected: [
        {
          index: 0,
          line: 3,
          spec: {
            video: file("avatars/james/lipsync.mp4"),
            creatorName: "James",
            keywords: "sales, friendly",
            labels: ["brand-a", "brand-b"],
          },
        },
        {
          index: 1,
          line: 11,
          spec: {
            video: file("avatars/ana/lipsync.mp4"),
            creatorName: "Ana",
            keywords: undefined,
            labels: ["brand-a", "brand-c"],
          },
        },
      ],
    },
    {
      name: "YAML anchors and aliases for shared values",
      text: `defaults:
  scene: &scene office
  labels: &labels [brand-a, brand-b]
avatars:
  - video: avatars/james/lipsync.mp4
    creator-name: James
    gender: m
    video-scene: *scene
    labels: *labels
`,
      expected: [
        {
          index: 0,
          line: 5,
          spec: { videoScene: "office", labels: ["brand-a", "brand-b"] },
        },
      ],
    },
    {
      name: "numbers and booleans as written, as inputs would read them",
      text: `avatars:
  - video: "avatars/007/lipsync.mp4"
    creator-name: 007
    gender: M
    video-scene: 2024
    keywords: [1.10, true]
    labels: []
`,
      expected: [
        {
          index: 0,
          line: 2,
          spec: {
            creatorName: "007",
            gender: "m",
            videoScene: "2024",
            keywords: "1.10, true",
            labels: [],
          },
        },
      ],
    },
    {
      name: "an empty optional value",
      text: `avatars:
  - video: a.mp4
    creator-name: A
    gender: f
    video-scene: office
    keywords:
    labels: ~
`,
      expected: [
        {
          index: 0,
          line: 2,
          spec: { keywords: undefined, labels: [] },
        },
      ],
    },
  ])("$name", ({ text, expected }) => {
    const entries = parse(text);
    expect(entries).toHaveLength(expected.length);
    expect(entries).toMatchObject(expected);
  });

  it("names a field of an entry by index and creator name", () => {
    const [, ana] = parse(YAML_MANIFEST);
    expect(ana?.describe("gender")).toBe('avatars.yml: avatars[1] (Ana) "gender"');
  });
});

describe("parseManifest: invalid manifests", () => {
  it.each([
    {
      name: "YAML syntax error",
      text: `avatars:
  - video: avatars/james/lipsync.mp4
    creator-name: [James
    gender: m
`,
      message: /^avatars\.yml: not valid YAML or JSON \(.+\)$/,
      // Where the parser notices the unclosed list.
      line: 4,
    },
    {
      name: "JSON syntax error",
      text: `{
  "avatars": [
    { "video": "a.mp4", "creator-name": "A", "gender": "m", "video-scene": "x" },,
  ]
}
`,
      message: /^avatars\.yml: not valid YAML or JSON/,
      line: 3,
    },
    {
      name: "duplicate key in an entry",
      text: `avatars:
  - video: a.mp4
    creator-name: A
    creator-name: B
`,
      message: /^avatars\.yml: not valid YAML or JSON \(.*unique/,
      line: 4,
    },
    {
      name: "empty file",
      text: "",
      message: 'avatars.yml: expected a list under "avatars:"',
      line: 1,
    },
    {
      name: "missing avatars",
      text: "# avatars\nvideos:\n  - video: a.mp4\n",
      message: 'avatars.yml: expected a list under "avatars:"',
      line: 2,
    },
    {
      name: "avatars is a mapping, not a list",
      text: "avatars:\n  video: a.mp4\n  creator-name: A\n",
      message: 'avatars.yml: expected a list under "avatars:"',
      line: 1,
    },
    {
      name: "a top-level list",
      text: "- video: a.mp4\n",
      message: 'avatars.yml: expected a list under "avatars:"',
      line: 1,
    },
    {
      name: "empty avatars list",
      text: "avatars: []\n",
      message: 'avatars.yml: "avatars:" is empty',
      line: 1,
    },
    {
      name: "an entry that is not a mapping",
      text: `avatars:
  - video: a.mp4
    creator-name: A
    gender: m
    video-scene: office
  - avatars/b.mp4
`,
      message: "avatars.yml: avatars[1] is not a mapping of keys to values",
      line: 6,
    },
    {
      name: "unknown key",
      text: `avatars:
  - video: a.mp4
    gender: m
    video-scene: office
    creatorname: Typo
  - video: b.mp4
    creator-name: Bea
    gender: f
    video-scene: office
    wait: true
`,
      // The first entry has no creator-name: only its index names it.
      message: /^avatars\.yml: avatars\[0\] has an unknown key "creatorname" \(known: video, /,
      line: 5,
    },
    {
      name: "unknown key after the creator name",
      text: `avatars:
  - video: a.mp4
    creator-name: Ana
    gender: f
    video-scene: office
  - video: b.mp4
    wait: true
    creator-name: Bea
    gender: f
    video-scene: office
`,
      message: /^avatars\.yml: avatars\[1\] \(Bea\) has an unknown key "wait" \(known: /,
      line: 7,
    },
    {
      name: "a value that is a mapping",
      text: `avatars:
  - video: a.mp4
    creator-name: Ana
    gender: f
    video-scene: {name: office}
`,
      message: 'avatars.yml: avatars[0] (Ana) "video-scene" must be text or a list of text',
      line: 5,
    },
    {
      name: "bad gender in entry 2",
      text: `avatars:
  - video: avatars/james/lipsync.mp4
    creator-name: James
    gender: m
    video-scene: office

  - video: avatars/ana/lipsync.mp4
    creator-name: Ana
    gender: woman
    video-scene: office
`,
      message:
        'avatars.yml: avatars[1] (Ana) "gender": "woman" is not one of m, f, nb (male, female, non-binary).',
      line: 7,
    },
    {
      name: "missing required key",
      text: `avatars:
  - video: a.mp4
    gender: m
    video-scene: office
`,
      message: 'avatars.yml: avatars[0] "creator-name" is required.',
      line: 2,
    },
    {
      name: "video path outside the workspace",
      text: `avatars:
  - video: ../other-repo/james.mp4
    creator-name: James
    gender: m
    video-scene: office
`,
      message: `avatars.yml: avatars[0] (James) "video": "../other-repo/james.mp4" is outside the workspace (${WORKSPACE}).`,
      line: 2,
    },
    {
      name: "absolute video path outside the workspace",
      text: `avatars:
  - video: /etc/passwd
    creator-name: James
    gender: m
    video-scene: office
`,
      message:
        /^avatars\.yml: avatars\[0\] \(James\) "video": "\/etc\/passwd" is outside the workspace/,
      line: 2,
    },
    {
      name: "consent video outside the workspace",
      text: `avatars:
  - video: avatars/james/lipsync.mp4
    consent-video: avatars/../../consent.mp4
    creator-name: James
    gender: m
    video-scene: office
`,
      message:
        /^avatars\.yml: avatars\[0\] \(James\) "consent-video": ".*" is outside the workspace/,
      line: 2,
    },
    {
      name: "a path consent video with a URL video",
      text: `avatars:
  - video: https://cdn.example.com/james.mp4
    consent-video: avatars/james/consent.mp4
    creator-name: James
    gender: m
    video-scene: office
`,
      message: /^avatars\.yml: avatars\[0\] \(James\) "consent-video": must be a URL/,
      line: 2,
    },
    {
      name: "an error in the last entry only",
      text: [
        "avatars:",
        ...Array.from({ length: 5 }, (_, i) => [
          `  - video: v${i}.mp4`,
          `    creator-name: Person ${i}`,
          "    gender: f",
          "    video-scene: office",
        ]).flat(),
        "  - video: v5.mp4",
        "    creator-name: Last",
        "    gender: f",
        "    video-scene: office",
        "    if-exists: sometimes",
      ].join("\n"),
      message:
        'avatars.yml: avatars[5] (Last) "if-exists": "sometimes" is not one of reuse, create, fail.',
      line: 22,
    },
    {
      name: "creator name over 255 characters",
      text: `{"avatars": [{"video": "a.mp4", "creator-name": "${"x".repeat(256)}", "gender": "m", "video-scene": "o"}]}`,
      message:
        /^avatars\.yml: avatars\[0\] \(x+\) "creator-name": 256 characters, at most 255 allowed\.$/,
      line: 1,
    },
  ])("$name", ({ text, message, line }) => {
    const error = failure(text);
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.file).toBe("avatars.yml");
    expect(error.line).toBe(line);
    expect(error.message).not.toContain("\n");
  });

  it("names the manifest as the user wrote it", () => {
    const error = failure("avatars: 3\n", ".github/avatars.json");
    expect(error.message).toBe('.github/avatars.json: expected a list under "avatars:"');
    expect(error.file).toBe(".github/avatars.json");
  });
});

describe("parseManifest: names", () => {
  it("refuses two entries with the same creator-name, pointing at the second", () => {
    const text = [
      "avatars:",
      "  - { video: a.mp4, creator-name: Kim, gender: f, video-scene: office }",
      "  - { video: b.mp4, creator-name: Kim, gender: f, video-scene: studio }",
    ].join("\n");
    const attempt = () => parseManifest(text, "avatars/manifest.yml", "/ws", "reuse");
    expect(attempt).toThrow(
      'avatars/manifest.yml: avatars[1] has the same creator-name "Kim" as avatars[0]; give each avatar its own name.',
    );
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ file: "avatars/manifest.yml", line: 3 });
    }
  });
});
