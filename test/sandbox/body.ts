// Reading request bodies while keeping RecordedRequest.bytes current as data arrives, so tests
// can observe partial uploads and the multipart path never holds a whole file in memory.

import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import type { RecordedFile, RecordedRequest } from "./types.ts";

/** Thrown when the client goes away before its body is complete: nothing must be answered. */
export class ClientGone extends Error {}

function counted(req: IncomingMessage, rec: RecordedRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on("data", (chunk: Buffer) => {
      rec.bytes += chunk.length;
    });
    req.on("end", () => resolve());
    req.on("close", () => {
      if (!req.complete) reject(new ClientGone("client closed the connection mid-body"));
    });
    req.on("error", () => reject(new ClientGone("request stream error")));
  });
}

/** Reads a small (non-upload) body whole. */
export async function readBody(req: IncomingMessage, rec: RecordedRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  await counted(req, rec);
  return Buffer.concat(chunks);
}

/** Consumes and discards the body. */
export async function drain(req: IncomingMessage, rec: RecordedRequest): Promise<void> {
  if (req.readableEnded) return;
  await counted(req, rec);
}

export interface Multipart {
  fields: Record<string, string[]>;
  files: RecordedFile[];
}

/**
 * Streams a multipart body through busboy, counting file bytes as they pass.
 * Resolves with a DRF-style parse error message (and the body drained) when it is not valid multipart.
 */
export async function readMultipart(
  req: IncomingMessage,
  rec: RecordedRequest,
): Promise<Multipart | string> {
  let parser: busboy.Busboy;
  try {
    // Filenames in UTF-8, as browsers and undici's FormData send them.
    parser = busboy({ headers: req.headers, defParamCharset: "utf8" });
  } catch (error) {
    await drain(req, rec);
    return `Multipart form parse error - ${(error as Error).message}`;
  }
  const result: Multipart = { fields: {}, files: [] };
  rec.fields = result.fields;
  rec.files = result.files;
  const parts: string[] = [];
  rec.parts = parts;
  parser.on("field", (name, value) => {
    parts.push(name);
    const values = result.fields[name] ?? [];
    values.push(value);
    result.fields[name] = values;
  });
  parser.on("file", (field, stream, info) => {
    parts.push(field);
    const file: RecordedFile = {
      field,
      filename: info.filename ?? "",
      contentType: info.mimeType,
      bytes: 0,
    };
    result.files.push(file);
    // A hash of what arrived, so tests can tell a byte-exact upload from one of the right length.
    const hash = createHash("sha256");
    stream.on("data", (chunk: Buffer) => {
      file.bytes += chunk.length;
      hash.update(chunk);
    });
    stream.on("end", () => {
      file.sha256 = hash.digest("hex");
    });
  });
  const parsed = new Promise<string | undefined>((resolve) => {
    parser.on("close", () => resolve(undefined));
    parser.on("error", (error: Error) => {
      req.unpipe(parser);
      req.resume();
      resolve(`Multipart form parse error - ${error.message}`);
    });
  });
  const body = counted(req, rec);
  req.pipe(parser);
  await body;
  // Busboy always ends with "close", after "error" when the form was malformed or cut short.
  const problem = await parsed;
  return problem ?? result;
}
