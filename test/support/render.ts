// Renders a job summary (the GITHUB_STEP_SUMMARY file's text) the way GitHub shows it, with
// cmark-gfm, GitHub's own GFM parser, and reads the tables and the visible text back out of its
// HTML. A small regex reader is enough and exact here: cmark-gfm's HTML is regular (block tags
// on their own lines, `<th>`/`<td>` one per line with no nesting, text entity-escaped), so no
// HTML parser dependency is needed. Raw HTML the summary writes itself (a `<table>` from
// `core.summary.addTable`, `<details>`) passes through as it does on GitHub, and the reader
// accepts that looser HTML too, so what counts is what a person sees, not how it was written.
import cmark from "cmark-gfm";

export interface RenderedTable {
  /** Text of the header cells. */
  header: string[];
  /** Text of each body row's cells, in order. */
  rows: string[][];
  /** The same cells as HTML, for links and images. */
  rowsHtml: string[][];
}

export interface RenderedSummary {
  html: string;
  tables: RenderedTable[];
  /** Everything a reader sees, one block per line, tags dropped and entities decoded. */
  text: string;
}

/**
 * GitHub's rendering of GFM: the table, strikethrough, autolink and tagfilter extensions,
 * raw HTML kept (GitHub sanitises it afterwards rather than dropping it; `tagfilter` is the
 * part of that which changes what parses).
 */
export const GITHUB_OPTIONS = {
  unsafe: true,
  extensions: { table: true, strikethrough: true, autolink: true, tagfilter: true },
} as const;

export function renderSummary(markdown: string): RenderedSummary {
  const html = cmark.renderHtmlSync(markdown, GITHUB_OPTIONS);
  return { html, tables: tablesOf(html), text: visibleText(html) };
}

/** The first table that has every one of `columns` (a summary may hold several tables). */
export function tableWith(summary: RenderedSummary, columns: string[]): RenderedTable | undefined {
  return summary.tables.find((table) => columns.every((column) => columnIndex(table, column) >= 0));
}

/**
 * The row whose `column` cell is `name` (or matches it), as cells by lower-cased header, in
 * `source`'s table, or in the first table of a summary that has such a row; throws when none has.
 */
export function rowOf(
  source: RenderedSummary | RenderedTable,
  name: string | RegExp,
  column = "avatar",
): { table: RenderedTable; cells: Record<string, string>; html: Record<string, string> } {
  const tables = "tables" in source ? source.tables : [source];
  for (const table of tables) {
    const index = columnIndex(table, column);
    if (index < 0) continue;
    const at = table.rows.findIndex((row) => matches(row[index] ?? "", name));
    const row = table.rows[at];
    const rowHtml = table.rowsHtml[at];
    if (row && rowHtml) {
      return { table, cells: byHeader(table.header, row), html: byHeader(table.header, rowHtml) };
    }
  }
  const seen = tables.map((t) => `[${t.header.join(" | ")}] ${t.rows.length} rows`);
  throw new Error(
    `no row with ${column} ${String(name)} in the rendered summary (tables: ${seen.join("; ") || "none"})`,
  );
}

/** The column whose header is `name` (case-insensitive, surrounding spaces ignored), or -1. */
export function columnIndex(table: RenderedTable, name: string): number {
  return table.header.findIndex((cell) => cell.trim().toLowerCase() === name.toLowerCase());
}

function byHeader(header: string[], row: string[]): Record<string, string> {
  return Object.fromEntries(header.map((name, i) => [name.trim().toLowerCase(), row[i] ?? ""]));
}

function matches(cell: string, name: string | RegExp): boolean {
  return typeof name === "string" ? cell.trim() === name : name.test(cell);
}

function tablesOf(html: string): RenderedTable[] {
  const tables: RenderedTable[] = [];
  for (const [, inner = ""] of html.matchAll(/<table\b[^>]*>([\s\S]*?)<\/table>/gi)) {
    const head = /<thead\b[^>]*>([\s\S]*?)<\/thead>/i.exec(inner)?.[1];
    const rows = rowsOf(
      head === undefined ? inner : inner.replace(/<thead\b[\s\S]*?<\/thead>/i, ""),
    );
    let header = head === undefined ? undefined : rowsOf(head)[0];
    // A raw HTML table without <thead>: its first row is the header when it is all <th>.
    if (header === undefined && rows[0]?.every((cell) => cell.header)) header = rows.shift();
    const body = rows.map((row) => row.map((cell) => cell.html));
    tables.push({
      header: (header ?? []).map((cell) => textOf(cell.html)),
      rows: body.map((row) => row.map(textOf)),
      rowsHtml: body,
    });
  }
  return tables;
}

function rowsOf(html: string): { header: boolean; html: string }[][] {
  return [...html.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)].map(([, row = ""]) =>
    [...row.matchAll(/<(t[hd])\b[^>]*>([\s\S]*?)<\/\1>/gi)].map(([, tag = "", cell = ""]) => ({
      header: tag.toLowerCase() === "th",
      html: cell,
    })),
  );
}

/** A cell's text: images by their alt text, line breaks as spaces, tags dropped. */
function textOf(html: string): string {
  return decode(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*>/gi, "$1")
      .replace(/<br\s*\/?>/gi, " ")
      .replace(/<[^>]+>/g, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
}

function visibleText(html: string): string {
  return decode(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*>/gi, "$1")
      .replace(/<br\s*\/?>/gi, "\n")
      // Cells side by side on one line, as a reader scans a row.
      .replace(/<\/t[hd]>\s*/gi, " | ")
      .replace(/<[^>]+>/g, ""),
  )
    .split("\n")
    .map((line) =>
      line
        .replace(/[ \t]+/g, " ")
        .replace(/ \|\s*$/, "")
        .trim(),
    )
    .filter((line) => line !== "")
    .join("\n");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}
