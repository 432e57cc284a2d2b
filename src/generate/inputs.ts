import { GenerateInput, GenerateInputDefault, type GenerateInputName } from "../constants.js";
import { InputError } from "../errors.js";
import {
  openInWorkspace,
  type WorkspaceFile,
  workspacePath,
  writableInWorkspace,
} from "../files/workspace.js";
import {
  credentials,
  fitWaitToRunner,
  ID_LIKE,
  parseBoolean,
  parseChoice,
  parseHttpUrl,
  parseWait,
  plain,
  type RunnerEnv,
  type WaitSettings,
} from "../input-rules.js";
import {
  ASPECT_RATIOS,
  type IfExists,
  MODEL_VERSIONS,
  type Scene,
  type VideoSpec,
} from "./request.js";
import type { SceneRules } from "./scenes.js";

export interface GenerateInputs {
  /** Empty only in a dry run given no credentials: then no request is sent at all. */
  readonly apiId: string;
  readonly apiKey: string;
  /** API root without a trailing slash. */
  readonly baseUrl: string;
  readonly video: VideoSpec;
  readonly wait: WaitSettings;
  /** Where the finished MP4 goes, checked to be a file path inside the workspace. */
  readonly download: WorkspaceFile | undefined;
  readonly dryRun: boolean;
}

/** Reads one raw input; returns "" when it is absent. */
export type ReadInput = (name: GenerateInputName) => string;

const IF_EXISTS: readonly IfExists[] = ["reuse", "create"];
/** A script is text a person speaks; a file much larger is the wrong file. */
const MAX_SCRIPT_FILE_BYTES = 1024 * 1024;
/** Control characters but the line breaks a script may have. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/**
 * Parses and checks every input, reading the script or scenes file, before any request
 * (SPEC §12 step 1); throws an InputError naming the first one at fault. `env` tells the
 * runner, whose limits the wait is fitted to.
 */
export async function parseGenerateInputs(
  read: ReadInput,
  workspace: string,
  env: RunnerEnv,
): Promise<GenerateInputs> {
  const get = (name: GenerateInputName): string =>
    read(name).trim() || GenerateInputDefault[name] || "";
  const describe = (name: string) => `Input "${name}"`;

  const dryRun = parseBoolean(get(GenerateInput.DryRun), describe(GenerateInput.DryRun));
  const [apiId, apiKey] = credentials(get(GenerateInput.ApiId), get(GenerateInput.ApiKey), dryRun);
  const baseUrl = parseHttpUrl(get(GenerateInput.BaseUrl), describe(GenerateInput.BaseUrl)).replace(
    /\/+$/,
    "",
  );
  const wait = fitWaitToRunner(parseWait(get, describe), env);
  const avatarId = parseId(get(GenerateInput.AvatarId), describe(GenerateInput.AvatarId), true);
  const voiceId = parseId(get(GenerateInput.VoiceId), describe(GenerateInput.VoiceId), false);
  const aspectRatio = parseChoice(
    get(GenerateInput.AspectRatio).replace(":", "x"),
    ASPECT_RATIOS,
    describe(GenerateInput.AspectRatio),
  );
  const modelVersion = parseChoice(
    get(GenerateInput.ModelVersion),
    MODEL_VERSIONS,
    describe(GenerateInput.ModelVersion),
  );
  const ifExists = parseChoice(
    get(GenerateInput.IfExists),
    IF_EXISTS,
    describe(GenerateInput.IfExists),
  );
  const name = plain(get(GenerateInput.Name), describe(GenerateInput.Name));
  const webhookText = plain(get(GenerateInput.WebhookUrl), describe(GenerateInput.WebhookUrl));
  const webhookUrl = webhookText
    ? parseHttpUrl(webhookText, describe(GenerateInput.WebhookUrl))
    : undefined;
  const downloadText = plain(get(GenerateInput.Download), describe(GenerateInput.Download));
  const download = downloadText
    ? await writableInWorkspace(downloadText, workspace, describe(GenerateInput.Download))
    : undefined;

  const sources = [GenerateInput.Script, GenerateInput.ScriptFile, GenerateInput.Scenes].filter(
    (input) => get(input) !== "",
  );
  // A path or URL with a control character is a slip: a URL parser would even drop some.
  for (const input of [GenerateInput.ScriptFile, GenerateInput.Scenes])
    plain(get(input), describe(input));
  if (sources.length !== 1) {
    const which = sources.length === 0 ? "none was given" : `got ${sources.join(" and ")}`;
    throw new InputError(
      `Give exactly one of inputs "script", "script-file" or "scenes" (${which}).`,
    );
  }
  const defaults = { avatarId, voiceId };
  let scenes: Scene[];
  if (sources[0] === GenerateInput.Script) {
    const script = scriptText(read(GenerateInput.Script), describe(GenerateInput.Script));
    scenes = [{ ...defaults, script, backgroundUrl: undefined }];
  } else if (sources[0] === GenerateInput.ScriptFile) {
    const at = describe(GenerateInput.ScriptFile);
    const script = await readScriptFile(get(GenerateInput.ScriptFile), workspace, at);
    scenes = [{ ...defaults, script, backgroundUrl: undefined }];
  } else {
    const at = describe(GenerateInput.Scenes);
    const file = workspacePath(get(GenerateInput.Scenes), workspace, at);
    const text = await readText(file, workspace, at);
    // Loaded only here: the YAML parser is weight a script needs not carry at start-up.
    const { parseScenes } = await import("./scenes.js");
    scenes = await parseScenes(text, file.relativePath, defaults, sceneRules(workspace));
  }
  return {
    apiId,
    apiKey,
    baseUrl,
    video: { scenes, aspectRatio, modelVersion, name, webhookUrl, ifExists },
    wait,
    download,
    dryRun,
  };
}

/** The input rules a scene's fields follow, in a scenes file and a video file alike. */
export function sceneRules(workspace: string): SceneRules {
  return {
    scriptFile: (path, where) => readScriptFile(path, workspace, where),
    id: parseId,
    url: parseHttpUrl,
    script: scriptText,
  };
}

function parseId(text: string, name: string, isRequired: boolean): string {
  if (text === "") {
    if (isRequired) throw new InputError(`${name} is required.`);
    return "";
  }
  if (!ID_LIKE.test(text)) throw new InputError(`${name}: "${text}" does not look like an id.`);
  return text;
}

/**
 * What the avatar says: line breaks made LF (a checkout on Windows is the same script),
 * blank ends trimmed; empty, or with another control character, is an error.
 */
export function scriptText(raw: string, name: string): string {
  const script = raw.replace(/\r\n?/g, "\n").trim();
  if (script === "") throw new InputError(`${name}: the script is empty.`);
  if (CONTROL_BUT_LINE_BREAKS.test(script)) {
    throw new InputError(`${name}: contains a control character other than a line break.`);
  }
  return script;
}

async function readScriptFile(text: string, workspace: string, name: string): Promise<string> {
  const file = workspacePath(text, workspace, name);
  return scriptText(await readText(file, workspace, name), `${name} ("${file.relativePath}")`);
}

/** A small UTF-8 text file of the workspace, whole (a BOM dropped). */
async function readText(file: WorkspaceFile, workspace: string, name: string): Promise<string> {
  const { handle, size } = await openInWorkspace(file, workspace, name);
  try {
    if (size > MAX_SCRIPT_FILE_BYTES) {
      throw new InputError(`${name}: "${file.relativePath}" is larger than 1 MiB.`);
    }
    const bytes = await handle.readFile();
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`${name}: "${file.relativePath}" is not UTF-8 text.`);
    }
  } finally {
    await handle.close();
  }
}
