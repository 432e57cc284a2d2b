// The transport over real loopback sockets: bodies from reused buffers arrive intact, a refusal
// before the whole body ends the upload, and silence ends the exchange.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { networkFailure } from "../../src/creatify/errors.ts";
import { dispatcherFor, Transport } from "../../src/creatify/transport.ts";

const CHUNK = 256 * 1024;

let server: Server | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = transport = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  transport = new Transport(dispatcherFor({}));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
}

/** Chunks all written into one buffer, so a chunk sent after the next was read would be wrong. */
async function* oneBuffer(chunks: number, state: { returned: boolean }) {
  const buffer = Buffer.alloc(CHUNK);
  try {
    for (let i = 0; i < chunks; i++) yield buffer.fill(i % 251);
  } finally {
    state.returned = true;
  }
}

function expectedDigest(chunks: number): string {
  const hash = createHash("sha256");
  for (let i = 0; i < chunks; i++) hash.update(Buffer.alloc(CHUNK, i % 251));
  return hash.digest("hex");
}

const exchange = (url: URL, body: AsyncGenerator<Uint8Array>, size: number, idle = 10_000) => ({
  url,
  method: "POST",
  headers: { "content-length": String(size) },
  body,
  idleTimeoutMs: idle,
  signal: new AbortController().signal,
});

describe("Transport", () => {
  it("sends every chunk as it was when handed over, though the body reuses one buffer", async () => {
    const url = await serve((req, res) => {
      const hash = createHash("sha256");
      req.on("data", (chunk: Buffer) => hash.update(chunk));
      req.on("end", () => res.end(hash.digest("hex")));
    });
    const chunks = 64;
    const answer = await transport?.send(
      exchange(url, oneBuffer(chunks, { returned: false }), chunks * CHUNK),
    );
    expect(answer?.statusCode).toBe(200);
    expect((await answer?.body.toArray())?.join("")).toBe(expectedDigest(chunks));
  });

  it("stops sending and closes the body when the server answers before reading it", async () => {
    const url = await serve((_, res) => {
      res.writeHead(413, { connection: "close", "content-type": "application/json" });
      res.end('{"detail":"too large"}');
    });
    const state = { returned: false };
    const chunks = 4096; // 1 GiB, were it all sent
    const answer = await transport?.send(exchange(url, oneBuffer(chunks, state), chunks * CHUNK));
    expect(answer?.statusCode).toBe(413);
    expect(Buffer.concat((await answer?.body.toArray()) ?? []).toString()).toContain("too large");
    await expect.poll(() => state.returned).toBe(true);
  });

  it("ends an answer whose body goes silent, with the same code", async () => {
    const url = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
    });
    const answer = await transport?.send({
      ...exchange(url, oneBuffer(1, { returned: false }), CHUNK, 300),
      method: "GET",
      body: undefined,
      headers: {},
    });
    await expect(answer?.body.toArray()).rejects.toMatchObject({ code: "IDLE_TIMEOUT" });
  });

  it("gives up on a server that goes silent, with a code errors.ts classifies", async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const state = { returned: false };
    await expect(
      transport?.send(exchange(url, oneBuffer(4, state), 4 * CHUNK, 300)),
    ).rejects.toMatchObject({ code: "IDLE_TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => state.returned).toBe(true);
  });
});

describe("Transport, pacing and proxies", () => {
  it("sends chunks under the socket's high-water mark intact, though they reuse one buffer", async () => {
    // The server reads nothing for a while, so the socket's queue fills and undici is asked
    // for chunks while earlier ones still wait in it.
    const url = await serve((req, res) => {
      const hash = createHash("sha256");
      req.pause();
      setTimeout(() => req.on("data", (chunk: Buffer) => hash.update(chunk)).resume(), 300);
      req.on("end", () => res.end(hash.digest("hex")));
    });
    const small = 8 * 1024;
    const chunks = 4096; // 32 MiB, more than the loopback's socket buffers hold
    async function* smallChunks() {
      const buffer = Buffer.alloc(small);
      for (let i = 0; i < chunks; i++) yield buffer.fill(i % 251);
    }
    const hash = createHash("sha256");
    for (let i = 0; i < chunks; i++) hash.update(Buffer.alloc(small, i % 251));
    const answer = await transport?.send(exchange(url, smallChunks(), chunks * small));
    expect((await answer?.body.toArray())?.join("")).toBe(hash.digest("hex"));
  });

  it("sends the proxy its credentials, and names a refused tunnel so errors.ts finds nothing was sent", async () => {
    const heads: string[] = [];
    const proxy = createNetServer((socket) =>
      socket.once("data", (head) => {
        heads.push(head.toString("latin1"));
        socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      }),
    );
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    transport = new Transport(
      dispatcherFor({ https_proxy: `http://someone:p%40ss@127.0.0.1:${port}` }),
    );
    try {
      const error = await transport
        .send({
          url: new URL("https://api.creatify.example/api/personas_v2/"),
          method: "GET",
          headers: {},
          idleTimeoutMs: 5_000,
          signal: new AbortController().signal,
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_PROXY_TUNNEL" });
      expect(networkFailure(error, "GET /api/personas_v2/", false).kind).toBe("unprocessed");
      expect(heads[0]).toMatch(/^CONNECT api\.creatify\.example:443 HTTP\/1\.1\r\n/);
      const basic = Buffer.from("someone:p@ss").toString("base64");
      expect(heads[0]?.toLowerCase()).toContain(
        `proxy-authorization: basic ${basic.toLowerCase()}`,
      );
    } finally {
      proxy.close();
    }
  });

  it("gives up on a proxy that never answers the CONNECT within the connect timeout", async () => {
    const proxy = createNetServer(() => {});
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    transport = new Transport(dispatcherFor({ HTTPS_PROXY: `http://127.0.0.1:${port}` }, 300));
    const started = Date.now();
    try {
      const error = await transport
        .send({
          url: new URL("https://api.creatify.example/api/personas_v2/"),
          method: "GET",
          headers: {},
          idleTimeoutMs: 10_000,
          signal: new AbortController().signal,
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "IDLE_TIMEOUT" });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      proxy.close();
    }
  });
});
