/**
 * Whether the server may have acted on a failed request; the create path branches on it.
 * - `unprocessed`: provably not acted on (no connection, 429, 503): safe to send again.
 * - `ambiguous`: may have been acted on (reset, 500/502/504, timeout): reconcile first.
 * - `final`: the server answered and refused (4xx): sending again cannot help.
 */
export type FailureKind = "unprocessed" | "ambiguous" | "final";

/** What went wrong, in words a caller can branch on without parsing messages. */
export type FailureReason =
  | "credentials"
  | "not-found"
  | "bad-request"
  | "throttled"
  | "server"
  | "network"
  | "timeout"
  | "not-json"
  | "other-id";

/** The one error type of the API client. Its message never carries a credential. */
export class CreatifyError extends Error {
  override name = "CreatifyError";

  readonly kind: FailureKind;
  readonly reason: FailureReason;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    kind: FailureKind,
    reason: FailureReason,
    status?: number,
    retryAfterMs?: number,
  ) {
    super(message);
    this.kind = kind;
    this.reason = reason;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  /** Same failure, with what the caller was doing in front: `uploading x.mp4: HTTP 502 ...`. */
  withContext(context: string): CreatifyError {
    return new CreatifyError(
      `${context}: ${this.message}`,
      this.kind,
      this.reason,
      this.status,
      this.retryAfterMs,
    );
  }
}

/** A read answered with another id than asked for: an error, never taken for the one asked. */
export function otherId(
  noun: string,
  asked: string,
  answered: string,
  path: string,
): CreatifyError {
  return new CreatifyError(
    `GET ${path}: asked for ${noun} ${asked}, the answer is ${noun} ${answered}; not taken for it`,
    "final",
    "other-id",
  );
}

/** Connection-level errors that mean the request never reached the server. */
const NEVER_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  // The proxy refused or failed the CONNECT, or closed the connection before it was
  // established: nothing reached the API.
  "ERR_PROXY_TUNNEL",
  "UND_ERR_PRX_CONN",
]);

/** The transport's silence, and undici's own names for it (a request made over it directly). */
const TIMEOUTS = new Set([
  "IDLE_TIMEOUT",
  "ETIMEDOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * OpenSSL's verdicts on a server's certificate: the request was never sent, and sending it
 * again meets the same certificate.
 */
const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Classifies an error thrown by the transport (no whole HTTP answer was read); `limit`
 * names what `timedOut` ran into.
 */
export function networkFailure(
  error: unknown,
  what: string,
  timedOut: boolean,
  limit = "deadline",
): CreatifyError {
  const codes = errorCodes(error);
  const refused = codes.find((code) => NEVER_CONNECTED.has(code));
  if (refused) {
    return new CreatifyError(`${what}: cannot connect (${refused})`, "unprocessed", "network");
  }
  const untrusted = codes.find((code) => UNTRUSTED.has(code));
  if (untrusted) {
    return new CreatifyError(
      `${what}: cannot trust the server's certificate (${untrusted}); behind a proxy that inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS`,
      "final",
      "network",
    );
  }
  const timeout = codes.find((code) => TIMEOUTS.has(code));
  if (timedOut || timeout) {
    return new CreatifyError(
      `${what}: no answer in time (${timeout ?? limit})`,
      "ambiguous",
      "timeout",
    );
  }
  const detail = codes.join(", ") || (error instanceof Error ? error.message : String(error));
  return new CreatifyError(`${what}: connection lost (${detail})`, "ambiguous", "network");
}

/** Classifies an HTTP answer that is not a success; `detail` is the server's own words. */
export function httpFailure(
  status: number,
  what: string,
  detail: string,
  retryAfterMs: number | undefined,
): CreatifyError {
  const message = `${what}: HTTP ${status}${detail ? `: ${detail}` : ""}`;
  if (status === 401 || status === 403) {
    return new CreatifyError(
      `${what}: Creatify refused the credentials (HTTP ${status}); check the api-id and api-key inputs${detail ? ` (${detail})` : ""}`,
      "final",
      "credentials",
      status,
    );
  }
  if (status === 404) return new CreatifyError(message, "final", "not-found", status);
  if (status === 429)
    return new CreatifyError(message, "unprocessed", "throttled", status, retryAfterMs);
  if (status === 503)
    return new CreatifyError(message, "unprocessed", "server", status, retryAfterMs);
  if (status >= 500) return new CreatifyError(message, "ambiguous", "server", status, retryAfterMs);
  return new CreatifyError(message, "final", "bad-request", status);
}

/** Every error code on the error, its causes and aggregated errors (happy eyeballs tries every address). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== "object" || error === null || depth > 4) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const nested = [cause, ...(Array.isArray(errors) ? errors : [])];
  return [
    ...(typeof code === "string" ? [code] : []),
    ...nested.flatMap((inner) => errorCodes(inner, depth + 1)),
  ];
}
