// Generates README.md's inputs and outputs tables from action.yml, so the two cannot drift apart.
//
//   node scripts/readme-tables.ts            rewrite the tables in README.md
//   node scripts/readme-tables.ts --check    exit 1, naming the table, when README.md is out of date
//   options: --readme PATH, --action PATH (default: README.md and action.yml of this repository)
//
// The tables sit between <!-- inputs:start --> / <!-- inputs:end --> and
// <!-- outputs:start --> / <!-- outputs:end -->; everything else in README.md is left alone.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";

export const TABLES = ["inputs", "outputs"] as const;
export type TableName = (typeof TABLES)[number];
export type Tables = Record<TableName, string>;

/** A table cell: one line, pipes escaped, so that any description keeps the table intact. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .trim()
    .replace(/\|/g, "\\|");
}

/** Inline code that survives backticks inside the value. */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`action.yml: ${what} must be a mapping`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/** Both markdown tables, rendered from action.yml's text. Pure: no file access. */
export function renderTables(actionYml: string): Tables {
  const action = record(parse(actionYml), "the document");
  const inputs = Object.entries(record(action.inputs, "inputs")).map(([name, raw]) => {
    const input = record(raw, `inputs.${name}`);
    const fallback = text(input.default);
    const required = input.required === true || input.required === "true";
    return `| ${code(name)} | ${fallback === "" ? "" : code(cell(fallback))} | ${required ? "yes" : "no"} | ${cell(text(input.description))} |`;
  });
  const outputs = Object.entries(record(action.outputs, "outputs")).map(([name, raw]) => {
    const output = record(raw, `outputs.${name}`);
    return `| ${code(name)} | ${cell(text(output.description))} |`;
  });
  return {
    inputs: [
      "| input | default | required | description |",
      "| --- | --- | --- | --- |",
      ...inputs,
    ].join("\n"),
    outputs: ["| output | description |", "| --- | --- |", ...outputs].join("\n"),
  };
}

function markers(name: TableName): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

function span(readme: string, name: TableName): { from: number; to: number } {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from + 1);
  if (from < 0 || to < 0) throw new Error(`README.md has no ${start} ... ${end} block`);
  return { from: from + start.length, to };
}

/** The table currently between a block's markers, without the surrounding blank lines. */
export function readTable(readme: string, name: TableName): string {
  const { from, to } = span(readme, name);
  return readme.slice(from, to).trim();
}

/** README text with both blocks replaced by the given tables. */
export function writeTables(readme: string, tables: Tables): string {
  let out = readme;
  for (const name of TABLES) {
    const { from, to } = span(out, name);
    out = `${out.slice(0, from)}\n\n${tables[name]}\n\n${out.slice(to)}`;
  }
  return out;
}

/** Names of the tables whose README text differs from what action.yml yields. */
export function staleTables(readme: string, tables: Tables): TableName[] {
  return TABLES.filter((name) => readTable(readme, name) !== tables[name]);
}

function main(argv: string[]): number {
  const root = resolve(import.meta.dirname, "..");
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      readme: { type: "string", default: resolve(root, "README.md") },
      action: { type: "string", default: resolve(root, "action.yml") },
    },
  });
  const tables = renderTables(readFileSync(values.action, "utf8"));
  const readme = readFileSync(values.readme, "utf8");
  if (values.check) {
    const stale = staleTables(readme, tables);
    for (const name of stale) {
      console.error(
        `${values.readme}: the ${name} table differs from ${values.action}; run node scripts/readme-tables.ts`,
      );
    }
    return stale.length === 0 ? 0 : 1;
  }
  const updated = writeTables(readme, tables);
  if (updated !== readme) writeFileSync(values.readme, updated);
  console.log(`${values.readme}: ${updated === readme ? "already up to date" : "tables updated"}`);
  return 0;
}

if (import.meta.main) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`readme-tables: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
