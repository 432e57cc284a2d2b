import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseManifest } from "../../../src/avatar/batch/manifest.ts";
import { AVATAR_KEYS } from "../../../src/avatar/inputs.ts";
import { InputError } from "../../../src/errors.ts";
import { validate } from "../../support/json-schema.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const schema = JSON.parse(
  readFileSync(path.join(root, "schemas/avatar-manifest.schema.json"), "utf8"),
);
const WORKSPACE = path.resolve("/work/repo");

/** What the action itself says of a manifest: null when it accepts it, else its error. */
function actionVerdict(text: string): string | null {
  try {
    parseManifest(text, "avatars/manifest.yml", WORKSPACE, "reuse");
    return null;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

/** Every file in the repository's examples and fixtures that is a manifest (a list under avatars:). */
function manifestsIn(...folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .map((name) => path.join(folder, name))
      .filter((file) => {
        const document = parse(readFileSync(path.join(root, file), "utf8"));
        return Array.isArray(document?.avatars) && !("jobs" in document);
      }),
  );
}

const entry = (extra: string) =>
  `avatars:\n  - video: avatars/james/lipsync.mp4\n    creator-name: James\n    gender: m\n    video-scene: office\n${extra}`;

// Each manifest goes through both the schema and the action's own parser: they must agree.
const cases: { name: string; text: string; valid: boolean }[] = [
  { name: "the four required keys", text: entry(""), valid: true },
  {
    name: "every key",
    text: entry(
      "    consent-video: avatars/james/consent.mp4\n    keywords: [sales, friendly]\n    labels: brand-a, spanish\n    webhook-url: https://hooks.example.com/x?token=1\n    if-exists: Create\n",
    ),
    valid: true,
  },
  {
    name: "a URL video",
    text: entry("").replace("avatars/james/lipsync.mp4", "https://cdn.example.com/a.mp4"),
    valid: true,
  },
  {
    name: "gender in words, any case",
    text: entry("").replace("gender: m", "gender: Non-Binary"),
    valid: true,
  },
  { name: "a number as a name", text: entry("").replace("James", "007"), valid: true },
  {
    name: "empty optional keys",
    text: entry("    keywords:\n    labels:\n    if-exists:\n"),
    valid: true,
  },
  {
    name: "224 characters of keywords",
    text: entry(`    keywords: ${"k".repeat(224)}\n`),
    valid: true,
  },
  { name: "no avatars key", text: "avatar:\n  - video: a.mp4\n", valid: false },
  { name: "an empty list", text: "avatars: []\n", valid: false },
  {
    name: "an entry that is not a mapping",
    text: "avatars:\n  - avatars/james.mp4\n",
    valid: false,
  },
  { name: "a misspelt key", text: entry("    video_scene: office\n"), valid: false },
  { name: "a missing gender", text: entry("").replace("    gender: m\n", ""), valid: false },
  { name: "an empty creator-name", text: entry("").replace("James", '""'), valid: false },
  { name: "an unknown gender", text: entry("").replace("gender: m", "gender: x"), valid: false },
  { name: "an unknown if-exists", text: entry("    if-exists: replace\n"), valid: false },
  {
    name: "225 characters of keywords",
    text: entry(`    keywords: ${"k".repeat(225)}\n`),
    valid: false,
  },
  {
    name: "a 256-character scene",
    text: entry("").replace("office", "o".repeat(256)),
    valid: false,
  },
  {
    name: "a webhook that is not http(s)",
    text: entry("    webhook-url: ftp://hooks.example.com/x\n"),
    valid: false,
  },
  {
    name: "a 201-character webhook",
    text: entry(`    webhook-url: https://h.example.com/${"x".repeat(180)}\n`),
    valid: false,
  },
  {
    name: "an ftp video",
    text: entry("").replace("avatars/james/lipsync.mp4", "ftp://cdn.example.com/a.mp4"),
    valid: false,
  },
  { name: "a line break in a name", text: entry("").replace("James", '"Ja\\nmes"'), valid: false },
  { name: "a mapping as labels", text: entry("    labels: {a: b}\n"), valid: false },
];

describe("schemas/avatar-manifest.schema.json", () => {
  it("names exactly the keys a manifest entry takes", () => {
    expect(Object.keys(schema.$defs.avatar.properties).sort()).toEqual([...AVATAR_KEYS].sort());
  });

  const examples = manifestsIn("examples", "test/fixtures");
  it("finds the example manifests", () => {
    expect(examples).toContain(path.join("examples", "manifest.yml"));
  });

  it.each(examples)("accepts %s, as the action does", (file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    expect(actionVerdict(text)).toBeNull();
    expect(validate(schema, parse(text))).toEqual([]);
  });

  it.each(cases)("agrees with the action on $name", ({ text, valid }) => {
    expect(actionVerdict(text) === null).toBe(valid);
    expect(validate(schema, parse(text)).length === 0).toBe(valid);
  });
});

describe("validate", () => {
  it("refuses a schema keyword it does not check, rather than passing it by", () => {
    expect(() => validate({ type: "string", format: "uri" }, "x")).toThrow(/"format"/);
  });

  it("reports each problem with its path", () => {
    expect(validate(schema, { avatars: [{ video: "a.mp4", gender: "q" }] })).toEqual([
      '$.avatars[0]: "creator-name" is required',
      '$.avatars[0]: "video-scene" is required',
      `$.avatars[0].gender: does not match ${schema.$defs.avatar.properties.gender.pattern}`,
    ]);
  });
});
