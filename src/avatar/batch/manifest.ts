import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLMap,
} from "yaml";
import { InputError } from "../../errors.js";
import { CONTROL } from "../../text.js";
import {
  AVATAR_KEYS,
  type AvatarKey,
  type AvatarSpec,
  type IfExists,
  parseAvatar,
} from "../inputs.js";

/** One manifest entry, parsed, with where it stands for error annotations. */
export interface ManifestEntry {
  /** Position in the `avatars` list, from 0. */
  readonly index: number;
  readonly line: number;
  readonly spec: AvatarSpec;
  /** Names a field of this entry in an error: `avatars[1] (James) "gender"`. */
  describe(key: AvatarKey): string;
}

/**
 * Parses a YAML (or JSON, which YAML reads too) manifest of `avatars:` entries,
 * each with the single-avatar input keys, and validates every entry before any
 * request. `file` is the manifest's path as the user wrote it, for messages.
 */
export function parseManifest(
  text: string,
  file: string,
  workspace: string,
  defaultIfExists: IfExists,
): ManifestEntry[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lines.linePos(offset).line;
  const fail = (message: string, offset?: number): never => {
    throw new InputError(`${file}: ${message}`, { file, line: lineOf(offset) });
  };

  const [syntaxError] = document.errors;
  if (syntaxError)
    fail(`not valid YAML or JSON (${syntaxError.message.split("\n")[0]})`, syntaxError.pos[0]);
  const root = document.contents;
  const list = isMap(root) ? root.get("avatars", true) : undefined;
  if (!isSeq(list)) return fail('expected a list under "avatars:"', root?.range?.[0]);
  if (list.items.length === 0) fail('"avatars:" is empty', list.range?.[0]);

  const entries = list.items.map((item, index) => {
    const offset = (item as { range?: [number] }).range?.[0];
    if (!isMap(item)) return fail(`avatars[${index}] is not a mapping of keys to values`, offset);
    // Named before its keys are checked, so every error names the entry the same way.
    const name = textOf(item.get("creator-name", true), document)?.trim();
    const entryName = `avatars[${index}]${name ? ` (${name})` : ""}`;
    const values = entryValues(item, entryName, document, fail);
    const describe = (key: AvatarKey) => `${file}: ${entryName} "${key}"`;
    try {
      const spec = parseAvatar(
        { read: (key) => values.get(key) ?? "", describe },
        workspace,
        defaultIfExists,
      );
      return { index, line: lineOf(offset), spec, describe };
    } catch (error) {
      if (error instanceof InputError)
        throw new InputError(error.message, { file, line: lineOf(offset) });
      throw error;
    }
  });

  // `if-exists` keys on the name: two entries of one name would race to upload twice.
  const seen = new Map<string, ManifestEntry>();
  for (const entry of entries) {
    const first = seen.get(entry.spec.creatorName);
    if (first) {
      throw new InputError(
        `${file}: avatars[${entry.index}] has the same creator-name "${entry.spec.creatorName}" as avatars[${first.index}]; give each avatar its own name.`,
        { file, line: entry.line },
      );
    }
    seen.set(entry.spec.creatorName, entry);
  }
  return entries;
}

/** An entry's values as text, the way the same inputs would arrive from a workflow. */
function entryValues(
  item: YAMLMap,
  entryName: string,
  document: Document,
  fail: (message: string, offset?: number) => never,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const pair of item.items) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    const offset = (pair.key as { range?: [number] } | null)?.range?.[0];
    if (!(AVATAR_KEYS as readonly string[]).includes(key)) {
      fail(`${entryName} has an unknown key "${key}" (known: ${AVATAR_KEYS.join(", ")})`, offset);
    }
    const node = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
    const text = textOf(node, document);
    // An empty value is "", as an input left out; an empty element in a list is a mistake.
    const texts = isSeq(node)
      ? node.items.map((element) => textOf(element, document) ?? undefined)
      : [text === null ? "" : text];
    if (texts.includes(undefined)) {
      fail(`${entryName} "${key}" must be text or a list of text`, offset);
    }
    // Elements are joined by line breaks below; one inside an element must not split it.
    if (isSeq(node) && texts.some((element) => element !== undefined && CONTROL.test(element))) {
      fail(
        `${entryName} "${key}": an element contains a line break or another control character`,
        offset,
      );
    }
    values.set(key, texts.join(key === "labels" ? "\n" : ", "));
  }
  return values;
}

/**
 * A scalar's value as text: numbers as written (`007`, `1.10`), as an input would
 * keep them; null for an empty value; undefined for anything that is not a scalar.
 */
function textOf(node: unknown, document: Document): string | null | undefined {
  const scalar = isAlias(node) ? node.resolve(document) : node;
  if (scalar === null || scalar === undefined) return null;
  if (!isScalar(scalar)) return undefined;
  const { value, source } = scalar;
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "bigint") return source ?? String(value);
  return typeof value === "object" ? undefined : String(value);
}
