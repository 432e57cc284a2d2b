// What the generate action's end-to-end tests share: the bundle run against the sandbox with
// an approved avatar, fast polls, and the fingerprint computed here from the request by hand.
import { createHash } from "node:crypto";
import type { TestContext } from "vitest";
import type { Sandbox, SandboxOptions } from "../sandbox/server.ts";
import {
  GENERATE_BUNDLE,
  type RunOptions,
  type RunResult,
  runAction,
  setup,
  type Workspace,
} from "./harness.ts";

export interface GenerateSetup {
  sandbox: Sandbox;
  workspace: Workspace;
  avatarId: string;
  /** Runs the generate bundle; `extra` adds run options (env, measureRss, signal). */
  generate(inputs: Record<string, string>, extra?: Partial<RunOptions>): Promise<RunResult>;
}

export async function setupGenerate(
  context: TestContext,
  options?: SandboxOptions,
): Promise<GenerateSetup> {
  const { sandbox, workspace } = await setup(context, options);
  const avatarId = sandbox.seed({ creator_name: "James" }).id;
  const generate = (inputs: Record<string, string>, extra: Partial<RunOptions> = {}) =>
    runAction({
      ...extra,
      bundle: GENERATE_BUNDLE,
      sandbox,
      workspace,
      inputs: {
        "avatar-id": avatarId,
        "poll-interval": "20ms",
        "max-poll-interval": "50ms",
        ...inputs,
      },
    });
  return { sandbox, workspace, avatarId, generate };
}

/** The `lipsync-sha256:` fingerprint of a one-scene request, its canonical JSON written out by hand. */
export function fingerprintOf(
  avatarId: string,
  script: string,
  { aspect = "9x16", model = "standard", voiceId = "" } = {},
): string {
  const voice = voiceId ? `,"voice_id":${JSON.stringify(voiceId)}` : "";
  const canonical =
    `{"aspect_ratio":"${aspect}","model_version":"${model}","video_inputs":[{"character":` +
    `{"avatar_id":"${avatarId}","type":"avatar"},"voice":{"input_text":${JSON.stringify(script)},"type":"text"${voice}}}]}`;
  return `lipsync-sha256:${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;
}

export const creates = (sandbox: Sandbox) =>
  sandbox.requests.filter((r) => r.method === "POST" && r.path === "/api/lipsyncs_v2/");
