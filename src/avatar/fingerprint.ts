import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { Persona } from "../creatify/persona.js";
import { readBuffer } from "../files/video.js";

/**
 * The label that ties an avatar to the video it was made from (SPEC §8): `video-sha256:`
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

/** The fingerprint labels an avatar carries (none for one made by hand or before fingerprints). */
export function fingerprintsOf(persona: Persona): string[] {
  const labels = persona.labels;
  if (!Array.isArray(labels)) return [];
  return labels.filter(
    (label): label is string => typeof label === "string" && label.startsWith(FINGERPRINT_PREFIX),
  );
}
