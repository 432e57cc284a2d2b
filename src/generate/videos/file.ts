import path from "node:path";
import { isMap, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import { InputError } from "../../errors.js";
import { workspacePath } from "../../files/workspace.js";
import { parseChoice, plain } from "../../input-rules.js";
import { CONTROL } from "../../text.js";
import { offsetOf, parseYamlFile, textOf, type YamlFile } from "../../yaml.js";
import {
  ASPECT_RATIOS,
  type AspectRatio,
  MODEL_VERSIONS,
  type ModelVersion,
  type PassThrough,
  type Scene,
  type VideoSpec,
} from "../request.js";
import type { SceneRules } from "../scenes.js";

/**
 * A video file: one video as code, YAML or JSON, checked whole before anything is sent. Every
 * error names the file, the key and its line.
 */

/** Creatify's own fields of a `video_inputs` element, passed through, and their JSON types. */
const SCENE_PASS_THROUGH = {
  caption_setting: "mapping",
  background: "mapping",
  transition_effect: "mapping",
  visual_style: "text",
  cta: "mapping",
} as const;
/** Creatify's own top-level fields of the body, passed through. */
const BODY_PASS_THROUGH = { background_music: "mapping", cta_end: "mapping" } as const;
type Shape = "mapping" | "text";

/** The keys a scene takes, as the `scenes` input names them. */
const SCENE_KEYS = ["script", "script-file", "voice-id", "avatar-id", "background-url"] as const;
const VIDEO_KEYS = [
  "name",
  "avatar",
  "avatar-id",
  "script",
  "script-file",
  "scenes",
  "voice-id",
  "aspect-ratio",
  "model-version",
] as const;

/** A scene of a file, its avatar still to be chosen when the scene names none of its own. */
export type FileScene = Omit<Scene, "avatarId"> & { readonly avatarId: string | undefined };

/** Whose avatar speaks: a creator-name, resolved from the run's one listing, or an id. */
export type AvatarRef = { readonly name: string } | { readonly id: string };

export interface VideoFile {
  /** The file's path in the workspace, as messages name it. */
  readonly file: string;
  /** The video's name in Creatify: the file's `name`, else the file's name without extension. */
  readonly name: string;
  /** Undefined when every scene has its own `avatar-id`. */
  readonly avatar: AvatarRef | undefined;
  readonly scenes: readonly FileScene[];
  readonly aspectRatio: AspectRatio;
  readonly modelVersion: ModelVersion;
  /** `background_music`, `cta_end`, as written. */
  readonly extra: PassThrough;
  /** The `script-file`s read, as workspace paths: a change to one changes the video. */
  readonly scriptFiles: readonly string[];
}

/** What a file leaves out comes from the step's inputs. */
export interface VideoDefaults {
  readonly avatarId: string;
  readonly voiceId: string;
  readonly aspectRatio: AspectRatio;
  readonly modelVersion: ModelVersion;
}

/**
 * Parses and checks one video file, reading its script files (through `rules`, the input
 * rules, so a file reads as the inputs do). `file` is the file's workspace path.
 */
export async function parseVideoFile(
  text: string,
  file: string,
  workspace: string,
  defaults: VideoDefaults,
  rules: SceneRules,
): Promise<VideoFile> {
  const yaml = parseYamlFile(text, file);
  const root = yaml.document.contents;
  if (!isMap(root)) return yaml.fail("expected a mapping of a video's keys", offsetOf(root));
  const reader = new MapReader(root, "", yaml, [...VIDEO_KEYS, ...Object.keys(BODY_PASS_THROUGH)]);
  const scriptFiles: string[] = [];
  const located = <T>(key: string, read: (where: string) => T): T =>
    reader.located(key, (where) => read(`${file}: ${where}`));

  const sources = (["script", "script-file", "scenes"] as const).filter((key) => reader.has(key));
  if (sources.length !== 1) {
    const which = sources.length === 0 ? "none was given" : `got ${sources.join(" and ")}`;
    yaml.fail(`give exactly one of "script", "script-file" or "scenes" (${which})`);
  }
  const avatarName = plain(reader.text("avatar"), `${file}: "avatar"`).trim();
  const avatarId = located("avatar-id", (where) =>
    rules.id(reader.text("avatar-id").trim(), where, false),
  );
  if (avatarName && avatarId) reader.fail("avatar-id", 'give "avatar" or "avatar-id", not both');
  const voiceId =
    located("voice-id", (where) => rules.id(reader.text("voice-id").trim(), where, false)) ||
    defaults.voiceId;
  const common = { voiceId: voiceId || undefined, backgroundUrl: undefined, avatarId: undefined };

  let scenes: FileScene[];
  if (sources[0] === "scenes") {
    const list = root.get("scenes", true);
    if (!isSeq(list) || list.items.length === 0) {
      return reader.fail("scenes", "must be a list of at least one scene");
    }
    scenes = [];
    for (const [index, item] of list.items.entries()) {
      if (!isMap(item)) {
        return yaml.fail(`scenes[${index}] is not a mapping of a scene's keys`, offsetOf(item));
      }
      const scene = new MapReader(item, `scenes[${index}] `, yaml, [
        ...SCENE_KEYS,
        ...Object.keys(SCENE_PASS_THROUGH),
      ]);
      scenes.push(await parseScene(scene, file, workspace, rules, scriptFiles, voiceId));
    }
  } else if (sources[0] === "script") {
    const script = located("script", (where) => rules.script(reader.text("script"), where));
    scenes = [{ ...common, script }];
  } else {
    const script = await readScriptFile(reader, "script-file", file, workspace, rules, scriptFiles);
    scenes = [{ ...common, script }];
  }

  const needsAvatar = scenes.some((scene) => scene.avatarId === undefined);
  const avatar: AvatarRef | undefined = avatarName
    ? { name: avatarName }
    : avatarId || defaults.avatarId
      ? { id: avatarId || defaults.avatarId }
      : undefined;
  if (needsAvatar && avatar === undefined) {
    yaml.fail('needs "avatar" (a creator-name) or "avatar-id", or the step\'s avatar-id input');
  }
  const aspect = reader.text("aspect-ratio");
  const model = reader.text("model-version");
  return {
    file,
    name: plain(reader.text("name"), `${file}: "name"`).trim() || path.parse(file).name,
    avatar: needsAvatar ? avatar : undefined,
    scenes,
    aspectRatio: aspect
      ? located("aspect-ratio", (where) =>
          parseChoice(aspect.replace(":", "x"), ASPECT_RATIOS, where),
        )
      : defaults.aspectRatio,
    modelVersion: model
      ? located("model-version", (where) => parseChoice(model, MODEL_VERSIONS, where))
      : defaults.modelVersion,
    extra: reader.passThrough(BODY_PASS_THROUGH),
    scriptFiles,
  };
}

async function parseScene(
  scene: MapReader,
  file: string,
  workspace: string,
  rules: SceneRules,
  scriptFiles: string[],
  voiceId: string,
): Promise<FileScene> {
  const located = <T>(key: string, read: (where: string) => T): T =>
    scene.located(key, (where) => read(`${file}: ${where}`));
  const hasScript = scene.text("script").trim() !== "";
  const hasFile = scene.text("script-file").trim() !== "";
  if (hasScript === hasFile) {
    scene.fail(
      hasScript ? "script-file" : undefined,
      `give exactly one of "script" and "script-file" (${hasScript ? "got both" : "got neither"})`,
    );
  }
  if (scene.has("background-url") && scene.has("background")) {
    scene.fail("background", 'give "background-url" or "background", not both');
  }
  const background = scene.text("background-url").trim();
  const ownVoice = located("voice-id", (where) =>
    rules.id(scene.text("voice-id").trim(), where, false),
  );
  const ownAvatar = located("avatar-id", (where) =>
    rules.id(scene.text("avatar-id").trim(), where, false),
  );
  return {
    avatarId: ownAvatar || undefined,
    voiceId: ownVoice || voiceId || undefined,
    script: hasScript
      ? located("script", (where) => rules.script(scene.text("script"), where))
      : await readScriptFile(scene, "script-file", file, workspace, rules, scriptFiles),
    backgroundUrl: background
      ? located("background-url", (where) => rules.url(background, where))
      : undefined,
    extra: scene.passThrough(SCENE_PASS_THROUGH),
  };
}

async function readScriptFile(
  reader: MapReader,
  key: string,
  file: string,
  workspace: string,
  rules: SceneRules,
  scriptFiles: string[],
): Promise<string> {
  const given = plain(reader.text(key), `${file}: ${reader.name(key)}`).trim();
  return reader.locatedAsync(key, async (where) => {
    const at = `${file}: ${where}`;
    const script = await rules.scriptFile(given, at);
    scriptFiles.push(workspacePath(given, workspace, at).relativePath);
    return script;
  });
}

/** The keys of one mapping of the file, read with the line of each for its errors. */
class MapReader {
  readonly #map: YAMLMap;
  readonly #prefix: string;
  readonly #yaml: YamlFile;
  readonly #pairs = new Map<string, Pair>();

  constructor(map: YAMLMap, prefix: string, yaml: YamlFile, known: readonly string[]) {
    this.#map = map;
    this.#prefix = prefix;
    this.#yaml = yaml;
    for (const pair of map.items) {
      const key = textOf(pair.key, yaml.document) ?? "";
      if (!known.includes(key)) {
        yaml.fail(
          `${prefix}has an unknown key "${key}" (known: ${known.join(", ")})`,
          offsetOf(pair.key),
        );
      }
      this.#pairs.set(key, pair);
    }
  }

  /** `scenes[0] "script"`: the key as a message names it. */
  name(key: string): string {
    return `${this.#prefix}"${key}"`;
  }

  has(key: string): boolean {
    const value = this.#pairs.get(key)?.value;
    return value !== undefined && textOf(value, this.#yaml.document) !== null;
  }

  fail(key: string | undefined, message: string): never {
    const at = key === undefined ? this.#map : this.#pairs.get(key)?.key;
    const where = key === undefined ? this.#prefix.trim() : this.name(key);
    return this.#yaml.fail(`${where ? `${where}: ` : ""}${message}`, offsetOf(at));
  }

  /** A value as text ("" when absent or empty); anything but a scalar is an error. */
  text(key: string): string {
    const value = this.#pairs.get(key)?.value;
    const text = textOf(value, this.#yaml.document);
    if (text === undefined) this.fail(key, "must be text");
    return text ?? "";
  }

  /** Runs a rule that throws an InputError naming `where`; the error is located at the key. */
  located<T>(key: string, read: (where: string) => T): T {
    try {
      return read(this.name(key));
    } catch (error) {
      throw this.#locate(key, error);
    }
  }

  async locatedAsync<T>(key: string, read: (where: string) => Promise<T>): Promise<T> {
    try {
      return await read(this.name(key));
    } catch (error) {
      throw this.#locate(key, error);
    }
  }

  #locate(key: string, error: unknown): unknown {
    if (!(error instanceof InputError)) return error;
    const line = this.#yaml.lineOf(offsetOf(this.#pairs.get(key)?.key));
    return new InputError(error.message, { file: this.#yaml.file, line });
  }

  /** Creatify's own fields, as written: each of its shape, plain JSON throughout. */
  passThrough(shapes: Readonly<Record<string, Shape>>): PassThrough {
    const out: Record<string, unknown> = {};
    for (const [key, shape] of Object.entries(shapes)) {
      const pair = this.#pairs.get(key);
      if (pair?.value === undefined || pair.value === null) continue;
      const node = pair.value as Node;
      const value: unknown = node.toJS(this.#yaml.document);
      if (value === null) continue;
      const fits =
        shape === "text"
          ? typeof value === "string"
          : typeof value === "object" && value !== null && !Array.isArray(value);
      if (!fits) this.fail(key, `must be ${shape === "text" ? "text" : "a mapping"}`);
      const problem = notJson(value);
      if (problem) this.fail(key, problem);
      out[key] = value;
    }
    return out;
  }
}

/**
 * Why a value cannot go to Creatify as JSON as written, or undefined when it can: a number
 * JSON has not (`.inf`, `.nan`), a YAML type JSON has not, or a control character, which a
 * log line or a URL must not carry.
 */
function notJson(value: unknown): string | undefined {
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "number")
    return Number.isFinite(value) ? undefined : `has the number ${value}`;
  if (typeof value === "string") {
    return CONTROL.test(value) ? "contains a line break or another control character" : undefined;
  }
  if (Array.isArray(value)) return value.map(notJson).find((problem) => problem !== undefined);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const problem = CONTROL.test(key) ? "has a key with a control character" : notJson(item);
      if (problem) return problem;
    }
    return undefined;
  }
  return "has a value that is not JSON";
}

/**
 * The request of a video file once its avatar is known (`avatarId`, the one its `avatar` names
 * or its id): each scene without its own avatar takes it.
 */
export function videoSpecOf(
  video: VideoFile,
  avatarId: string,
  step: Pick<VideoSpec, "webhookUrl" | "ifExists">,
): VideoSpec {
  return {
    scenes: video.scenes.map((scene) => ({ ...scene, avatarId: scene.avatarId ?? avatarId })),
    aspectRatio: video.aspectRatio,
    modelVersion: video.modelVersion,
    name: video.name,
    extra: video.extra,
    ...step,
  };
}
