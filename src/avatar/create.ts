import type { AvatarFields, DigestFields } from "../creatify/avatars.js";
import type { Mine } from "../creatify/create.js";
import { CreatifyError } from "../creatify/errors.js";
import type { Persona } from "../creatify/persona.js";
import type { AvatarContext, Planned } from "./context.js";
import {
  fingerprintLabel,
  fingerprintsOf,
  keywordFingerprints,
  keywordsWith,
} from "./fingerprint.js";

/**
 * Where a create carries the fingerprint (docs/design.md): in `keywords` and as a label, in `keywords`
 * alone once Creatify refused the label, or nowhere once it refused it in `keywords`.
 */
export type Tagging = "keywords-and-label" | "keywords" | "none";

/**
 * Creates the avatar with its fingerprint. A Creatify that refuses it (HTTP 400 naming
 * `labels` or `keywords`) created nothing, so it is sent once more with less of it: never two
 * avatars. Returns the created avatar, and `checkFirstRead` for the first read of it.
 */
export async function createAvatar(
  planned: Planned,
  context: AvatarContext,
): Promise<{ persona: Persona; checkFirstRead: (read: Persona) => void }> {
  const { spec, record, videos } = planned;
  const name = `Avatar "${spec.creatorName}"`;
  let tagging: Tagging = "keywords-and-label";
  for (;;) {
    try {
      const persona = await createOnce(planned, context, tagging);
      if (videos.consent && (persona.consent_video === null || persona.consent_video === "")) {
        context.log.warning(
          `${name} (${persona.id}): Creatify did not store the consent video (the create's answer has no consent_video); send it in Creatify's web app if the avatar needs one.`,
        );
      }
      const sent = tagging === "none" ? undefined : record.plan?.fingerprint;
      return { persona, checkFirstRead: (read) => checkKept(read, sent, name, context) };
    } catch (error) {
      const next = fallback(error, tagging);
      if (!next) throw error;
      const refused = (error as Error).message;
      context.log.warning(
        next === "keywords"
          ? `${name}: Creatify refused the video fingerprint label (${refused}); sending it once more without it, the keywords still carry the fingerprint.`
          : `${name}: Creatify refused the video fingerprint in the keywords (${refused}); sending it once more with your keywords alone and no fingerprint label. Re-runs will match this avatar by name only.`,
      );
      if (next === "none" && record.plan) record.plan.fingerprint = undefined;
      tagging = next;
    }
  }
}

/** What to send after a refusal at `tagging`; undefined when the refusal is not the fingerprint's. */
export function fallback(error: unknown, tagging: Tagging): Tagging | undefined {
  if (!(error instanceof CreatifyError) || error.status !== 400) return undefined;
  const names = (field: string) => new RegExp(`HTTP 400: (?:.*; )?${field}: `).test(error.message);
  if (tagging !== "none" && names("keywords")) return "none";
  if (tagging === "keywords-and-label" && names("labels")) return "keywords";
  return undefined;
}

/**
 * The first read after a create checks the assumption the fingerprint rests on:
 * that Creatify's reads show the keywords as they were sent.
 */
function checkKept(
  read: Persona,
  fingerprint: string | undefined,
  name: string,
  context: AvatarContext,
): void {
  if (!fingerprint || keywordFingerprints(read.keywords).includes(fingerprint)) return;
  context.log.warning(
    `${name} (${read.id}): Creatify did not keep the video fingerprint ${fingerprint} in the avatar's keywords, so re-runs will match it by name only, and a new take of its video will need if-exists: create.`,
  );
}

async function createOnce(
  { spec, videos, record, known }: Planned,
  context: AvatarContext,
  tagging: Tagging,
): Promise<Persona> {
  const tagged = (fingerprint: string) => ({
    keywords: tagging === "none" ? spec.keywords : keywordsWith(spec.keywords, fingerprint),
    labels: tagging === "keywords-and-label" ? [...spec.labels, fingerprint] : spec.labels,
  });
  const fingerprint = record.plan?.fingerprint;
  // What an ambiguous attempt made carries the fingerprint it sent (a first take's is known
  // once its file has streamed); with none sent, its name and new id are all there is.
  let sent = tagging === "none" ? undefined : fingerprint;
  const mine: Mine<Persona> = {
    known,
    carries: (persona) =>
      sent === undefined ? tagging === "none" : fingerprintsOf(persona).includes(sent),
  };
  const untagged = { keywords: spec.keywords, labels: spec.labels };
  const fields: AvatarFields = {
    creator_name: spec.creatorName,
    gender: spec.gender,
    video_scene: spec.videoScene,
    webhook_url: spec.webhookUrl,
    ...(fingerprint && tagging !== "none" ? tagged(fingerprint) : untagged),
  };
  if (videos.kind === "url") {
    return context.client.createFromUrls(fields, videos.video, videos.consent, mine);
  }
  if (fingerprint || tagging === "none") {
    return context.client.createFromFiles(fields, videos.video, videos.consent, mine);
  }
  // A first take is hashed as it uploads: its keywords and label go after the file.
  const digest: DigestFields = {
    parts: (sha256Hex) => {
      const label = fingerprintLabel(sha256Hex);
      sent = label;
      const keywords = ["keywords", keywordsWith(spec.keywords, label)] as const;
      return tagging === "keywords-and-label" ? [keywords, ["labels", label]] : [keywords];
    },
    onDigest: (sha256Hex) => {
      if (record.plan) record.plan.fingerprint = fingerprintLabel(sha256Hex);
    },
  };
  const bare = { ...fields, keywords: undefined };
  return context.client.createFromFiles(bare, videos.video, videos.consent, mine, digest);
}
