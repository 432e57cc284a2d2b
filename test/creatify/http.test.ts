import { describe, expect, it } from "vitest";
import { CreatifyError } from "../../src/creatify/errors.ts";
import { describeErrorBody } from "../../src/creatify/http.ts";
import { dispatcherFor } from "../../src/creatify/transport.ts";
import { DEFAULT_BACKOFF } from "../../src/retry.ts";
import { htmlFault } from "../sandbox/server.ts";
import {
  calls,
  client,
  closedPortUrl,
  lines,
  newClient,
  newHttp,
  sandbox,
  sleeps,
  useSandbox,
} from "../support/http-sandbox.ts";

useSandbox();

describe("describeErrorBody", () => {
  it("gives a DRF detail as is", () => {
    expect(describeErrorBody({ detail: "Invalid API credentials." })).toBe(
      "Invalid API credentials.",
    );
  });

  it("lists field errors with their messages", () => {
    expect(
      describeErrorBody({
        gender: ['"x" is not a valid choice.'],
        video_scene: ["This field is required.", "Second message."],
      }),
    ).toBe(
      'gender: "x" is not a valid choice.; video_scene: This field is required. Second message.',
    );
  });

  it("keeps detail as a field when other fields come along", () => {
    expect(describeErrorBody({ detail: "Bad.", code: "quota" })).toBe("detail: Bad.; code: quota");
  });

  it("copes with nested errors, strings and other JSON", () => {
    expect(describeErrorBody({ labels: { 0: ["Too long."] } })).toBe('labels: {"0":["Too long."]}');
    expect(describeErrorBody({ non_field_errors: ["Invalid data."] })).toBe(
      "non_field_errors: Invalid data.",
    );
    expect(describeErrorBody("plain words")).toBe("plain words");
    expect(describeErrorBody(null)).toBe("null");
    expect(describeErrorBody(42)).toBe("42");
  });
});

describe("reads", () => {
  it("retry a burst of 503s with growing backoff, then succeed", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/count/",
      kind: "status",
      status: 503,
      times: 3,
    });
    expect(await newClient().quota()).toEqual({ max_count: 10, current_count: 0 });
    expect(calls()).toEqual(Array(4).fill("GET /api/personas_v2/count/"));
    expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(lines[0]).toBe(
      "info: GET /api/personas_v2/count/: HTTP 503: A server error occurred.; retrying in 250ms (attempt 2 of 5)",
    );
  });

  it("honour Retry-After on 429", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 429,
      headers: { "retry-after": "3" },
    });
    expect(await newClient().list()).toEqual([]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(sandbox.requests).toHaveLength(2);
  });

  it("retry a reset connection and a 502", async () => {
    const persona = sandbox.seed({ creator_name: "Ana" });
    const path = `/api/personas/${persona.id}/`;
    sandbox.fault({ method: "GET", path, kind: "reset", afterStore: false });
    sandbox.fault({ method: "GET", path, kind: "status", status: 502 });
    expect(await newClient().get(persona.id)).toMatchObject({ id: persona.id });
    expect(sandbox.requests.map((r) => r.status)).toEqual([undefined, 502, 200]);
    expect(sleeps).toHaveLength(2);
  });

  it("give up after the policy's attempts with the last failure", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 503,
      times: 10,
    });
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreatifyError);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 503: A server error occurred.",
      status: 503,
    });
    expect(sandbox.requests).toHaveLength(5);
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it("report a non-JSON HTML page by status and content type", async () => {
    sandbox.fault(htmlFault("GET", "/api/personas_v2/", 502));
    expect(await newClient().list()).toEqual([]);
    expect(lines[0]).toMatch(
      /^info: GET \/api\/personas_v2\/: HTTP 502: a text\/html body, not JSON; retrying in/,
    );

    sandbox.fault(htmlFault("GET", "/api/personas_v2/", 502, 10));
    const error = await client?.list().catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "GET /api/personas_v2/: HTTP 502: a text/html body, not JSON",
      status: 502,
    });
    expect(String((error as Error).message)).not.toContain("<html>");
  });

  it("do not retry 401, and never show the credentials", async () => {
    const error = await newClient({ apiKey: "wrong-secret-key-987" })
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "final", reason: "credentials", status: 401 });
    expect((error as Error).message).toBe(
      "GET /api/personas_v2/: Creatify refused the credentials (HTTP 401); check the api-id and api-key inputs (Invalid API credentials.)",
    );
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]?.headers["x-api-key"]).toBe("wrong-secret-key-987");
    expect(JSON.stringify(lines)).not.toContain("wrong-secret-key-987");
  });

  it("say an unknown avatar does not exist, without retrying", async () => {
    const error = await newClient()
      .get("no-such-id")
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Avatar "no-such-id" does not exist \(HTTP 404/);
    expect(sandbox.requests).toHaveLength(1);
  });

  it("refuse a 200 that is not JSON", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      body: "<html>login</html>",
      contentType: "text/html; charset=utf-8",
    });
    const error = await newClient()
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "final",
      reason: "not-json",
      message:
        "GET /api/personas_v2/: HTTP 200 with a text/html; charset=utf-8 content type, not JSON",
    });
    expect(sandbox.requests).toHaveLength(1);
  });

  it("time out on a server that never answers, with a clear message", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "hang", times: 10 });
    const started = Date.now();
    // Three attempts keep the test short.
    const error = await newClient({
      readTimeoutMs: 150,
      backoff: { ...DEFAULT_BACKOFF, attempts: 3 },
    })
      .list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: "GET /api/personas_v2/: no answer in time (IDLE_TIMEOUT)",
    });
    expect(sandbox.requests).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("abandon a read and its retries at the deadline", async () => {
    const persona = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({ method: "GET", path: "/api/personas/*", kind: "hang", times: 10 });
    const started = Date.now();
    const error = await newClient()
      .get(persona.id, started + 300)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({
      kind: "ambiguous",
      reason: "timeout",
      message: `GET /api/personas/${persona.id}/: no answer in time (deadline)`,
    });
    expect(sandbox.requests).toHaveLength(1);
  });
});

describe("a dispatcher shared with other requests", () => {
  it("carries the layer's requests and stays open when the layer closes", async () => {
    const shared = dispatcherFor({});
    try {
      const layer = newHttp({ dispatcher: shared });
      await layer.read({ method: "GET", path: "/api/personas_v2/" });
      layer.close();
      const other = await shared.request({
        origin: sandbox.url,
        path: "/api/personas_v2/count/",
        method: "GET",
      });
      expect(other.statusCode).toBe(401);
      await other.body.dump();
      expect(calls()).toEqual(["GET /api/personas_v2/", "GET /api/personas_v2/count/"]);
    } finally {
      await shared.destroy();
    }
  });
});

describe("list", () => {
  it("reads a plain array, and a paginated {results} the same way", async () => {
    const seeded = sandbox.seed({ creator_name: "Ana" });
    expect((await newClient().list()).map((p) => p.id)).toEqual([seeded.id]);
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/",
      kind: "status",
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ count: 1, next: null, results: [seeded] }),
    });
    expect((await newClient().list()).map((p) => p.id)).toEqual([seeded.id]);
  });
});

describe("delete", () => {
  it("takes a 204 without body or content type, retried like a read through 5xx", async () => {
    const { id } = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({ method: "DELETE", path: `/api/personas/${id}/`, kind: "status", status: 502 });
    await newClient().delete(id);
    expect(calls()).toEqual([`DELETE /api/personas/${id}/`, `DELETE /api/personas/${id}/`]);
    expect(sandbox.requests.map((r) => r.status)).toEqual([502, 204]);
    expect(sleeps).toEqual([250]);
    expect(sandbox.personas).toEqual([]);
  });

  it("counts an avatar already gone (404) as deleted", async () => {
    await expect(newClient().delete("gone")).resolves.toBeUndefined();
    expect(calls()).toEqual(["DELETE /api/personas/gone/"]);
  });

  it("throws after the policy's attempts of 500", async () => {
    const { id } = sandbox.seed({ creator_name: "Ana" });
    sandbox.fault({
      method: "DELETE",
      path: "/api/personas/*",
      kind: "status",
      status: 500,
      times: 5,
    });
    await expect(newClient().delete(id)).rejects.toThrow(/DELETE \/api\/personas\/.*HTTP 500/);
    expect(calls()).toHaveLength(DEFAULT_BACKOFF.attempts);
  });

  it("still refuses a 200 without a body: only a 204 may be empty", async () => {
    sandbox.fault({
      method: "GET",
      path: "/api/personas_v2/count/",
      kind: "status",
      status: 200,
      body: "",
    });
    await expect(
      newHttp().read({ method: "GET", path: "/api/personas_v2/count/" }),
    ).rejects.toThrow(/HTTP 200 .*not JSON/);
  });
});

describe("one attempt (Http.send) classifies real transport failures", () => {
  it("a refused connection is unprocessed", async () => {
    const error = await newHttp({ baseUrl: await closedPortUrl() })
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unprocessed", reason: "network" });
    expect((error as Error).message).toMatch(
      /^GET \/api\/personas_v2\/: cannot connect \(ECONNREFUSED/,
    );
  });

  it("a reset is ambiguous", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "reset", afterStore: false });
    const error = await newHttp()
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "network" });
    expect((error as Error).message).toMatch(/^GET \/api\/personas_v2\/: connection lost \(/);
  });

  it("no headers in time is an ambiguous timeout", async () => {
    sandbox.fault({ method: "GET", path: "/api/personas_v2/", kind: "hang" });
    const error = await newHttp({ readTimeoutMs: 100 })
      .send({ method: "GET", path: "/api/personas_v2/" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout" });
  });
});
