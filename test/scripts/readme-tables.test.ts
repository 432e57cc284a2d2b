import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  readTable,
  renderTables,
  staleTables,
  TABLES,
  writeTables,
} from "../../scripts/readme-tables.ts";

const root = resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(resolve(root, file), "utf8");

describe.each(ACTIONS)("README.md for $action", ({ action, prefix }) => {
  const tables = renderTables(read(action));
  const readme = read("README.md");

  it.each(TABLES)("has the %s table it yields (node scripts/readme-tables.ts)", (name) => {
    expect(readTable(readme, name, prefix)).toBe(tables[name]);
  });
});

describe("renderTables", () => {
  const action = `
inputs:
  api-key:
    description: The key.
    required: true
  mode:
    description: "a | b, on
      two lines"
    default: a
  token:
    description: Token.
    required: false
    default: \${{ github.token }}
outputs:
  id:
    description: The id.
`;

  it("renders one row per input and output, in action.yml's order", () => {
    expect(renderTables(action)).toEqual({
      inputs: [
        "| input | default | required | description |",
        "| --- | --- | --- | --- |",
        "| `api-key` |  | yes | The key. |",
        "| `mode` | `a` | no | a \\| b, on two lines |",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, on purpose
        "| `token` | `${{ github.token }}` | no | Token. |",
      ].join("\n"),
      outputs: ["| output | description |", "| --- | --- |", "| `id` | The id. |"].join("\n"),
    });
  });

  it("renders empty tables for an action without inputs or outputs", () => {
    expect(renderTables("name: x\n")).toEqual({
      inputs: "| input | default | required | description |\n| --- | --- | --- | --- |",
      outputs: "| output | description |\n| --- | --- |",
    });
  });
});

describe("writeTables and staleTables", () => {
  const tables = { inputs: "| input |\n| --- |", outputs: "| output |\n| --- |" };
  const readme = [
    "# Title",
    "<!-- inputs:start -->",
    "old",
    "<!-- inputs:end -->",
    "prose",
    "<!-- outputs:start --><!-- outputs:end -->",
  ].join("\n");

  it("replaces only what lies between the markers", () => {
    const written = writeTables(readme, tables);
    expect(written).toBe(
      [
        "# Title",
        "<!-- inputs:start -->",
        "",
        "| input |",
        "| --- |",
        "",
        "<!-- inputs:end -->",
        "prose",
        "<!-- outputs:start -->",
        "",
        "| output |",
        "| --- |",
        "",
        "<!-- outputs:end -->",
      ].join("\n"),
    );
    expect(writeTables(written, tables)).toBe(written);
    expect(staleTables(written, tables)).toEqual([]);
  });

  it("names each table that differs", () => {
    expect(staleTables(readme, tables)).toEqual(["inputs", "outputs"]);
    const onlyOutputs = writeTables(readme, { ...tables, outputs: "changed" });
    expect(staleTables(onlyOutputs, tables)).toEqual(["outputs"]);
  });

  it("refuses a README without the markers", () => {
    expect(() => staleTables("# Title\n", tables)).toThrow(/<!-- inputs:start -->/);
  });
});
