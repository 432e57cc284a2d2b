import { CreatifyError } from "./errors.js";
import type { Http } from "./http.js";

/** Pages followed at most: a `next` that never ends is a broken or hostile server. */
export const MAX_PAGES = 100;
/**
 * Items kept at most over all pages: about what one answer within its bounds holds (750,000
 * JSON values at ~23 per avatar), so a paged listing costs no more memory than a plain one.
 */
const MAX_LISTED = 30_000;

/** One page of a listing: its items, the path of the next page if any, and the count it claims. */
export interface Page {
  readonly items: readonly unknown[];
  readonly next: string | undefined;
  readonly count: number | undefined;
}

const PAGED_KEYS = ["count", "next", "previous", "results"];

/**
 * What one answer of a listing holds. A plain array is the whole list (as Creatify documents
 * it); Django REST Framework's paged form `{count, next, previous, results}` is a page whose
 * `next` is followed only on the API's own origin, since the credentials go with it. Any other
 * shape throws: a create decided on a listing not read whole can bill twice.
 */
export function readPage(answer: unknown, baseUrl: string, what: string): Page {
  if (Array.isArray(answer)) return { items: answer, next: undefined, count: undefined };
  const paged = answer as { count?: unknown; next?: unknown; results?: unknown } | null;
  const keys = typeof paged === "object" && paged !== null ? Object.keys(paged) : [];
  if (!paged || !Array.isArray(paged.results) || keys.some((key) => !PAGED_KEYS.includes(key))) {
    throw notWhole(
      `${what}: answer is neither a list nor a paged list {count, next, previous, results}`,
    );
  }
  const { count, next } = paged;
  if (next !== null && next !== undefined && typeof next !== "string") {
    throw notWhole(`${what}: the page's "next" is not a link`);
  }
  return {
    items: paged.results,
    next: next ? nextPath(next, baseUrl, what) : undefined,
    count: typeof count === "number" ? count : undefined,
  };
}

/** The path under the API root of a `next` link; another origin or a path outside the root throws. */
export function nextPath(next: string, baseUrl: string, what: string): string {
  const root = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(next, root);
  } catch {
    throw notWhole(`${what}: the page's "next" is not a URL`);
  }
  if (url.origin !== root.origin) {
    throw notWhole(
      `${what}: the next page is on ${url.origin}, not on the API's origin ${root.origin}; not followed, since the credentials would go with it`,
    );
  }
  const prefix = root.pathname.replace(/\/+$/, "");
  if (!url.pathname.startsWith(`${prefix}/`)) {
    throw notWhole(`${what}: the next page ${url.pathname} is outside the API root ${prefix}/`);
  }
  return url.pathname.slice(prefix.length) + url.search;
}

/**
 * A listing read whole, every page within one call's time (the pages share it) and within
 * MAX_PAGES and MAX_LISTED; or an error, never part of it.
 */
export async function readListing(http: Http, path: string): Promise<unknown[]> {
  const what = `GET ${path}`;
  const budgetEnd = http.budgetEnd();
  const items: unknown[] = [];
  let page: Page | undefined;
  for (let pages = 0, next: string | undefined = path; next !== undefined; pages++) {
    if (pages === MAX_PAGES) {
      throw notWhole(`${what}: more than ${MAX_PAGES} pages; the listing was not read whole`);
    }
    page = readPage(await http.read({ method: "GET", path: next, budgetEnd }), http.baseUrl, what);
    items.push(...page.items);
    if (items.length > MAX_LISTED) {
      throw notWhole(`${what}: more than ${MAX_LISTED} items; the listing was not read whole`);
    }
    next = page.next;
  }
  if (page?.count !== undefined && page.count !== items.length) {
    throw notWhole(
      `${what}: the listing says ${page.count} items but its pages held ${items.length}; it changed or was cut short while read, so nothing is decided on it (re-run)`,
    );
  }
  return items;
}

function notWhole(message: string): CreatifyError {
  return new CreatifyError(message, "final", "not-json");
}
