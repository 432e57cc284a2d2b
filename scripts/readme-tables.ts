// Generates README.md's inputs and outputs tables from both actions' metadata, so they cannot
// drift apart.
//
//   node scripts/readme-tables.ts            rewrite the tables in README.md
//   node scripts/readme-tables.ts --check    exit 1, naming the table, when README.md is out of date
//   options: --readme PATH (default: README.md of this repository)
//
// action.yml's tables sit between <!-- inputs:start --> / <!-- inputs:end --> and
// <!-- outputs:start --> / <!-- outputs:end -->; generate/action.yml's between the same markers
// named generate-inputs and generate-outputs. Everything else in README.md is left alone.
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

/** Each action's metadata and the prefix of its tables' markers in README.md. */
export const ACTIONS = [
  { action: "action.yml", prefix: "" },
  { action: "generate/action.yml", prefix: "generate-" },
] as const;

function markers(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

function span(readme: string, name: string): { from: number; to: number } {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from + 1);
  if (from < 0 || to < 0) throw new Error(`README.md has no ${start} ... ${end} block`);
  return { from: from + start.length, to };
}

/** The table currently between a block's markers, without the surrounding blank lines. */
export function readTable(readme: string, name: TableName, prefix = ""): string {
  const { from, to } = span(readme, prefix + name);
  return readme.slice(from, to).trim();
}

/** README text with both blocks (of the action whose markers start with `prefix`) replaced. */
export function writeTables(readme: string, tables: Tables, prefix = ""): string {
  let out = readme;
  for (const name of TABLES) {
    const { from, to } = span(out, prefix + name);
    out = `${out.slice(0, from)}\n\n${tables[name]}\n\n${out.slice(to)}`;
  }
  return out;
}

/** Names of the tables whose README text differs from what the action's metadata yields. */
export function staleTables(readme: string, tables: Tables, prefix = ""): TableName[] {
  return TABLES.filter((name) => readTable(readme, name, prefix) !== tables[name]);
}

function main(argv: string[]): number {
  const root = resolve(import.meta.dirname, "..");
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      readme: { type: "string", default: resolve(root, "README.md") },
    },
  });
  const original = readFileSync(values.readme, "utf8");
  let readme = original;
  let stale = 0;
  for (const { action, prefix } of ACTIONS) {
    const tables = renderTables(readFileSync(resolve(root, action), "utf8"));
    if (values.check) {
      for (const name of staleTables(readme, tables, prefix)) {
        stale += 1;
        console.error(
          `${values.readme}: the ${prefix}${name} table differs from ${action}; run node scripts/readme-tables.ts`,
        );
      }
    } else {
      readme = writeTables(readme, tables, prefix);
    }
  }
  if (values.check) return stale === 0 ? 0 : 1;
  if (readme !== original) writeFileSync(values.readme, readme);
  console.log(`${values.readme}: ${readme === original ? "already up to date" : "tables updated"}`);
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
