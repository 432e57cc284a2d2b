/**
 * Streaming multipart/form-data framing checker for the benchmark server.
 *
 * It never buffers a part's content: it only looks for the delimiter
 * `\r\n--<boundary>` in each chunk (plus a small window across chunk edges) and
 * keeps the first few KiB after each delimiter, which hold the part headers and,
 * for small text fields, the value. Everything else is counted and dropped.
 */

/** Bytes kept after each delimiter: part headers plus small text values. */
const CAPTURE = 8 * 1024;
/** A text field value is kept when it is at most this long. */
const MAX_VALUE = 1024;
/** More delimiters than this means something is badly wrong; stop recording them. */
const MAX_DELIMITERS = 1000;

export interface PartInfo {
  name: string | undefined;
  filename: string | undefined;
  contentType: string | undefined;
  /** Content bytes of the part (between the blank line after its headers and the next delimiter). */
  size: number;
  /** The value of a small part without a filename. */
  value: string | undefined;
}

export interface MultipartResult {
  /** Body bytes seen. */
  bytes: number;
  parts: PartInfo[];
  /** Framing errors; empty when the body is well formed. */
  errors: string[];
}

/** The boundary parameter of a `multipart/form-data` Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 200 ? b : undefined;
}

interface Capture {
  /** Virtual stream offset of the first captured byte. */
  start: number;
  chunks: Buffer[];
  length: number;
}

export class MultipartScanner {
  private readonly delimiter: Buffer;
  /** The last `delimiter.length - 1` bytes of the virtual stream. */
  private tail: Buffer;
  /**
   * Offset of the next byte in the virtual stream: the body preceded by a virtual
   * `\r\n`, so that the first delimiter (`--boundary` at offset 0 of the body) looks
   * like every other one (`\r\n--boundary`).
   */
  private pos = 2;
  private readonly delimiters: number[] = [];
  private readonly captures: Capture[] = [];
  private active: Capture[] = [];
  private overflow = false;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
    this.tail = Buffer.from("\r\n", "latin1");
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const d = this.delimiter;
    const keep = d.length - 1;
    const base = this.pos;
    const found: number[] = [];

    // A delimiter straddling the previous data and this chunk.
    if (this.tail.length > 0) {
      const window = Buffer.concat([this.tail, chunk.subarray(0, Math.min(keep, chunk.length))]);
      for (let i = window.indexOf(d); i !== -1; i = window.indexOf(d, i + 1)) {
        if (i < this.tail.length && i + d.length > this.tail.length) {
          found.push(base - this.tail.length + i);
        }
      }
    }
    // Delimiters inside the chunk (a boundary has no CR/LF, so they cannot overlap).
    for (let i = chunk.indexOf(d); i !== -1; i = chunk.indexOf(d, i + d.length)) {
      found.push(base + i);
    }

    for (const at of found) {
      if (this.delimiters.length >= MAX_DELIMITERS) {
        this.overflow = true;
        break;
      }
      this.delimiters.push(at);
      const capture: Capture = { start: at + d.length, chunks: [], length: 0 };
      this.captures.push(capture);
      this.active.push(capture);
    }

    if (this.active.length > 0) {
      const end = base + chunk.length;
      for (const c of this.active) {
        const from = Math.max(c.start + c.length, base);
        const to = Math.min(c.start + CAPTURE, end);
        if (to > from) {
          c.chunks.push(Buffer.from(chunk.subarray(from - base, to - base)));
          c.length += to - from;
        }
      }
      this.active = this.active.filter((c) => c.length < CAPTURE);
    }

    if (chunk.length >= keep) {
      this.tail = Buffer.from(chunk.subarray(chunk.length - keep));
    } else {
      const joined = Buffer.concat([this.tail, chunk]);
      this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
    }
    this.pos += chunk.length;
  }

  /** Body bytes written so far. */
  get bytes(): number {
    return this.pos - 2;
  }

  finish(): MultipartResult {
    const errors: string[] = [];
    const parts: PartInfo[] = [];
    const bytes = this.bytes;
    const end = this.pos;
    const dl = this.delimiter.length;
    const ds = this.delimiters;
    const boundaryText = this.delimiter.subarray(2).toString("latin1");

    if (this.overflow) errors.push(`more than ${MAX_DELIMITERS} delimiters`);
    if (ds.length === 0) {
      errors.push(`boundary ${boundaryText} never found in ${bytes} bytes`);
      return { bytes, parts, errors };
    }
    if (ds[0] !== 0)
      errors.push(`body does not start with ${boundaryText} (${ds[0]} bytes before it)`);

    let closed = false;
    for (let k = 0; k < ds.length; k++) {
      const at = ds[k] as number;
      const next = ds[k + 1];
      const after = Buffer.concat(this.captures[k]?.chunks ?? []);
      const limit = (next ?? end) - (at + dl);
      const view = after.subarray(0, Math.max(0, limit));
      if (closed) {
        errors.push(`delimiter after the closing ${boundaryText}-- at body offset ${at - 2}`);
        break;
      }
      if (view.subarray(0, 2).toString("latin1") === "--") {
        closed = true;
        if (next !== undefined) continue; // reported on the next round
        const rest = end - (at + dl);
        if (view.subarray(0, 4).toString("latin1") !== "--\r\n") {
          errors.push(
            `body does not end with ${boundaryText}--\\r\\n (no CRLF after the closing delimiter)`,
          );
        } else if (rest !== 4) {
          errors.push(
            `body does not end with ${boundaryText}--\\r\\n (${rest - 4} bytes follow it)`,
          );
        }
        continue;
      }
      if (next === undefined) {
        errors.push(`last part (at body offset ${at - 2}) is not closed by ${boundaryText}--`);
        break;
      }
      if (view.subarray(0, 2).toString("latin1") !== "\r\n") {
        errors.push(`delimiter at body offset ${at - 2} is not followed by CRLF`);
        continue;
      }
      const headerEnd = view.indexOf("\r\n\r\n", 0, "latin1");
      if (headerEnd === -1) {
        errors.push(
          `part at body offset ${at - 2}: headers not terminated within ${CAPTURE} bytes`,
        );
        continue;
      }
      const headers = parseHeaders(view.subarray(2, headerEnd).toString("latin1"));
      const contentStart = at + dl + headerEnd + 4;
      const size = next - contentStart;
      const disposition = headers.get("content-disposition") ?? "";
      const name = param(disposition, "name");
      const filename = param(disposition, "filename");
      if (!/^\s*form-data\s*(;|$)/i.test(disposition)) {
        errors.push(`part at body offset ${at - 2}: Content-Disposition is not form-data`);
      }
      let value: string | undefined;
      if (filename === undefined && size <= MAX_VALUE) {
        value = view.subarray(headerEnd + 4, headerEnd + 4 + size).toString("utf8");
      }
      parts.push({ name, filename, contentType: headers.get("content-type"), size, value });
    }
    if (!closed) errors.push(`no closing ${boundaryText}--`);
    return { bytes, parts, errors };
  }
}

function parseHeaders(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) map.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return map;
}

function param(header: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, "i");
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
}
