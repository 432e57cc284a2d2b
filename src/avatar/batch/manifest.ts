import { type Document, isAlias, isMap, isSeq, type YAMLMap } from "yaml";
import { InputError } from "../../errors.js";
import { CONTROL } from "../../text.js";
import { offsetOf, parseYamlFile, textOf } from "../../yaml.js";
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
  const { document, lineOf, fail } = parseYamlFile(text, file);
  const root = document.contents;
  const list = isMap(root) ? root.get("avatars", true) : undefined;
  if (!isSeq(list)) return fail('expected a list under "avatars:"', root?.range?.[0]);
  if (list.items.length === 0) fail('"avatars:" is empty', list.range?.[0]);

  const entries = list.items.map((item, index) => {
    const offset = offsetOf(item);
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
    const offset = offsetOf(pair.key);
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
