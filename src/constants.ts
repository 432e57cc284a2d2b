/**
 * The inputs both actions take under the same name and meaning: credentials, the
 * API root, the avatar, the webhook, `if-exists` and the wait.
 */
const SharedInput = {
  ApiId: "api-id",
  ApiKey: "api-key",
  BaseUrl: "base-url",
  AvatarId: "avatar-id",
  WebhookUrl: "webhook-url",
  IfExists: "if-exists",
  Wait: "wait",
  WaitTimeout: "wait-timeout",
  PollInterval: "poll-interval",
  MaxPollInterval: "max-poll-interval",
  FailOnTimeout: "fail-on-timeout",
  DryRun: "dry-run",
} as const;

/** Input names exactly as action.yml declares them; code and tests share these. */
export const Input = {
  ...SharedInput,
  Video: "video",
  ConsentVideo: "consent-video",
  CreatorName: "creator-name",
  Gender: "gender",
  VideoScene: "video-scene",
  Keywords: "keywords",
  Labels: "labels",
  Manifest: "manifest",
  ChangedOnly: "changed-only",
  MaxParallel: "max-parallel",
  GithubToken: "github-token",
  Only: "only",
  DeleteReplaced: "delete-replaced",
} as const;

export type InputName = (typeof Input)[keyof typeof Input];

/**
 * action.yml's defaults, applied again here because a runner only fills them in
 * for the `uses:` step; a direct `node dist/index.js` (tests, the demo) does not.
 */
export const InputDefault: Partial<Record<InputName, string>> = {
  [Input.IfExists]: "reuse",
  [Input.Wait]: "false",
  [Input.WaitTimeout]: "5h",
  [Input.PollInterval]: "30s",
  [Input.MaxPollInterval]: "5m",
  [Input.FailOnTimeout]: "true",
  [Input.BaseUrl]: "https://api.creatify.ai",
  [Input.ChangedOnly]: "false",
  [Input.MaxParallel]: "3",
  [Input.DryRun]: "false",
  [Input.DeleteReplaced]: "false",
};

export const Output = {
  AvatarId: "avatar-id",
  Status: "status",
  IsActive: "is-active",
  FailedReason: "failed-reason",
  Reused: "reused",
  Avatar: "avatar",
  Avatars: "avatars",
  Replaces: "replaces",
  Plan: "plan",
  Deleted: "deleted",
} as const;

/** The generate action's inputs, exactly as generate/action.yml declares them. */
export const GenerateInput = {
  ...SharedInput,
  Script: "script",
  ScriptFile: "script-file",
  Scenes: "scenes",
  VoiceId: "voice-id",
  AspectRatio: "aspect-ratio",
  ModelVersion: "model-version",
  Name: "name",
  Download: "download",
  Videos: "videos",
  Mode: "mode",
  DownloadDir: "download-dir",
  ChangedOnly: "changed-only",
  Only: "only",
  MaxParallel: "max-parallel",
  GithubToken: "github-token",
} as const;

export type GenerateInputName = (typeof GenerateInput)[keyof typeof GenerateInput];

/** generate/action.yml's defaults, applied again for a direct `node dist/generate/index.js`. */
export const GenerateInputDefault: Partial<Record<GenerateInputName, string>> = {
  [GenerateInput.BaseUrl]: "https://api.creatify.ai",
  [GenerateInput.AspectRatio]: "9x16",
  [GenerateInput.ModelVersion]: "standard",
  [GenerateInput.IfExists]: "reuse",
  [GenerateInput.Wait]: "true",
  [GenerateInput.WaitTimeout]: "30m",
  [GenerateInput.PollInterval]: "10s",
  [GenerateInput.MaxPollInterval]: "1m",
  [GenerateInput.FailOnTimeout]: "true",
  [GenerateInput.DryRun]: "false",
  [GenerateInput.Mode]: "render",
  [GenerateInput.ChangedOnly]: "false",
  [GenerateInput.MaxParallel]: "3",
};

export const GenerateOutput = {
  VideoId: "video-id",
  Status: "status",
  VideoUrl: "video-url",
  ThumbnailUrl: "thumbnail-url",
  Duration: "duration",
  CreditsUsed: "credits-used",
  Reused: "reused",
  File: "file",
  Video: "video",
  RemainingCredits: "remaining-credits",
  Videos: "videos",
  Plan: "plan",
  PreviewUrl: "preview-url",
} as const;
