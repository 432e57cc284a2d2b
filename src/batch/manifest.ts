import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { InputError } from "../errors.js";
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

  return list.items.map((item, index) => {
    const offset = (item as { range?: [number] }).range?.[0];
    if (!isMap(item)) return fail(`avatars[${index}] is not a mapping of keys to values`, offset);
    const values = entryValues(item, index, fail);
    const name = values.get("creator-name");
    const entryName = `avatars[${index}]${name ? ` (${name})` : ""}`;
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
}

/** An entry's values as text, the way the same inputs would arrive from a workflow. */
function entryValues(
  item: YAMLMap,
  index: number,
  fail: (message: string, offset?: number) => never,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const pair of item.items) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    const offset = (pair.key as { range?: [number] } | null)?.range?.[0];
    if (!(AVATAR_KEYS as readonly string[]).includes(key)) {
      fail(
        `avatars[${index}] has an unknown key "${key}" (known: ${AVATAR_KEYS.join(", ")})`,
        offset,
      );
    }
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    if (Array.isArray(value) && value.every((element) => typeof element !== "object")) {
      values.set(key, value.join(key === "labels" ? "\n" : ", "));
    } else if (value === null || typeof value !== "object") {
      values.set(key, value === null ? "" : String(value));
    } else {
      fail(`avatars[${index}] "${key}" must be text or a list of text`, offset);
    }
  }
  return values;
}
