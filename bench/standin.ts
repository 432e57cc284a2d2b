/**
 * A tiny stand-in for the action's upload path, used to check the harness itself
 * (`npm run bench -- --bundle bench/standin.ts`). It reads the same INPUT_* variables,
 * reads the quota, streams the file in one multipart POST with its Content-Length through
 * node:http, and writes the avatar-id output. It is the floor a real bundle can aim for.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { request } from "node:http";
import { basename, resolve } from "node:path";

const input = (name: string) => process.env[`INPUT_${name.toUpperCase()}`] ?? "";
const base = input("base-url").replace(/\/+$/, "");
const headers = { "X-API-ID": input("api-id"), "X-API-KEY": input("api-key") };
const file = resolve(process.env.GITHUB_WORKSPACE ?? ".", input("video"));

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { headers });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}

const quota = (await getJson("/api/personas_v2/count/")) as {
  max_count: number;
  current_count: number;
};
if (quota.current_count >= quota.max_count) throw new Error("quota exhausted");

const boundary = `----standin${randomBytes(12).toString("hex")}`;
const field = (name: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const head = Buffer.from(
  field("creator_name", input("creator-name")) +
    field("gender", input("gender")) +
    field("video_scene", input("video-scene")) +
    `--${boundary}\r\nContent-Disposition: form-data; name="lipsync_input"; filename="${basename(file)}"\r\n` +
    "Content-Type: video/mp4\r\n\r\n",
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const size = statSync(file).size;
const CHUNK = 256 * 1024;

const persona = await new Promise<{ id: string }>((ok, fail) => {
  const req = request(
    `${base}/api/personas_v2/`,
    {
      method: "POST",
      headers: {
        ...headers,
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": head.length + size + tail.length,
      },
    },
    (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (s: string) => {
        text += s;
      });
      res.on("end", () =>
        res.statusCode === 201
          ? ok(JSON.parse(text))
          : fail(new Error(`${res.statusCode} ${text}`)),
      );
    },
  );
  req.on("error", fail);
  req.write(head);
  // Two reused buffers: read the next chunk while the previous one is being written, and
  // never allocate per chunk, so the heap and RSS stay flat whatever the file size.
  const pump = async () => {
    const fh = await open(file);
    try {
      const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
      const written: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
      for (let pos = 0, k = 0; pos < size; k ^= 1) {
        await written[k];
        const buffer = buffers[k] as Buffer;
        const { bytesRead } = await fh.read(buffer, 0, Math.min(CHUNK, size - pos), pos);
        if (bytesRead === 0) throw new Error("file shrank while uploading");
        pos += bytesRead;
        written[k] = new Promise((done, failed) =>
          req.write(buffer.subarray(0, bytesRead), (e) => (e ? failed(e) : done())),
        );
      }
      await Promise.all(written);
    } finally {
      await fh.close();
    }
    req.end(tail);
  };
  pump().catch(fail);
});

if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, `avatar-id=${persona.id}\n`);
}
console.log(`created avatar ${persona.id}`);
