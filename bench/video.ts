/** Test videos for the benchmark: an ISO BMFF `ftyp` box, then one `mdat` box up to the size. */
import { createHash, randomFillSync } from "node:crypto";
import { open } from "node:fs/promises";

/** `ftyp`: size, "ftyp", major brand "isom", minor version 0x200, compatible brands. */
export function ftypBox(): Buffer {
  const brands = ["isom", "iso2", "avc1", "mp41"];
  const box = Buffer.alloc(16 + 4 * brands.length);
  box.writeUInt32BE(box.length, 0);
  box.write("ftyp", 4, "latin1");
  box.write("isom", 8, "latin1");
  box.writeUInt32BE(0x200, 12);
  brands.forEach((b, i) => {
    box.write(b, 16 + 4 * i, "latin1");
  });
  return box;
}

/** Header of an `mdat` box running to the end of a file of `total` bytes that starts with `used` bytes. */
function mdatHeader(total: number, used: number): Buffer {
  const rest = total - used;
  if (rest < 8) return Buffer.alloc(0);
  if (rest <= 0xffffffff) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(rest, 0);
    h.write("mdat", 4, "latin1");
    return h;
  }
  const h = Buffer.alloc(16); // size 1 = 64-bit largesize follows
  h.writeUInt32BE(1, 0);
  h.write("mdat", 4, "latin1");
  h.writeBigUInt64BE(BigInt(rest), 8);
  return h;
}

/**
 * Writes a `size`-byte MP4 at `path`. The body is sparse (a hole read back as zeros,
 * costing no disk and no time) unless `random` is set, in which case it is written
 * with random bytes.
 */
export async function writeVideo(path: string, size: number, random: boolean): Promise<void> {
  const ftyp = ftypBox();
  const head = Buffer.concat([ftyp, mdatHeader(size, ftyp.length)]);
  const fh = await open(path, "w");
  try {
    await fh.write(head, 0, Math.min(head.length, size), 0);
    if (random) {
      const block = Buffer.alloc(4 * 1024 * 1024);
      for (let at = head.length; at < size; at += block.length) {
        randomFillSync(block);
        const n = Math.min(block.length, size - at);
        await fh.write(block, 0, n, at);
      }
    }
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
}

/**
 * Reads the whole file, so that the upload that follows finds it in the page cache. The
 * reference machine reclaims idle page cache within seconds, so this runs right before every
 * run of every side: a side that found the file evicted would pay for reading it from disk
 * (for a sparse file, for filling the cache with the hole's zero pages: about 3× slower at
 * 1 GiB), and which side that hits would be down to timing.
 */
export async function warmUp(path: string): Promise<void> {
  await eachChunk(path, () => undefined);
}

/** `video-sha256:` and the first 16 hex digits of the file's SHA-256, the fingerprint an avatar carries in its keywords and labels. */
export async function fingerprintOf(path: string): Promise<string> {
  const hash = createHash("sha256");
  await eachChunk(path, (chunk) => hash.update(chunk));
  return `video-sha256:${hash.digest("hex").slice(0, 16)}`;
}

async function eachChunk(path: string, use: (chunk: Buffer) => void): Promise<void> {
  const fh = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, pos);
      if (bytesRead === 0) break;
      use(buffer.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
