// One HTTP exchange over Node's own http/https, with keep-alive and the runner's proxy
// variables. Node's client rather than undici: undici's evaluation alone took start-up to
// 2.9–3.6× `node -e 0`, node:http to 1.8× (docs/benchmarks.md). The limits on an answer,
// the retries and the error classes stay in http.ts; this file only moves bytes.
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";

/** How long a connection may take to open, through a proxy or not. */
const CONNECT_TIMEOUT_MS = 30_000;

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
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Readable;
}

/** A transport error with a code, which errors.ts classifies. */
const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

export class Transport {
  readonly #agents: { readonly "http:": http.Agent; readonly "https:": https.Agent };

  constructor(env: NodeJS.ProcessEnv) {
    const proxyEnv = proxyVariables(env);
    // Node 24.5's built-in proxy support: CONNECT for https, absolute-form for http. An idle
    // connection is closed after 4 s, before servers' usual 5 s, so that a request never
    // goes out on one the server is closing (as undici and Node's global agent do).
    const options: http.AgentOptions = { keepAlive: true, timeout: 4_000, proxyEnv };
    this.#agents = { "http:": new http.Agent(options), "https:": new https.Agent(options) };
  }

  /** Sends the request and resolves with the answer's head; its body is left to the caller. */
  send(exchange: Exchange): Promise<Answer> {
    const { url, method, headers, body, idleTimeoutMs, signal } = exchange;
    const client = url.protocol === "https:" ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      const request = client.request(url, {
        method,
        headers,
        agent: this.#agents[url.protocol as "http:" | "https:"],
        signal,
      });
      request.on("error", reject);
      request.once("socket", (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => request.destroy(failure("CONNECT_TIMEOUT", "connection not opened in time")),
          CONNECT_TIMEOUT_MS,
        );
        socket.once("connect", () => clearTimeout(timer)).once("close", () => clearTimeout(timer));
      });
      let answer: http.IncomingMessage | undefined;
      // Socket inactivity: while the server stores an upload, and between an answer's chunks
      // (the answer's reader then gets this error, not the reset it would cause).
      request.setTimeout(idleTimeoutMs, () => {
        const silent = failure("IDLE_TIMEOUT", `nothing received for ${idleTimeoutMs} ms`);
        answer?.destroy(silent);
        request.destroy(silent);
      });
      request.once("response", (response) => {
        answer = response;
        // An answer before the whole body (a refusal): the connection cannot serve another.
        if (!request.writableFinished) response.once("end", () => request.destroy());
        resolve({
          statusCode: response.statusCode ?? 0,
          headers: response.headers,
          body: response,
        });
      });
      pump(request, body).catch((error: unknown) => request.destroy(error as Error));
    });
  }

  close(): void {
    this.#agents["http:"].destroy();
    this.#agents["https:"].destroy();
  }
}

/**
 * Writes the body a chunk at a time, and asks for the next only once the last has reached
 * the socket: the upload reads every chunk into the same buffer (upload.ts). Reading the
 * next chunk ahead, into a second buffer, measured no faster.
 */
async function pump(request: http.ClientRequest, body: Exchange["body"]): Promise<void> {
  if (body === undefined || typeof body === "string") {
    request.end(body);
    return;
  }
  // Settles when the chunk is in the socket or the request is gone, whose write callback
  // may never come. A listener per chunk, removed with it: racing each write against one
  // long-lived "closed" promise would leave a reaction on it per chunk, memory growing with
  // the file.
  const written = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      request.once("close", resolve);
      request.write(chunk, (error) => {
        request.off("close", resolve);
        if (error) reject(error);
        else resolve();
      });
    });
  try {
    for await (const chunk of body) {
      await written(chunk);
      if (request.destroyed) return;
    }
    request.end();
  } finally {
    // Closes the file when the exchange ended before the body did.
    await body.return(undefined);
  }
}

/** Node before 24.5 ignores `proxyEnv`: a proxy set for the runner would go unused. */
export function proxyUnsupported(env: NodeJS.ProcessEnv, version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const proxy = proxyVariables(env);
  return (proxy.HTTP_PROXY ?? proxy.HTTPS_PROXY) !== undefined && major * 100 + minor < 2405;
}

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, as self-hosted runners set them.
 * The API is https, so a runner may set only HTTPS_PROXY; an http:// API root (a
 * gateway, a test) then goes through that proxy too rather than around it.
 */
function proxyVariables(env: NodeJS.ProcessEnv): http.ProxyEnv {
  const https = env.https_proxy || env.HTTPS_PROXY || undefined;
  return {
    HTTP_PROXY: env.http_proxy || env.HTTP_PROXY || https,
    HTTPS_PROXY: https,
    NO_PROXY: env.no_proxy || env.NO_PROXY || undefined,
  };
}
