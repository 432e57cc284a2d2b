import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { Persona } from "../creatify/persona.js";
import { readBuffer } from "../files/video.js";

/**
 * The label that ties an avatar to the video it was made from: `video-sha256:`
 * and the first 16 hex digits of the SHA-256 of the file's bytes, or of a URL's text.
 */
export const FINGERPRINT_PREFIX = "video-sha256:";

export function fingerprintLabel(sha256Hex: string): string {
  return FINGERPRINT_PREFIX + sha256Hex.slice(0, 16).toLowerCase();
}

export function fingerprintOfUrl(url: string): string {
  return fingerprintLabel(createHash("sha256").update(url, "utf8").digest("hex"));
}

/** Large reads into one reused buffer: one sequential pass, memory flat whatever the size. */
const READ_BYTES = 1024 * 1024;

/** Hashes a file in one sequential read. */
export async function fingerprintOfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  const buffer = readBuffer(READ_BYTES);
  const handle = await open(path, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return fingerprintLabel(hash.digest("hex"));
}

/** Creatify's limit on `keywords`, in characters. */
const MAX_KEYWORDS = 255;
const SEPARATOR = ", ";
/** `video-sha256:` and 16 hex digits. */
const FINGERPRINT_LENGTH = FINGERPRINT_PREFIX.length + 16;
/** What is left of `keywords` for the user's own, once the fingerprint is appended: 224. */
export const MAX_USER_KEYWORDS = MAX_KEYWORDS - SEPARATOR.length - FINGERPRINT_LENGTH;

/**
 * The `keywords` a create sends: the user's, then the fingerprint as the last item. Creatify's
 * reads return `keywords` but not `labels`, so this is where a re-run finds the fingerprint.
 */
export function keywordsWith(keywords: string | undefined, fingerprint: string): string {
  return keywords ? `${keywords}${SEPARATOR}${fingerprint}` : fingerprint;
}

/** The fingerprints in a `keywords` text: its comma-separated items that are one. */
export function keywordFingerprints(keywords: unknown): string[] {
  if (typeof keywords !== "string") return [];
  return keywords
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.startsWith(FINGERPRINT_PREFIX));
}

/**
 * The fingerprints an avatar carries (none for one made by hand or before fingerprints): in
 * its `keywords`, and in its `labels` where an answer has them (a create's does, a read's not).
 */
export function fingerprintsOf(persona: Persona): string[] {
  const labels = Array.isArray(persona.labels) ? persona.labels : [];
  const labelled = labels.filter(
    (label): label is string => typeof label === "string" && label.startsWith(FINGERPRINT_PREFIX),
  );
  return [...new Set([...keywordFingerprints(persona.keywords), ...labelled])];
}
