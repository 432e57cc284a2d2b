// The transport over real loopback sockets: bodies from reused buffers arrive intact, a refusal
// before the whole body ends the upload, and silence ends the exchange.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { proxyUnsupported, Transport } from "../src/creatify/transport.ts";

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
  transport = new Transport({});
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

describe("proxyUnsupported", () => {
  it.each([
    [{ HTTPS_PROXY: "http://proxy:3128" }, "24.4.1", true],
    [{ http_proxy: "http://proxy:3128" }, "22.12.0", true],
    [{ HTTPS_PROXY: "http://proxy:3128" }, "24.5.0", false],
    [{ HTTPS_PROXY: "http://proxy:3128" }, "25.0.0", false],
    [{}, "24.4.1", false],
  ])("%j on Node %s: %s", (env, version, expected) => {
    expect(proxyUnsupported(env, version)).toBe(expected);
  });
});
