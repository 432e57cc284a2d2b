// What one answer from the API may cost, checked while it arrives: its bytes, and
// what its JSON will take to parse. The tally is hand-written: no streaming JSON parser is in the
// stack, and this needs only to count values and keys, not to build them.
import type { Answer } from "./transport.js";

/**
 * Bounds on one answer that keep the action under 256 MB whatever a server sends
 * (docs/design.md, the bounds).
 * Parsed, a JSON value can cost V8 ~120 bytes however short its text, and a new object key
 * several hundred, so 16 MiB of `[{},{},…]` alone would take ~700 MB: values (commas and
 * opening brackets) and distinct keys are bounded too. 20,000 avatars are about 460,000
 * values and 21 keys.
 */
export const MAX_ANSWER_BYTES = 16 * 2 ** 20;
export const MAX_ANSWER_VALUES = 750_000;
export const MAX_ANSWER_KEYS = 10_000;
/** Why an answer was abandoned unread, in the user's words. */
export interface Refusal {
  readonly refused: string;
}

const TOO_LARGE: Refusal = { refused: `answer larger than ${MAX_ANSWER_BYTES / 2 ** 20} MiB` };
const TOO_MANY_VALUES: Refusal = {
  // Written out: toLocaleString would load ICU at start-up (10-15 ms).
  refused: `answer of more than 750,000 JSON values`,
};
const TOO_MANY_KEYS: Refusal = {
  refused: `answer with more than 10,000 distinct keys`,
};

/**
 * An answer's text, read only while it stays within the bounds; past one, the body is
 * destroyed, and the connection with it, unread.
 */
export async function readBounded(
  { headers, body }: Answer,
  isJson: boolean,
): Promise<string | Refusal> {
  if (Number(headers["content-length"]) > MAX_ANSWER_BYTES) {
    // The connection goes with it rather than read a body this long.
    body.destroy();
    return TOO_LARGE;
  }
  const tally = new JsonTally();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Returning from the loop destroys the body.
    if (size > MAX_ANSWER_BYTES) return TOO_LARGE;
    if (isJson) {
      tally.add(chunk);
      if (tally.values > MAX_ANSWER_VALUES) return TOO_MANY_VALUES;
      if (tally.keys > MAX_ANSWER_KEYS) return TOO_MANY_KEYS;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** A key longer than this is not remembered but counted as new, as a hostile one would be. */
const MAX_KEY_BYTES = 64;

/**
 * Tallies, chunk by chunk, what a JSON text will cost to parse: its values and its distinct
 * object keys (a string followed by a colon). Strings may be split across chunks.
 */
class JsonTally {
  values = 0;
  readonly #keys = new Set<string>();
  #inString = false;
  #escaped = false;
  /** The open string's bytes, up to one more than MAX_KEY_BYTES. */
  readonly #string: number[] = [];
  /** A string has closed and only whitespace followed: a colon now makes it a key. */
  #closed = false;

  get keys(): number {
    return this.#keys.size;
  }

  add(chunk: Uint8Array): void {
    // Indexed: twice as fast as for-of over a typed array, on every byte of a 16 MiB answer.
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.#inString) this.#inStringByte(byte);
      else this.#outsideByte(byte);
    }
  }

  #inStringByte(byte: number): void {
    if (this.#escaped) this.#escaped = false;
    else if (byte === BACKSLASH) this.#escaped = true;
    else if (byte === QUOTE) {
      this.#inString = false;
      this.#closed = true;
      return;
    }
    if (this.#string.length <= MAX_KEY_BYTES) this.#string.push(byte);
  }

  #outsideByte(byte: number): void {
    if (WHITESPACE.has(byte)) return;
    if (byte === COLON && this.#closed) this.#keys.add(this.#key());
    else if (byte === COMMA || byte === OPEN_BRACKET || byte === OPEN_BRACE) this.values++;
    else if (byte === QUOTE) {
      this.#inString = true;
      this.#string.length = 0;
    }
    this.#closed = false;
  }

  #key(): string {
    // U+0100 is no byte's character: a long key never matches a remembered one.
    if (this.#string.length > MAX_KEY_BYTES) return `\u0100${this.#keys.size}`;
    return String.fromCharCode(...this.#string);
  }
}

export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
