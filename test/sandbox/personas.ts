// The Creatify persona routes (`personas`, `personas_v2`). Each reads its whole body before answering, so a
// fault that answers "after processing" really answers after the upload arrived.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { drain, type Multipart, readBody, readMultipart } from "./body.ts";
import { detail, json, type Lister, NOT_FOUND, noContent } from "./reply.ts";
import { createView, readView } from "./schema.ts";
import { type NewPersona, type PersonaStore, uploadedUrl } from "./store.ts";
import type { RecordedFile, RecordedRequest, Reply } from "./types.ts";
import { add, type FieldErrors, url, validateFields } from "./validate.ts";

export interface ApiContext {
  store: PersonaStore;
  maxCount: number;
  refuseLabelsWith: string | undefined;
  refuseKeywordsWith: string | undefined;
  stripFingerprint: boolean;
  ignoreConsentVideo: boolean;
  list: Lister;
  /** Answer a read of one avatar with another id than asked, as a broken cache might. */
  readOtherId: boolean;
}

const FINGERPRINT = "video-sha256:";

const VIDEO_TYPES = ["video/mp4", "video/quicktime"];
const NOT_A_FILE = "The submitted data was not a file. Check the encoding type on the form.";
const QUOTA = "You have reached the maximum number of custom avatars.";

export async function route(
  req: IncomingMessage,
  rec: RecordedRequest,
  ctx: ApiContext,
): Promise<Reply> {
  const { method, path } = rec;
  if (path === "/api/personas_v2/count/") {
    return readOnly(req, rec, ["GET"], () =>
      json(200, { max_count: ctx.maxCount, current_count: ctx.store.currentCount() }),
    );
  }
  if (path === "/api/personas_v2/") {
    if (method === "POST") return createFromFiles(req, rec, ctx);
    return readOnly(req, rec, ["GET"], () => ctx.list(ctx.store.personas.map(readView), rec));
  }
  if (path === "/api/personas/") {
    if (method === "POST") return createFromUrls(req, rec, ctx);
    return readOnly(req, rec, ["POST"], () => detail(405, notAllowed(method)));
  }
  const id = /^\/api\/personas\/([^/]+)\/$/.exec(path)?.[1];
  if (id !== undefined) {
    return readOnly(req, rec, ["GET", "DELETE"], () => {
      const persona = ctx.store.get(decodeURIComponent(id));
      if (!persona) return detail(404, NOT_FOUND);
      if (rec.method === "DELETE") {
        ctx.store.delete(persona.id);
        return noContent();
      }
      const read = readView(ctx.store.read(persona));
      return json(200, ctx.readOtherId ? { ...read, id: randomUUID() } : read);
    });
  }
  await drain(req, rec);
  return detail(404, NOT_FOUND);
}

async function readOnly(
  req: IncomingMessage,
  rec: RecordedRequest,
  allowed: string[],
  answer: () => Reply,
): Promise<Reply> {
  await drain(req, rec);
  if (!allowed.includes(rec.method)) return detail(405, notAllowed(rec.method));
  return answer();
}

function notAllowed(method: string): string {
  return `Method "${method}" not allowed.`;
}

async function createFromFiles(
  req: IncomingMessage,
  rec: RecordedRequest,
  ctx: ApiContext,
): Promise<Reply> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    await drain(req, rec);
    return detail(415, `Unsupported media type "${type}" in request.`);
  }
  const form = await readMultipart(req, rec);
  // The action promises an exact Content-Length for its streamed upload; chunked bodies fail here.
  const declared = req.headers["content-length"];
  if (declared === undefined || Number(declared) !== rec.bytes) {
    return detail(
      400,
      `Content-Length ${declared ?? "missing"} does not match the ${rec.bytes} bytes received.`,
    );
  }
  if (typeof form === "string") return detail(400, form);

  const errors: FieldErrors = {};
  const lipsync = filePart(form, "lipsync_input", true, errors);
  const consent = filePart(form, "consent_video", false, errors);
  const data: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(form.fields)) data[name] = values.at(-1);
  data.labels = form.fields.labels;
  const fields = validateFields(data, errors);
  if (!fields || !lipsync) return json(400, errors);
  const stored = uploadedUrl(lipsync.filename);
  return create(ctx, {
    ...fields,
    lipsync_input: stored,
    lipsync_input_url: stored,
    consent_video: consent ? uploadedUrl(consent.filename) : null,
  });
}

/** The last file part of that name, checked like Creatify's video FileField. */
function filePart(
  form: Multipart,
  name: string,
  required: boolean,
  errors: FieldErrors,
): RecordedFile | undefined {
  const file = form.files.filter((f) => f.field === name).at(-1);
  if (!file) {
    // A part without a filename arrives as a text field.
    if (form.fields[name]) return add(errors, name, NOT_A_FILE);
    return required ? add(errors, name, "No file was submitted.") : undefined;
  }
  if (!file.filename) return add(errors, name, "No filename could be determined.");
  if (!VIDEO_TYPES.includes(file.contentType.toLowerCase())) {
    return add(
      errors,
      name,
      `Unsupported file type "${file.contentType}": upload video/mp4 or video/quicktime.`,
    );
  }
  if (file.bytes === 0) return add(errors, name, "The submitted file is empty.");
  return file;
}

async function createFromUrls(
  req: IncomingMessage,
  rec: RecordedRequest,
  ctx: ApiContext,
): Promise<Reply> {
  const type = req.headers["content-type"] ?? "";
  const body = await readBody(req, rec);
  if (!type.toLowerCase().startsWith("application/json")) {
    return detail(415, `Unsupported media type "${type}" in request.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return detail(400, `JSON parse error - ${(error as Error).message}`);
  }
  rec.json = data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const got = Array.isArray(data) ? "list" : typeof data;
    return json(400, {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`],
    });
  }
  const record = data as Record<string, unknown>;
  const errors: FieldErrors = {};
  const lipsync = url(record, "lipsync_input", errors, { required: true, max: 2048 });
  const consent = url(record, "consent_video", errors, { required: false, max: 2048 });
  const fields = validateFields(record, errors);
  if (!fields || !lipsync) return json(400, errors);
  return create(ctx, {
    ...fields,
    lipsync_input: lipsync,
    lipsync_input_url: lipsync,
    consent_video: consent ?? null,
  });
}

/** Stores a validated create, as strict or lax as the options make this Creatify; 201 with the create schema. */
function create(ctx: ApiContext, fields: NewPersona): Reply {
  const labelPrefix = ctx.refuseLabelsWith;
  if (labelPrefix !== undefined && fields.labels.some((label) => label.startsWith(labelPrefix))) {
    return json(400, { labels: [`Labels starting with "${labelPrefix}" are not allowed.`] });
  }
  const keywordPrefix = ctx.refuseKeywordsWith;
  const keywords = (fields.keywords ?? "").split(",").map((item) => item.trim());
  if (keywordPrefix !== undefined && keywords.some((item) => item.startsWith(keywordPrefix))) {
    return json(400, { keywords: [`Keywords starting with "${keywordPrefix}" are not allowed.`] });
  }
  if (ctx.store.currentCount() >= ctx.maxCount) return detail(400, QUOTA);
  const kept = keywords.filter((item) => item !== "" && !item.startsWith(FINGERPRINT));
  const stored = ctx.store.create({
    ...fields,
    keywords: ctx.stripFingerprint ? kept.join(", ") || null : fields.keywords,
    consent_video: ctx.ignoreConsentVideo ? null : fields.consent_video,
  });
  return json(201, createView(stored));
}
