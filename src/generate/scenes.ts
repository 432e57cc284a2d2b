import { parse } from "yaml";
import { InputError } from "../errors.js";
import { plain } from "../input-rules.js";
import type { Scene } from "./request.js";

/** The keys a scene takes, as the inputs name them. */
const SCENE_KEYS = ["script", "script-file", "voice-id", "avatar-id", "background-url"] as const;
type SceneKey = (typeof SCENE_KEYS)[number];

/** The input rules a scene's fields follow, passed in so that a scene reads as the inputs do. */
export interface SceneRules {
  scriptFile(path: string, name: string): Promise<string>;
  script(text: string, name: string): string;
  id(text: string, name: string, required: boolean): string;
  url(text: string, name: string): string;
}

/**
 * A YAML (or JSON) `scenes:` list, one `video_inputs` element per scene in order. A scene
 * without its own `avatar-id` or `voice-id` takes the step's.
 */
export async function parseScenes(
  text: string,
  file: string,
  defaults: { readonly avatarId: string; readonly voiceId: string },
  rules: SceneRules,
): Promise<Scene[]> {
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: false });
  } catch (error) {
    throw new InputError(`${file}: not YAML or JSON (${(error as Error).message.split("\n")[0]}).`);
  }
  const list = (document as { scenes?: unknown } | null)?.scenes;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputError(`${file}: needs "scenes:", a list of at least one scene.`);
  }
  const scenes: Scene[] = [];
  for (const [index, entry] of list.entries()) {
    const where = `${file}: scenes[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new InputError(`${where} is not a mapping of ${SCENE_KEYS.join(", ")}.`);
    }
    const fields = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).find((key) => !SCENE_KEYS.includes(key as SceneKey));
    if (unknown !== undefined) {
      throw new InputError(`${where}: unknown key "${unknown}" (use ${SCENE_KEYS.join(", ")}).`);
    }
    const field = (key: SceneKey): string => {
      const value = fields[key];
      if (value === undefined || value === null) return "";
      if (typeof value !== "string" && typeof value !== "number") {
        throw new InputError(`${where} "${key}": must be text.`);
      }
      // Only a script may have line breaks; in an id, a path or a URL a control character is a slip.
      return key === "script" ? String(value) : plain(String(value), `${where} "${key}"`);
    };
    const at = (key: SceneKey) => `${where} "${key}"`;
    const hasScript = field("script").trim() !== "";
    const hasFile = field("script-file").trim() !== "";
    if (hasScript === hasFile) {
      throw new InputError(
        `${where}: give exactly one of "script" and "script-file" (${hasScript ? "got both" : "got neither"}).`,
      );
    }
    const background = field("background-url").trim();
    scenes.push({
      avatarId: rules.id(field("avatar-id").trim(), at("avatar-id"), false) || defaults.avatarId,
      voiceId:
        rules.id(field("voice-id").trim(), at("voice-id"), false) || defaults.voiceId || undefined,
      script: hasScript
        ? rules.script(field("script"), at("script"))
        : await rules.scriptFile(field("script-file").trim(), at("script-file")),
      backgroundUrl: background ? rules.url(background, at("background-url")) : undefined,
    });
  }
  return scenes;
}
