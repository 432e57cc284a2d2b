import { type Document, isAlias, isScalar, LineCounter, parseDocument } from "yaml";
import { InputError } from "./errors.js";

/**
 * A YAML (or JSON, which YAML reads too) file the user wrote, parsed with the positions of its
 * nodes, so that an error names the file and the line at fault.
 */
export interface YamlFile {
  /** The file's name as messages give it. */
  readonly file: string;
  readonly document: Document;
  /** The line (from 1) of an offset in the text; the first line when it is not known. */
  lineOf(offset: number | undefined): number;
  /** Throws the InputError `<file>: <message>`, located at the line of `offset`. */
  fail(message: string, offset?: number): never;
}

/** Parses `text`, named `file` in messages; a syntax error fails at its line. */
export function parseYamlFile(text: string, file: string): YamlFile {
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
  return { file, document, lineOf, fail };
}

/** Where a node starts in the text, when it has a position. */
export function offsetOf(node: unknown): number | undefined {
  return (node as { range?: [number] } | null | undefined)?.range?.[0];
}

/**
 * A scalar's value as text: numbers as written (`007`, `1.10`), as an input would
 * keep them; null for an empty value; undefined for anything that is not a scalar.
 */
export function textOf(node: unknown, document: Document): string | null | undefined {
  const scalar = isAlias(node) ? node.resolve(document) : node;
  if (scalar === null || scalar === undefined) return null;
  if (!isScalar(scalar)) return undefined;
  const { value, source } = scalar;
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "bigint") return source ?? String(value);
  return typeof value === "object" ? undefined : String(value);
}
