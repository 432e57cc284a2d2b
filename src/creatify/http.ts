import type { Readable } from "node:stream";
import { type Dispatcher, EnvHttpProxyAgent, request } from "undici";
import { formatDuration } from "../duration.js";
import type { Log } from "../log.js";
import { type Backoff, backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from "../retry.js";
import { CreatifyError, httpFailure, networkFailure } from "./errors.js";

/** A request body built afresh for every attempt: a file stream cannot be replayed. */
export interface Body {
  /** Pulled one chunk at a time by undici, so a chunk is read only when the socket wants it. */
  readonly stream: AsyncGenerator<Uint8Array> | string;
  readonly contentType: string;
  readonly contentLength: number;
}

export interface Call {
  readonly method: "GET" | "POST";
  /** Path under the API root, with its trailing slash. */
  readonly path: string;
  readonly body?: () => Body;
  /** Epoch ms after which the call is abandoned, retries included. */
  readonly deadline?: number;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly apiId: string;
  readonly apiKey: string;
  readonly log: Log;
  /** Longest wait for response headers once the request is sent. */
  readonly readTimeoutMs?: number;
  /** Longest wait for response headers once an upload is sent: the server stores it first. */
  readonly createTimeoutMs?: number;
  readonly backoff?: Backoff;
  readonly dispatcher?: Dispatcher;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one HTTP layer: authentication headers, timeouts, proxy, status and body
 * checks, and the retry of reads. Creates get one attempt here; the client decides
 * whether another is safe.
 */
export class Http {
  readonly #options: HttpOptions;
  readonly #dispatcher: Dispatcher;
  readonly #backoff: Backoff;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: HttpOptions) {
    this.#options = options;
    this.#dispatcher = options.dispatcher ?? proxyAwareAgent(process.env);
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** A read: retried on network errors, 429 and 5xx, with backoff and `Retry-After`. */
  async read(call: Call): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(call);
      } catch (error) {
        if (!(error instanceof CreatifyError) || error.kind === "final") throw error;
        const delay = this.retryDelay(error, attempt, call.deadline);
        if (delay === undefined) throw error;
        await this.pause(error, delay, attempt);
      }
    }
  }

  /** The policy's delay before the next attempt, undefined when out of attempts or time. */
  retryDelay(error: CreatifyError, attempt: number, deadline?: number): number | undefined {
    if (attempt >= this.#backoff.attempts) return undefined;
    const delay = backoffDelay(attempt - 1, this.#backoff, this.#random, error.retryAfterMs);
    if (deadline !== undefined && this.#now() + delay >= deadline) return undefined;
    return delay;
  }

  /** Logs why a retry comes and waits for it. */
  async pause(error: CreatifyError, delayMs: number, attempt: number): Promise<void> {
    this.#options.log.info(
      `${error.message}; retrying in ${formatDuration(delayMs)} (attempt ${attempt + 1} of ${this.#backoff.attempts})`,
    );
    await this.#sleep(delayMs);
  }

  /** One attempt: resolves with the decoded JSON of a 2xx, throws a classified CreatifyError. */
  async send(call: Call): Promise<unknown> {
    const what = `${call.method} ${call.path}`;
    const remaining = call.deadline === undefined ? undefined : call.deadline - this.#now();
    if (remaining !== undefined && remaining <= 0) throw networkFailure(undefined, what, true);
    const signal = remaining === undefined ? undefined : AbortSignal.timeout(remaining);
    const body = call.body?.();
    const headersTimeout = body
      ? (this.#options.createTimeoutMs ?? 300_000)
      : (this.#options.readTimeoutMs ?? 30_000);

    let response: Dispatcher.ResponseData;
    try {
      response = await request(new URL(this.#options.baseUrl + call.path), {
        method: call.method,
        dispatcher: this.#dispatcher,
        headers: {
          accept: "application/json",
          "x-api-id": this.#options.apiId,
          "x-api-key": this.#options.apiKey,
          ...(body && {
            "content-type": body.contentType,
            "content-length": String(body.contentLength),
          }),
        },
        // undici documents and accepts async iterables as bodies; its types omit them.
        body: (body?.stream ?? null) as string | Readable | null,
        headersTimeout,
        bodyTimeout: headersTimeout,
        signal,
      });
    } catch (error) {
      if (body && typeof body.stream !== "string") await body.stream.return(undefined);
      throw networkFailure(error, what, signal?.aborted ?? false);
    }

    const contentType = String(response.headers["content-type"] ?? "");
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw networkFailure(error, what, signal?.aborted ?? false);
    }
    const json = contentType.includes("json") ? parseJson(text) : undefined;
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      if (json === undefined) {
        throw new CreatifyError(
          `${what}: HTTP ${status} with a ${contentType || "missing"} content type, not JSON`,
          "final",
          "not-json",
          status,
        );
      }
      return json.value;
    }
    const detail =
      json === undefined
        ? `a ${contentType || "body without content type"} body, not JSON`
        : describeErrorBody(json.value);
    const retryAfter = response.headers["retry-after"];
    throw httpFailure(
      status,
      what,
      detail,
      parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, this.#now()),
    );
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }
}

/**
 * Honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, as self-hosted runners
 * need. The API is https, so a runner may set only HTTPS_PROXY; an http:// API root (a
 * gateway, a test) then goes through that proxy too rather than around it.
 */
function proxyAwareAgent(env: NodeJS.ProcessEnv): Dispatcher {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || env.https_proxy || env.HTTPS_PROXY;
  return new EnvHttpProxyAgent({ connectTimeout: 30_000, httpProxy: httpProxy || undefined });
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * Django REST Framework errors: `{"detail": "..."}`, or field errors such as
 * `{"gender": ["\"x\" is not a valid choice."]}`, listed as `gender: "x" is not...`.
 */
export function describeErrorBody(body: unknown): string {
  if (typeof body === "string") return body;
  if (typeof body !== "object" || body === null) return JSON.stringify(body);
  const entries = Object.entries(body);
  const detail = entries.find(([key]) => key === "detail");
  if (detail && entries.length === 1) return flatten(detail[1]);
  return entries.map(([field, messages]) => `${field}: ${flatten(messages)}`).join("; ");
}

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join(" ");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
