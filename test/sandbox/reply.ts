// Small constructors for route answers.

import type { Reply } from "./types.ts";

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return {
    status,
    body: JSON.stringify(value),
    contentType: "application/json",
    ...(headers ? { headers } : {}),
  };
}

/** DRF's shape for auth, not-found, throttling and other non-field errors. */
export function detail(status: number, message: string): Reply {
  return json(status, { detail: message });
}

export const NOT_FOUND = "Not found.";

/** A delete's answer: 204, no body, no content type. */
export function noContent(): Reply {
  return { status: 204, body: "", contentType: "" };
}
