import { Input, InputDefault, type InputName } from "../constants.js";
import { InputError } from "../errors.js";
import { type WorkspaceFile, workspacePath } from "../files/workspace.js";
import {
  credentials,
  fitWaitToRunner,
  ID_LIKE,
  limited,
  list,
  parseBoolean,
  parseCount,
  parseHttpUrl,
  parseWait,
  plain,
  type RunnerEnv,
  required,
  type WaitSettings,
} from "../input-rules.js";
import { MAX_USER_KEYWORDS } from "./fingerprint.js";

export type { WaitSettings } from "../input-rules.js";

export type Gender = "m" | "f" | "nb";
export type IfExists = "reuse" | "create" | "fail";

/** Where a video comes from: a file in the workspace (uploaded) or a URL (passed by reference). */
export type VideoSource = ({ kind: "file" } & WorkspaceFile) | { kind: "url"; url: string };

/** One avatar to submit, fully parsed: what a single step or one manifest entry asks for. */
export interface AvatarSpec {
  readonly video: VideoSource;
  readonly consentVideo: VideoSource | undefined;
  readonly creatorName: string;
  readonly gender: Gender;
  readonly videoScene: string;
  readonly keywords: string | undefined;
  readonly labels: readonly string[];
  readonly webhookUrl: string | undefined;
  readonly ifExists: IfExists;
}

export interface BatchSettings {
  /** Absolute path of the manifest, inside the workspace. */
  readonly manifest: string;
  readonly changedOnly: boolean;
  readonly maxParallel: number;
  readonly githubToken: string;
  /** Creator names to process (`only`); empty for every entry. */
  readonly only: readonly string[];
}

export type Target =
  | { readonly mode: "single"; readonly avatar: AvatarSpec }
  | { readonly mode: "existing"; readonly avatarId: string }
  | { readonly mode: "batch"; readonly batch: BatchSettings };

export interface ActionInputs {
  /** Empty only in a dry run given no credentials: then no request is sent at all. */
  readonly apiId: string;
  readonly apiKey: string;
  /** API root without a trailing slash. */
  readonly baseUrl: string;
  readonly wait: WaitSettings;
  readonly dryRun: boolean;
  /** Delete the older takes of an avatar once it is approved. */
  readonly deleteReplaced: boolean;
  readonly target: Target;
}

/** Reads one raw input; returns "" when it is absent. */
export type ReadInput = (name: InputName) => string;

/** The keys an avatar takes, as inputs and as manifest entry keys alike. */
export const AVATAR_KEYS = [
  Input.Video,
  Input.ConsentVideo,
  Input.CreatorName,
  Input.Gender,
  Input.VideoScene,
  Input.Keywords,
  Input.Labels,
  Input.WebhookUrl,
  Input.IfExists,
] as const;
export type AvatarKey = (typeof AVATAR_KEYS)[number];

/**
 * Reads avatar fields from one source (step inputs or a manifest entry) and names
 * the field at fault in the error: `input "gender"` or `manifest entry 2 (James): "gender"`.
 */
export interface AvatarFieldSource {
  read(key: AvatarKey): string;
  describe(key: AvatarKey): string;
}

const GENDERS: Record<string, Gender> = {
  m: "m",
  male: "m",
  f: "f",
  female: "f",
  nb: "nb",
  "non-binary": "nb",
  nonbinary: "nb",
};
const IF_EXISTS: readonly IfExists[] = ["reuse", "create", "fail"];
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses and validates every input; throws InputError naming the first one at fault. `env`
 * tells the runner, whose limits the wait is fitted to.
 */
export function parseInputs(read: ReadInput, workspace: string, env: RunnerEnv): ActionInputs {
  const get = (name: InputName): string => read(name).trim() || InputDefault[name] || "";
  const describe = (name: string) => `Input "${name}"`;

  const dryRun = parseBoolean(get(Input.DryRun), describe(Input.DryRun));
  const [apiId, apiKey] = credentials(get(Input.ApiId), get(Input.ApiKey), dryRun);
  const baseUrl = parseHttpUrl(get(Input.BaseUrl), describe(Input.BaseUrl)).replace(/\/+$/, "");
  const wait = fitWaitToRunner(parseWait(get, describe), env);

  const given = [Input.Video, Input.AvatarId, Input.Manifest].filter((name) => get(name) !== "");
  if (given.length !== 1) {
    const which = given.length === 0 ? "none was given" : `got ${given.join(" and ")}`;
    throw new InputError(
      `Give exactly one of inputs "video", "avatar-id" or "manifest" (${which}).`,
    );
  }
  const only = list(get(Input.Only));
  if (only.length > 0 && given[0] !== Input.Manifest) {
    throw new InputError(`${describe(Input.Only)}: goes with "manifest", not "${given[0]}".`);
  }

  let target: Target;
  if (given[0] === Input.AvatarId) {
    const avatarId = get(Input.AvatarId);
    if (!ID_LIKE.test(avatarId)) {
      throw new InputError(`${describe(Input.AvatarId)}: "${avatarId}" is not an avatar id.`);
    }
    if (dryRun) {
      throw new InputError(
        `${describe(Input.DryRun)}: a dry run plans submissions; it does not go with "avatar-id".`,
      );
    }
    target = { mode: "existing", avatarId };
  } else if (given[0] === Input.Manifest) {
    target = {
      mode: "batch",
      batch: {
        manifest: workspacePath(get(Input.Manifest), workspace, describe(Input.Manifest)).path,
        changedOnly: parseBoolean(get(Input.ChangedOnly), describe(Input.ChangedOnly)),
        maxParallel: parseCount(get(Input.MaxParallel), describe(Input.MaxParallel)),
        githubToken: get(Input.GithubToken),
        only,
      },
    };
  } else {
    const source: AvatarFieldSource = { read: get, describe };
    target = { mode: "single", avatar: parseAvatar(source, workspace, "reuse") };
  }
  const deleteReplaced = parseBoolean(get(Input.DeleteReplaced), describe(Input.DeleteReplaced));
  return { apiId, apiKey, baseUrl, wait, dryRun, deleteReplaced, target };
}

/** Parses one avatar's fields; shared by the step inputs and every manifest entry. */
export function parseAvatar(
  source: AvatarFieldSource,
  workspace: string,
  defaultIfExists: IfExists,
): AvatarSpec {
  const field = (key: AvatarKey) => source.read(key).trim();
  const at = (key: AvatarKey) => source.describe(key);

  const video = parseVideoSource(
    required(field(Input.Video), at(Input.Video)),
    workspace,
    at(Input.Video),
  );
  const consentText = field(Input.ConsentVideo);
  const consentVideo = consentText
    ? parseVideoSource(consentText, workspace, at(Input.ConsentVideo))
    : undefined;
  if (consentVideo && consentVideo.kind !== video.kind) {
    throw new InputError(
      `${at(Input.ConsentVideo)}: must be a ${video.kind === "file" ? "path" : "URL"} like "video" (files and URLs go to different endpoints).`,
    );
  }

  const genderText = required(field(Input.Gender), at(Input.Gender));
  const gender = GENDERS[genderText.toLowerCase()];
  if (!gender) {
    throw new InputError(
      `${at(Input.Gender)}: "${genderText}" is not one of m, f, nb (male, female, non-binary).`,
    );
  }

  const ifExistsText = field(Input.IfExists) || defaultIfExists;
  const ifExists = IF_EXISTS.find((value) => value === ifExistsText.toLowerCase());
  if (!ifExists) {
    throw new InputError(
      `${at(Input.IfExists)}: "${ifExistsText}" is not one of reuse, create, fail.`,
    );
  }

  const webhookText = field(Input.WebhookUrl);
  const text = (key: AvatarKey, value: string) => limited(plain(value, at(key)), 255, at(key));
  return {
    video,
    consentVideo,
    creatorName: text(Input.CreatorName, required(field(Input.CreatorName), at(Input.CreatorName))),
    gender,
    videoScene: text(Input.VideoScene, required(field(Input.VideoScene), at(Input.VideoScene))),
    keywords: userKeywords(plain(field(Input.Keywords), at(Input.Keywords)), at(Input.Keywords)),
    labels: list(field(Input.Labels)).map((label) => plain(label, at(Input.Labels))),
    webhookUrl: webhookText
      ? limited(parseHttpUrl(webhookText, at(Input.WebhookUrl)), 200, at(Input.WebhookUrl))
      : undefined,
    ifExists,
  };
}

function parseVideoSource(text: string, workspace: string, name: string): VideoSource {
  if (URL_LIKE.test(text)) return { kind: "url", url: parseHttpUrl(text, name) };
  return { kind: "file", ...workspacePath(text, workspace, name) };
}

/** The user's keywords: the fingerprint goes after them, within Creatify's 255 characters. */
function userKeywords(text: string, name: string): string | undefined {
  const length = [...text].length;
  if (length > MAX_USER_KEYWORDS) {
    throw new InputError(
      `${name}: ${length} characters, at most ${MAX_USER_KEYWORDS} allowed: Creatify keeps 255, and the action appends the video's fingerprint (", video-sha256:" and 16 hex digits) to them so that re-runs recognise the avatar.`,
    );
  }
  return text || undefined;
}
