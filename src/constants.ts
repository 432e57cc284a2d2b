/** Input names exactly as action.yml declares them; code and tests share these. */
export const Input = {
  ApiId: "api-id",
  ApiKey: "api-key",
  Video: "video",
  ConsentVideo: "consent-video",
  CreatorName: "creator-name",
  Gender: "gender",
  VideoScene: "video-scene",
  Keywords: "keywords",
  Labels: "labels",
  WebhookUrl: "webhook-url",
  AvatarId: "avatar-id",
  IfExists: "if-exists",
  Wait: "wait",
  WaitTimeout: "wait-timeout",
  PollInterval: "poll-interval",
  MaxPollInterval: "max-poll-interval",
  FailOnTimeout: "fail-on-timeout",
  BaseUrl: "base-url",
  Manifest: "manifest",
  ChangedOnly: "changed-only",
  MaxParallel: "max-parallel",
  GithubToken: "github-token",
  Only: "only",
  DryRun: "dry-run",
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
  [Input.WaitTimeout]: "6h",
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
