import path from "node:path";
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
  list,
  parseBoolean,
  parseChoice,
  parseCount,
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
import type { Mode } from "./videos/decide.js";
import type { VideoFile } from "./videos/file.js";

/** What the step's inputs say of the API, the wait and the dry run, whatever it makes. */
interface StepSettings {
  /** Empty only in a dry run given no credentials: then no request is sent at all. */
  readonly apiId: string;
  readonly apiKey: string;
  /** API root without a trailing slash. */
  readonly baseUrl: string;
  readonly wait: WaitSettings;
  readonly dryRun: boolean;
}

/** One video, from `script`, `script-file` or `scenes`. */
export interface OneVideoInputs extends StepSettings {
  readonly kind: "one";
  readonly video: VideoSpec;
  /** Where the finished MP4 goes, checked to be a file path inside the workspace. */
  readonly download: WorkspaceFile | undefined;
}

/** Video files (`videos`), every one parsed and checked. */
export interface VideosInputs extends StepSettings {
  readonly kind: "videos";
  readonly videos: readonly VideoFile[];
  readonly mode: Mode;
  readonly webhookUrl: string | undefined;
  /** Each video's MP4 target (`<download-dir>/<file's name>.mp4`), by its file. */
  readonly downloads: ReadonlyMap<string, WorkspaceFile>;
  readonly changedOnly: boolean;
  readonly githubToken: string;
  /** Video names to make (`only`); empty for every one. */
  readonly only: readonly string[];
  readonly maxParallel: number;
}

export type GenerateInputs = OneVideoInputs | VideosInputs;

/** Reads one raw input; returns "" when it is absent. */
export type ReadInput = (name: GenerateInputName) => string;

const IF_EXISTS: readonly IfExists[] = ["reuse", "create"];
const MODES: readonly Mode[] = ["render", "preview"];
/** A script is text a person speaks; a file much larger is the wrong file. */
const MAX_SCRIPT_FILE_BYTES = 1024 * 1024;
/** Control characters but the line breaks a script may have. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/**
 * Parses and checks every input, reading the script or scenes file, before any request
 * (bad input never reaches the network); throws an InputError naming the first one at fault. `env` tells the
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

  const step = { apiId, apiKey, baseUrl, wait, dryRun };
  const sources = [
    GenerateInput.Script,
    GenerateInput.ScriptFile,
    GenerateInput.Scenes,
    GenerateInput.Videos,
  ].filter((input) => get(input) !== "");
  // A path or URL with a control character is a slip: a URL parser would even drop some.
  for (const input of [GenerateInput.ScriptFile, GenerateInput.Scenes])
    plain(get(input), describe(input));
  if (sources.length !== 1) {
    const which = sources.length === 0 ? "none was given" : `got ${sources.join(" and ")}`;
    throw new InputError(
      `Give exactly one of inputs "script", "script-file", "scenes" or "videos" (${which}).`,
    );
  }
  const avatarId = parseId(
    get(GenerateInput.AvatarId),
    describe(GenerateInput.AvatarId),
    sources[0] !== GenerateInput.Videos,
  );
  // Given away from its default: `mode: render` says nothing a script does not.
  const batchOnly = [GenerateInput.Mode, GenerateInput.DownloadDir, GenerateInput.Only].filter(
    (input) => get(input) !== (GenerateInputDefault[input] ?? ""),
  );
  if (sources[0] !== GenerateInput.Videos) {
    if (batchOnly[0]) {
      throw new InputError(`${describe(batchOnly[0])}: goes with "videos", not "${sources[0]}".`);
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
      ...step,
      kind: "one",
      video: { scenes, aspectRatio, modelVersion, name, webhookUrl, ifExists },
      download,
    };
  }

  if (download) {
    throw new InputError(
      `${describe(GenerateInput.Download)}: with "videos", give "download-dir".`,
    );
  }
  const { findVideoFiles } = await import("./videos/glob.js");
  const { parseVideoFile } = await import("./videos/file.js");
  const files = await findVideoFiles(
    get(GenerateInput.Videos),
    workspace,
    describe(GenerateInput.Videos),
  );
  const defaults = { avatarId, voiceId, aspectRatio, modelVersion };
  const videos: VideoFile[] = [];
  for (const file of files) {
    const text = await readText(file, workspace, describe(GenerateInput.Videos));
    videos.push(
      await parseVideoFile(text, file.relativePath, workspace, defaults, sceneRules(workspace)),
    );
  }
  const only = list(get(GenerateInput.Only));
  const unknown = only.filter((wanted) => !videos.some((video) => video.name === wanted));
  if (unknown.length > 0) {
    throw new InputError(
      `${describe(GenerateInput.Only)}: ${unknown.map((n) => `"${n}"`).join(", ")} names no video file.`,
    );
  }
  return {
    ...step,
    kind: "videos",
    videos,
    mode: parseChoice(get(GenerateInput.Mode), MODES, describe(GenerateInput.Mode)),
    webhookUrl,
    downloads: await downloadTargets(videos, get(GenerateInput.DownloadDir), workspace),
    changedOnly: parseBoolean(get(GenerateInput.ChangedOnly), describe(GenerateInput.ChangedOnly)),
    githubToken: get(GenerateInput.GithubToken),
    only,
    maxParallel: parseCount(get(GenerateInput.MaxParallel), describe(GenerateInput.MaxParallel)),
  };
}

/**
 * `<download-dir>/<file's name>.mp4` for each video file, checked like `download`; two files
 * of one name would overwrite each other, so that is an error.
 */
async function downloadTargets(
  videos: readonly VideoFile[],
  dirText: string,
  workspace: string,
): Promise<Map<string, WorkspaceFile>> {
  const targets = new Map<string, WorkspaceFile>();
  const at = `Input "${GenerateInput.DownloadDir}"`;
  const dir = plain(dirText, at).replace(/[\\/]+$/, "");
  if (dir === "") return targets;
  const seen = new Map<string, string>();
  for (const video of videos) {
    const base = path.parse(video.file).name;
    const other = seen.get(base);
    if (other) {
      throw new InputError(`${at}: "${other}" and "${video.file}" would both be ${base}.mp4.`);
    }
    seen.set(base, video.file);
    targets.set(video.file, await writableInWorkspace(`${dir}/${base}.mp4`, workspace, at));
  }
  return targets;
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
