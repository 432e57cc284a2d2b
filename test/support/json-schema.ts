// The part of JSON Schema (2020-12) that schemas/avatar-manifest.schema.json uses, checked by hand:
// no validator is among the project's dependencies, and one test does not justify adding one.
// A keyword this file does not know fails loudly, so the schema cannot grow past what is checked.

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "title", "description"]);
const KNOWN = new Set([
  ...ANNOTATIONS,
  "$ref",
  "type",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minItems",
  "maxLength",
  "pattern",
  "allOf",
  "anyOf",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

/** The problems of `value` against `schema`, each with its JSON path; [] when it is valid. */
export function validate(root: Schema, value: unknown): string[] {
  const check = (schema: Schema, value: unknown, at: string): string[] => {
    for (const keyword of Object.keys(schema)) {
      if (!KNOWN.has(keyword)) throw new Error(`${at}: schema keyword "${keyword}" is not checked`);
    }
    if (typeof schema.$ref === "string") {
      const name = schema.$ref.replace(/^#\/\$defs\//, "");
      const target = (root.$defs as Record<string, Schema> | undefined)?.[name];
      if (!target) throw new Error(`${at}: unknown $ref ${schema.$ref}`);
      return check(target, value, at);
    }
    const type = typeOf(value);
    if (schema.type !== undefined) {
      const types = [schema.type].flat() as string[];
      if (!types.includes(type)) return [`${at}: is ${type}, not ${types.join(" or ")}`];
    }
    const problems: string[] = [];
    if (typeof value === "string") {
      if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) {
        problems.push(`${at}: longer than ${schema.maxLength}`);
      }
      if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
        problems.push(`${at}: does not match ${schema.pattern}`);
      }
    }
    if (Array.isArray(value)) {
      if (typeof schema.minItems === "number" && value.length < schema.minItems) {
        problems.push(`${at}: fewer than ${schema.minItems} items`);
      }
      if (schema.items) {
        value.forEach((item, i) => {
          problems.push(...check(schema.items as Schema, item, `${at}[${i}]`));
        });
      }
    }
    if (type === "object") {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) {
        if (!(key in object)) problems.push(`${at}: "${key}" is required`);
      }
      for (const [key, item] of Object.entries(object)) {
        if (properties[key]) problems.push(...check(properties[key], item, `${at}.${key}`));
        else if (schema.additionalProperties === false) problems.push(`${at}: unknown "${key}"`);
      }
    }
    for (const part of (schema.allOf ?? []) as Schema[]) problems.push(...check(part, value, at));
    const anyOf = schema.anyOf as Schema[] | undefined;
    if (anyOf && !anyOf.some((part) => check(part, value, at).length === 0)) {
      problems.push(`${at}: matches none of ${anyOf.length} alternatives`);
    }
    return problems;
  };
  return check(root, value, "$");
}
