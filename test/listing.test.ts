import { describe, expect, it } from "vitest";
import { CreatifyError } from "../src/creatify/errors.ts";
import { nextPath, readPage } from "../src/creatify/listing.ts";

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
