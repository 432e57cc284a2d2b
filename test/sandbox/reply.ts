// Small constructors for route answers.

import type { RecordedRequest, Reply } from "./types.ts";

/** How a route answers a listing (`listing` below, bound to the sandbox's paging options). */
export type Lister = (items: readonly unknown[], rec: RecordedRequest) => Reply;
export const plainList: Lister = (items) => json(200, items);

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

/**
 * A listing: a plain array, as Creatify documents it, or with `listPageSize` the page `?page=N`
 * of Django REST Framework's `{count, next, previous, results}`, its links on `origin`.
 */
export function listing(
  items: readonly unknown[],
  query: Record<string, string>,
  path: string,
  paging: { listPageSize?: number | undefined; origin: string },
): Reply {
  const size = paging.listPageSize;
  if (size === undefined) return json(200, items);
  const page = Number(query.page ?? "1");
  if (!Number.isInteger(page) || page < 1 || (page - 1) * size > Math.max(0, items.length - 1)) {
    return detail(404, "Invalid page.");
  }
  const link = (n: number) => `${paging.origin}${path}?page=${n}`;
  return json(200, {
    count: items.length,
    next: page * size < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  });
}
