import { describe, expect, it, type TestContext } from "vitest";
import { CreatifyError } from "../../src/creatify/errors.ts";
import { Http } from "../../src/creatify/http.ts";
import { MAX_PAGES, nextPath, readListing, readPage } from "../../src/creatify/listing.ts";
import { type SandboxOptions, startSandbox } from "../sandbox/server.ts";

const BASE = "https://api.creatify.ai";
const WHAT = "GET /api/personas_v2/";
const paged = (next: unknown, results: unknown[] = [{ id: "a" }], count = 3) => ({
  count,
  next,
  previous: null,
  results,
});

describe("readPage: a listing's answer, whole or an error", () => {
  it.each<[string, unknown, { items: unknown[]; next: string | undefined; count?: number }]>([
    ["a plain array is the whole list", [{ id: "a" }], { items: [{ id: "a" }], next: undefined }],
    ["an empty array", [], { items: [], next: undefined }],
    ["a last page", paged(null), { items: [{ id: "a" }], next: undefined, count: 3 }],
    [
      "a page with a next on the API's origin",
      paged(`${BASE}/api/personas_v2/?page=2`),
      { items: [{ id: "a" }], next: "/api/personas_v2/?page=2", count: 3 },
    ],
    [
      "a relative next",
      paged("/api/personas_v2/?cursor=cD0y"),
      { items: [{ id: "a" }], next: "/api/personas_v2/?cursor=cD0y", count: 3 },
    ],
  ])("%s", (_name, answer, expected) => {
    expect(readPage(answer, BASE, WHAT)).toMatchObject(expected);
  });

  it.each<[string, unknown, string]>([
    ["an object that is no page", { avatars: [] }, "neither a list nor a paged list"],
    ["results that are not a list", { count: 1, next: null, results: {} }, "neither a list"],
    ["a page with keys besides DRF's", { ...paged(null), more: 1 }, "neither a list"],
    ["null", null, "neither a list"],
    ["a string", "[]", "neither a list"],
    ["a next that is no link", paged(7), `"next" is not a link`],
    [
      "a next on another host",
      paged("https://evil.example/api/personas_v2/?page=2"),
      "the next page is on https://evil.example, not on the API's origin https://api.creatify.ai; not followed",
    ],
    [
      "a next over http",
      paged("http://api.creatify.ai/api/personas_v2/?page=2"),
      "http://api.creatify.ai",
    ],
    [
      "a next on another port",
      paged("https://api.creatify.ai:8443/x/"),
      "https://api.creatify.ai:8443",
    ],
  ])("%s is an error, never part of a list", (_name, answer, message) => {
    const error = (() => {
      try {
        readPage(answer, BASE, WHAT);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CreatifyError);
    expect((error as Error).message).toContain(`${WHAT}: `);
    expect((error as Error).message).toContain(message);
  });
});

describe("nextPath: under an API root with a path", () => {
  it.each<[string, string, string | RegExp]>([
    [
      "http://127.0.0.1:8080/proxy",
      "http://127.0.0.1:8080/proxy/api/lipsyncs_v2/?page=3",
      "/api/lipsyncs_v2/?page=3",
    ],
    ["http://127.0.0.1:8080/proxy/", "/proxy/api/lipsyncs_v2/?page=3", "/api/lipsyncs_v2/?page=3"],
    [
      "http://127.0.0.1:8080/proxy",
      "http://127.0.0.1:8080/other/api/",
      /outside the API root \/proxy\//,
    ],
    [
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8081/api/lipsyncs_v2/?page=2",
      /on http:\/\/127\.0\.0\.1:8081, not/,
    ],
  ])("root %s, next %s", (base, next, expected) => {
    if (typeof expected === "string") expect(nextPath(next, base, WHAT)).toBe(expected);
    else expect(() => nextPath(next, base, WHAT)).toThrow(expected);
  });
});

/** The list reader against a sandbox whose listings come `listPageSize` a page. */
async function listed({ onTestFinished }: TestContext, seeds: number, options: SandboxOptions) {
  const sandbox = await startSandbox(options);
  for (let i = 0; i < seeds; i++) sandbox.seed({ creator_name: `Avatar ${i}` });
  const http = new Http({
    baseUrl: sandbox.url,
    apiId: sandbox.apiId,
    apiKey: sandbox.apiKey,
    log: { info() {}, warning() {}, notice() {}, error() {}, debug() {} },
  });
  onTestFinished(async () => {
    http.close();
    await sandbox.close();
  });
  const names = readListing(http, "/api/personas_v2/").then(
    (items) => items.map((item) => (item as { creator_name: string }).creator_name),
    (error: unknown) => error as Error,
  );
  return { sandbox, names };
}

describe("readListing: every page, or an error", () => {
  it("follows next through every page, in order", async (context) => {
    const { sandbox, names } = await listed(context, 5, { listPageSize: 2 });
    expect(await names).toEqual([0, 1, 2, 3, 4].map((i) => `Avatar ${i}`));
    expect(sandbox.requests.map((r) => r.query.page)).toEqual([undefined, "2", "3"]);
  });

  it(`reads ${MAX_PAGES} pages, and no more`, async (context) => {
    const whole = await listed(context, MAX_PAGES, { listPageSize: 1 });
    expect(await whole.names).toHaveLength(MAX_PAGES);
    const more = await listed(context, MAX_PAGES + 1, { listPageSize: 1 });
    expect(String(await more.names)).toContain(
      `GET /api/personas_v2/: more than ${MAX_PAGES} pages; the listing was not read whole`,
    );
    expect(more.sandbox.requests).toHaveLength(MAX_PAGES);
  });

  it("fails on a listing whose pages hold fewer items than its count", async (context) => {
    const { sandbox, names } = await listed(context, 0, {});
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: JSON.stringify({ count: 3, next: null, previous: null, results: [] }),
    });
    expect(String(await names)).toContain(
      "GET /api/personas_v2/: the listing says 3 items but its pages held 0",
    );
  });
});
