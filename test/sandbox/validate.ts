// Field validation with Django REST Framework's messages, so the action's error reporting is
// exercised against the shapes the real API produces.

export type FieldErrors = Record<string, string[]>;

export interface CreateFields {
  creator_name: string;
  gender: string;
  video_scene: string;
  keywords: string | null;
  webhook_url: string | null;
  labels: string[];
}

const GENDERS = ["m", "f", "nb"];

/** Validates the text fields common to both create endpoints; values are as decoded (unknown for JSON). */
export function validateFields(
  data: Record<string, unknown>,
  errors: FieldErrors,
): CreateFields | undefined {
  const creator_name = text(data, "creator_name", errors, { required: true, max: 255 });
  const gender = choice(data, "gender", errors);
  const video_scene = text(data, "video_scene", errors, { required: true, max: 255 });
  const keywords = text(data, "keywords", errors, { required: false, max: 255 });
  const webhook_url = url(data, "webhook_url", errors, { required: false, max: 200 });
  const labels = list(data, "labels", errors);
  if (Object.keys(errors).length > 0) return undefined;
  return {
    creator_name: creator_name ?? "",
    gender: gender ?? "",
    video_scene: video_scene ?? "",
    keywords: keywords ?? null,
    webhook_url: webhook_url ?? null,
    labels,
  };
}

interface TextRule {
  required: boolean;
  max: number;
}

/** A CharField: blank optional values count as absent. */
export function text(
  data: Record<string, unknown>,
  name: string,
  errors: FieldErrors,
  rule: TextRule,
): string | undefined {
  const value = data[name];
  if (value === undefined || (value === null && !rule.required)) {
    if (rule.required) add(errors, name, "This field is required.");
    return undefined;
  }
  if (value === null) return add(errors, name, "This field may not be null.");
  if (typeof value !== "string" && typeof value !== "number") {
    return add(errors, name, "Not a valid string.");
  }
  const s = String(value);
  if (s.trim() === "") {
    return rule.required ? add(errors, name, "This field may not be blank.") : undefined;
  }
  // Python counts code points, not UTF-16 units.
  if (Array.from(s).length > rule.max) {
    return add(errors, name, `Ensure this field has no more than ${rule.max} characters.`);
  }
  return s;
}

export function url(
  data: Record<string, unknown>,
  name: string,
  errors: FieldErrors,
  rule: TextRule,
): string | undefined {
  const s = text(data, name, errors, rule);
  if (s === undefined) return undefined;
  if (!isHttpUrl(s)) return add(errors, name, "Enter a valid URL.");
  return s;
}

function choice(data: Record<string, unknown>, name: string, errors: FieldErrors) {
  const value = data[name];
  if (value === undefined) return add(errors, name, "This field is required.");
  if (value === null) return add(errors, name, "This field may not be null.");
  const s = String(value);
  if (!GENDERS.includes(s)) return add(errors, name, `"${s}" is not a valid choice.`);
  return s;
}

function list(data: Record<string, unknown>, name: string, errors: FieldErrors): string[] {
  const value = data[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    add(errors, name, `Expected a list of items but got type "${pyType(value)}".`);
    return [];
  }
  const items: string[] = [];
  for (const item of value) {
    if (typeof item !== "string" && typeof item !== "number") {
      add(errors, name, "Not a valid string.");
      return [];
    }
    items.push(String(item));
  }
  return items;
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

export function add(errors: FieldErrors, name: string, message: string): undefined {
  const list = errors[name] ?? [];
  list.push(message);
  errors[name] = list;
  return undefined;
}

function pyType(value: unknown): string {
  if (typeof value === "string") return "str";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "dict";
}
