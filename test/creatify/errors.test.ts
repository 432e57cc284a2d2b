import { describe, expect, it } from "vitest";
import { httpFailure, networkFailure } from "../../src/creatify/errors.ts";

/** An error as Node or the transport raise it: a code, maybe wrapped. */
function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe("networkFailure", () => {
  it("treats a refused connection as unprocessed", () => {
    const error = networkFailure(coded("ECONNREFUSED"), "POST /api/personas_v2/", false);
    expect(error).toMatchObject({ kind: "unprocessed", reason: "network" });
    expect(error.message).toBe("POST /api/personas_v2/: cannot connect (ECONNREFUSED)");
  });

  it.each([
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "CONNECT_TIMEOUT",
    "UND_ERR_CONNECT_TIMEOUT",
    "ERR_PROXY_TUNNEL",
    "UND_ERR_PRX_CONN",
  ])("treats %s as unprocessed", (code) => {
    expect(networkFailure(coded(code), "GET /x/", false).kind).toBe("unprocessed");
  });

  it.each(["ECONNRESET", "ECONNABORTED", "EPIPE", "UND_ERR_SOCKET"])(
    "treats %s (the request may have arrived) as ambiguous",
    (code) => {
      const error = networkFailure(coded(code), "POST /api/personas_v2/", false);
      expect(error).toMatchObject({ kind: "ambiguous", reason: "network" });
      expect(error.message).toBe(`POST /api/personas_v2/: connection lost (${code})`);
    },
  );

  it("treats a silent connection or a system timeout as an ambiguous timeout", () => {
    for (const code of [
      "IDLE_TIMEOUT",
      "ETIMEDOUT",
      "UND_ERR_HEADERS_TIMEOUT",
      "UND_ERR_BODY_TIMEOUT",
    ]) {
      const error = networkFailure(coded(code), "POST /api/personas/", false);
      expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout" });
      expect(error.message).toBe(`POST /api/personas/: no answer in time (${code})`);
    }
  });

  it.each(["DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID"])(
    "treats an untrusted certificate (%s) as final: nothing was sent, and again would meet it",
    (code) => {
      const error = networkFailure(coded(code), "POST /api/personas_v2/", false);
      expect(error).toMatchObject({ kind: "final", reason: "network" });
      expect(error.message).toContain(`cannot trust the server's certificate (${code})`);
    },
  );

  it("treats an aborted deadline as an ambiguous timeout", () => {
    const abort = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    const error = networkFailure(abort, "GET /api/personas/x/", true);
    expect(error).toMatchObject({ kind: "ambiguous", reason: "timeout" });
    expect(error.message).toBe("GET /api/personas/x/: no answer in time (deadline)");
  });

  it("finds codes nested in cause", () => {
    const wrapped = new TypeError("fetch failed", { cause: coded("ECONNREFUSED") });
    expect(networkFailure(wrapped, "GET /x/", false).kind).toBe("unprocessed");
    const reset = new Error("other side closed", {
      cause: new Error("socket", { cause: coded("ECONNRESET") }),
    });
    expect(networkFailure(reset, "GET /x/", false)).toMatchObject({
      kind: "ambiguous",
      reason: "network",
    });
  });

  it("finds codes in an AggregateError (happy eyeballs tries every address)", () => {
    const both = new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")], "connect");
    expect(networkFailure(both, "GET /x/", false)).toMatchObject({
      kind: "unprocessed",
      message: "GET /x/: cannot connect (ECONNREFUSED)",
    });
  });

  it("falls back to the message when there is no code", () => {
    const error = networkFailure(new Error("something odd"), "GET /x/", false);
    expect(error).toMatchObject({
      kind: "ambiguous",
      message: "GET /x/: connection lost (something odd)",
    });
    expect(networkFailure("boom", "GET /x/", false).message).toBe(
      "GET /x/: connection lost (boom)",
    );
  });
});

describe("httpFailure", () => {
  const what = "POST /api/personas_v2/";

  it.each([
    [400, "final", "bad-request"],
    [401, "final", "credentials"],
    [403, "final", "credentials"],
    [404, "final", "not-found"],
    [405, "final", "bad-request"],
    [413, "final", "bad-request"],
    [415, "final", "bad-request"],
    [429, "unprocessed", "throttled"],
    [500, "ambiguous", "server"],
    [502, "ambiguous", "server"],
    [503, "unprocessed", "server"],
    [504, "ambiguous", "server"],
  ] as const)("HTTP %i is %s (%s)", (status, kind, reason) => {
    const error = httpFailure(status, what, "details", undefined);
    expect(error).toMatchObject({ kind, reason, status });
  });

  it("names the status and the server's words", () => {
    expect(httpFailure(502, what, "A server error occurred.", undefined).message).toBe(
      "POST /api/personas_v2/: HTTP 502: A server error occurred.",
    );
    expect(httpFailure(500, what, "", undefined).message).toBe("POST /api/personas_v2/: HTTP 500");
  });

  it("says the credentials were refused on 401 and 403", () => {
    expect(httpFailure(401, what, "Invalid API credentials.", undefined).message).toBe(
      "POST /api/personas_v2/: Creatify refused the credentials (HTTP 401); check the api-id and api-key inputs (Invalid API credentials.)",
    );
  });

  it("keeps Retry-After on throttling and server errors only", () => {
    expect(httpFailure(429, what, "", 5000).retryAfterMs).toBe(5000);
    expect(httpFailure(503, what, "", 5000).retryAfterMs).toBe(5000);
    expect(httpFailure(502, what, "", 5000).retryAfterMs).toBe(5000);
    expect(httpFailure(400, what, "", 5000).retryAfterMs).toBeUndefined();
  });

  it("keeps the classification when context is added", () => {
    const error = httpFailure(429, what, "Request was throttled.", 1000).withContext(
      "uploading v.mp4",
    );
    expect(error).toMatchObject({ kind: "unprocessed", reason: "throttled", status: 429 });
    expect(error.retryAfterMs).toBe(1000);
    expect(error.message).toBe(
      "uploading v.mp4: POST /api/personas_v2/: HTTP 429: Request was throttled.",
    );
  });
});
