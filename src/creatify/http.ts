import type { Dispatcher } from "undici";
import { CALL_BUDGET_MS, formatDuration, longTimeout, parseDuration, sleep } from "../duration.js";
import type { Log } from "../log.js";
import { type Backoff, backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from "../retry.js";
import { clip } from "../text.js";
import { parseJson, type Refusal, readBounded } from "./answer.js";
import { CreatifyError, httpFailure, networkFailure } from "./errors.js";
import { type Answer, dispatcherFor, Transport } from "./transport.js";

/** A request body built afresh for every attempt: a file stream cannot be replayed. */
export interface Body {
  /** Pulled one chunk at a time, so a chunk is read only when the socket wants it. */
  readonly stream: AsyncGenerator<Uint8Array> | string;
  readonly contentType: string;
  readonly contentLength: number;
}

/** A JSON request body, sent with its length. */
export function jsonBody(value: unknown): () => Body {
  const json = JSON.stringify(value);
  return () => ({
    stream: json,
    contentType: "application/json",
    contentLength: Buffer.byteLength(json),
  });
}

/** What both API clients take beside the HTTP layer they share. */
export interface ClientOptions {
  readonly log: Log;
  /** The clock the upload's progress lines are paced by. */
  readonly now?: () => number;
}

export interface Call {
  readonly method: "GET" | "POST" | "DELETE";
  /** Path under the API root, with its trailing slash. */
  readonly path: string;
  readonly body?: () => Body;
  /** Epoch ms after which the call is abandoned, retries included. */
  readonly deadline?: number;
  /** Where a call budget shared with other calls (the pages of one listing) ends, if shared. */
  readonly budgetEnd?: number;
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
  /**
   * Longest a read may take, retries and answer bodies included, and the longest
   * reading a create's answer may take; default 3 minutes.
   */
  readonly callBudgetMs?: number;
  /**
   * The process's dispatcher (`dispatcherFor`), when other requests share it; closing it is
   * then its maker's. By default the layer makes its own from the process's proxy variables.
   */
  readonly dispatcher?: Dispatcher;
  readonly backoff?: Backoff;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * A step's options for the layer: the API's root and credentials, and the timeouts that the
 * tests shorten through the environment (`CREATIFY_REQUEST_TIMEOUT`, `CREATIFY_CALL_BUDGET`).
 */
export function stepHttpOptions(
  api: Pick<HttpOptions, "baseUrl" | "apiId" | "apiKey">,
  log: Log,
  env: NodeJS.ProcessEnv,
  dispatcher?: Dispatcher,
): HttpOptions {
  const timeoutMs = parseDuration(env.CREATIFY_REQUEST_TIMEOUT ?? "");
  return {
    baseUrl: api.baseUrl,
    apiId: api.apiId,
    apiKey: api.apiKey,
    log,
    readTimeoutMs: timeoutMs,
    createTimeoutMs: timeoutMs,
    callBudgetMs: parseDuration(env.CREATIFY_CALL_BUDGET ?? ""),
    ...(dispatcher && { dispatcher }),
  };
}

/** A time after which a call is abandoned, and its name in the error the user reads. */
interface Limit {
  readonly at: number;
  readonly name: string;
}

/**
 * The one HTTP layer: authentication headers, timeouts, proxy, status and body
 * checks, the bounds on an answer's size and time, and the retry of reads. Creates
 * get one attempt here; the client decides whether another is safe.
 */
export class Http {
  readonly #options: HttpOptions;
  readonly #transport: Transport;
  /** Whether the dispatcher is this layer's own, to close with it. */
  readonly #ownDispatcher: boolean;
  readonly #backoff: Backoff;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #budgetMs: number;

  constructor(options: HttpOptions) {
    this.#options = options;
    this.#ownDispatcher = options.dispatcher === undefined;
    this.#transport = new Transport(options.dispatcher ?? dispatcherFor(process.env));
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#sleep = options.sleep ?? sleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#budgetMs = options.callBudgetMs ?? CALL_BUDGET_MS;
  }

  /**
   * A read (or a delete, as safe to repeat): retried on network errors, 429 and 5xx, with backoff and `Retry-After`,
   * all of it within the call budget or the call's deadline, whichever ends first.
   */
  async read(call: Call): Promise<unknown> {
    const limit = tighter(deadlineOf(call), this.#budget(call.budgetEnd));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(call, limit);
      } catch (error) {
        if (!(error instanceof CreatifyError) || error.kind === "final") throw error;
        const delay = this.retryDelay(error, attempt, limit.at);
        if (delay === undefined) throw error;
        await this.pause(error, delay, attempt);
      }
    }
  }

  /** The API root as given: a listing follows its `next` links only on this origin. */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** Where the budget of a call begun now ends, for calls that share one (`Call.budgetEnd`). */
  budgetEnd(): number {
    return this.#now() + this.#budgetMs;
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

  /**
   * One attempt: resolves with the decoded JSON of a 2xx, throws a classified CreatifyError.
   * Only the call's deadline bounds the request (an upload over a slow link takes what it
   * takes); reading the answer is bounded by the call budget as well.
   */
  send(call: Call): Promise<unknown> {
    return this.#attempt(call, deadlineOf(call));
  }

  async #attempt(call: Call, limit: Limit | undefined): Promise<unknown> {
    const what = `${call.method} ${call.path}`;
    if (limit && limit.at <= this.#now()) throw networkFailure(undefined, what, true, limit.name);
    const alarm = new Alarm(this.#now);
    alarm.aim(limit);
    try {
      const response = await this.#request(call, what, alarm);
      alarm.aim(tighter(limit, this.#budget()));
      return await this.#answer(response, what, alarm);
    } finally {
      alarm.disarm();
    }
  }

  async #request(call: Call, what: string, alarm: Alarm): Promise<Answer> {
    const body = call.body?.();
    try {
      return await this.#transport.send({
        url: new URL(this.#options.baseUrl + call.path),
        method: call.method,
        headers: {
          accept: "application/json",
          "x-api-id": this.#options.apiId,
          "x-api-key": this.#options.apiKey,
          ...(body && {
            "content-type": body.contentType,
            "content-length": String(body.contentLength),
          }),
        },
        body: body?.stream,
        // The alarm bounds the whole answer; this, the silences within it.
        idleTimeoutMs: body
          ? (this.#options.createTimeoutMs ?? 300_000)
          : (this.#options.readTimeoutMs ?? 30_000),
        signal: alarm.signal,
      });
    } catch (error) {
      // The transport has closed the body (its file) whichever way the exchange ended.
      throw alarm.failure(error, what);
    }
  }

  /** Reads an answer within its bounds: the JSON of a 2xx, or a classified CreatifyError. */
  async #answer(response: Answer, what: string, alarm: Alarm): Promise<unknown> {
    const status = response.statusCode;
    const success = status >= 200 && status < 300;
    const contentType = String(response.headers["content-type"] ?? "");
    const isJson = contentType.includes("json");
    let text: string | Refusal;
    try {
      text = await readBounded(response, isJson);
    } catch (error) {
      throw alarm.failure(error, what);
    }
    if (typeof text !== "string") {
      // Unreadable, as a non-JSON 2xx is: the server acted, so a create looks for its
      // avatar rather than sending it again.
      if (success) {
        throw new CreatifyError(
          `${what}: HTTP ${status}: ${text.refused}`,
          "final",
          "not-json",
          status,
        );
      }
      throw this.#httpFailure(response, what, text.refused);
    }
    // A delete's 204 has no body, nor a content type to say so.
    if (status === 204 && text === "") return null;
    const json = isJson ? parseJson(text) : undefined;
    if (success) {
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
    // The server's words, quoted in a message: cut as every shown text is (a message is no
    // data to act on); a credential they echo is redacted where the message is shown (github/).
    const detail =
      json === undefined
        ? `a ${contentType || "body without content type"} body, not JSON`
        : clip(describeErrorBody(json.value));
    throw this.#httpFailure(response, what, detail);
  }

  #httpFailure(response: Answer, what: string, detail: string): CreatifyError {
    const retryAfter = response.headers["retry-after"];
    return httpFailure(
      response.statusCode,
      what,
      detail,
      parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, this.#now()),
    );
  }

  #budget(end = this.#now() + this.#budgetMs): Limit {
    return {
      at: end,
      name: `${formatDuration(this.#budgetMs)} limit per call`,
    };
  }

  close(): void {
    if (this.#ownDispatcher) this.#transport.close();
  }
}

function deadlineOf(call: Call): Limit | undefined {
  return call.deadline === undefined ? undefined : { at: call.deadline, name: "deadline" };
}

function tighter(limit: Limit | undefined, other: Limit): Limit {
  return limit && limit.at <= other.at ? limit : other;
}

/**
 * Aborts one attempt when its limit passes, however far out, and names that limit in the error.
 */
class Alarm {
  readonly #controller = new AbortController();
  readonly #now: () => number;
  #cancel = () => {};
  #rang: Limit | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aims at `limit` instead of any earlier one; undefined leaves the attempt unbounded. */
  aim(limit: Limit | undefined): void {
    this.#cancel();
    if (!limit) return;
    this.#cancel = longTimeout(() => this.#ring(limit), limit.at - this.#now());
  }

  disarm(): void {
    this.#cancel();
  }

  /** A transport error, classified: a timeout named after the limit if this alarm cut it. */
  failure(error: unknown, what: string): CreatifyError {
    return networkFailure(error, what, this.#rang !== undefined, this.#rang?.name);
  }

  #ring(limit: Limit): void {
    this.#rang = limit;
    this.#controller.abort();
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
