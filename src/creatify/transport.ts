// One HTTP exchange over undici: keep-alive, the runner's proxy variables, its own connect,
// headers and body timeouts. The limits on an answer, the retries and the error classes stay
// in http.ts and errors.ts; this file only moves bytes and names its own timeouts.
import { PassThrough, type Readable } from "node:stream";
import { type Dispatcher, EnvHttpProxyAgent, Pool } from "undici";

/** How long a connection may take to open, to a proxy or through one. */
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The write high-water mark undici gives the sockets it opens (lib/core/connect.js; TLS
 * sockets get 16 KiB). A chunk at least this long makes the socket ask for a drain, and undici
 * pulls the next one only once it is written; a shorter one may still be queued, by reference,
 * when the next is pulled.
 */
const SOCKET_HIGH_WATER_MARK = 64 * 1024;

/** undici's words for a proxy that answered its CONNECT with anything but 200. */
const TUNNEL_REFUSED = /^Proxy response \(\d+\) !== 200 when HTTP Tunneling$/;

export interface Exchange {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Pulled one chunk at a time, and the next only once the last is in the socket. */
  readonly body?: AsyncGenerator<Uint8Array> | string | undefined;
  /** Longest silence once the request is sent: for its answer's headers, and between its chunks. */
  readonly idleTimeoutMs: number;
  readonly signal: AbortSignal;
}

export interface Answer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Destroying it closes the connection, unread. */
  readonly body: Readable;
}

/**
 * The process's dispatcher: keep-alive (undici closes an idle connection before the server's
 * keep-alive hint runs out), HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, credentials
 * in the proxy's URL sent to it as Proxy-Authorization. One proxy variable serves both schemes:
 * undici sends https through HTTP_PROXY when only that is set, and, as a runner may set only
 * HTTPS_PROXY, an http:// root (a gateway, a test) goes through that one too rather than around
 * it. Reusable for any origin; the timeouts of the answer are each request's own.
 */
export function dispatcherFor(
  env: NodeJS.ProcessEnv,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
): Dispatcher {
  const https = env.https_proxy || env.HTTPS_PROXY || "";
  return new EnvHttpProxyAgent({
    // "" rather than undefined: undici would read process.env in place of `env`.
    httpProxy: env.http_proxy || env.HTTP_PROXY || https,
    httpsProxy: https,
    noProxy: env.no_proxy || env.NO_PROXY || "",
    connectTimeout: connectTimeoutMs,
    // The proxy's answer to a CONNECT is part of opening the connection, and bounded like it:
    // a silent proxy would otherwise hold a request for undici's default of 300 s.
    clientFactory: (origin, options) =>
      new Pool(origin, { ...options, headersTimeout: connectTimeoutMs }),
    // HTTP/1.1 only: the paced upload and the error classes are what the tests prove, over it.
    allowH2: false,
  });
}

/** A transport error with a code, which errors.ts classifies. */
const failure = (code: string, message: string, cause: unknown) =>
  Object.assign(new Error(message, { cause }), { code });

export class Transport {
  readonly #dispatcher: Dispatcher;

  constructor(dispatcher: Dispatcher) {
    this.#dispatcher = dispatcher;
  }

  /** Sends the request and resolves with the answer's head; its body is left to the caller. */
  async send(exchange: Exchange): Promise<Answer> {
    const { url, method, headers, body, idleTimeoutMs, signal } = exchange;
    const source = typeof body === "object" ? body : undefined;
    const named = (error: unknown) => nameOf(error, idleTimeoutMs);
    // An async iterable, which undici pulls a chunk at a time (client-h1.js writeIterable),
    // though its types leave it out: a Readable would read ahead to fill its buffer.
    const payload =
      typeof body === "object" ? (paced(body) as AsyncIterable<Uint8Array> as Readable) : body;
    try {
      const answer = await this.#dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal,
        // From the last byte sent (undici refreshes it as each chunk is written), and between
        // the answer's chunks.
        headersTimeout: idleTimeoutMs,
        bodyTimeout: idleTimeoutMs,
      });
      return {
        statusCode: answer.statusCode,
        headers: answer.headers,
        body: renamed(answer.body, named),
      };
    } catch (error) {
      // Closes the file when the exchange ended before the body was pulled to its end.
      await source?.return(undefined);
      throw named(error);
    }
  }

  /** Closes every connection at once, requests in flight included. */
  close(): void {
    void this.#dispatcher.destroy();
  }
}

/**
 * The body as undici pulls it. undici asks for the next chunk as soon as the socket takes the
 * last without asking for a drain, which a chunk under its high-water mark never does: such a
 * chunk is copied, as it may still wait in the socket's queue while the next is read into the
 * same buffer (upload.ts). Reading the next chunk ahead, into a second buffer, measured no
 * faster.
 */
async function* paced(source: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    yield chunk.byteLength < SOCKET_HIGH_WATER_MARK
      ? Uint8Array.prototype.slice.call(chunk)
      : chunk;
  }
}

/** The answer's body with the transport's names for its errors; destroying it destroys undici's. */
function renamed(body: Readable, named: (error: unknown) => unknown): Readable {
  const renamedBody = new PassThrough();
  body.on("error", (error) => renamedBody.destroy(named(error) as Error));
  renamedBody.once("close", () => body.destroy());
  return body.pipe(renamedBody);
}

/**
 * undici's timeouts under the transport's names: both of the answer's are the one idle
 * timeout; a refused tunnel is the proxy's, before anything reached the API.
 */
function nameOf(error: unknown, idleTimeoutMs: number): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return failure("IDLE_TIMEOUT", `nothing received for ${idleTimeoutMs} ms`, error);
  }
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return failure("CONNECT_TIMEOUT", "connection not opened in time", error);
  }
  if (code === "UND_ERR_ABORTED" && typeof message === "string" && TUNNEL_REFUSED.test(message)) {
    return failure("ERR_PROXY_TUNNEL", message, error);
  }
  return error;
}
