/** Test videos for the benchmark: an ISO BMFF `ftyp` box, then one `mdat` box up to the size. */
import { randomFillSync } from "node:crypto";
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
 * Reads the file once so both sides find it in the page cache. Without this the first
 * upload of a sparse file pays for filling the cache with the hole's zero pages (about 3×
 * slower at 1 GiB here), and that first upload is always the action's.
 */
export async function warmUp(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
