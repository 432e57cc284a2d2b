import type { Log } from "../log.js";
import { type CreateCall, createOnce } from "./create.js";
import { CreatifyError, otherId } from "./errors.js";
import { type Call, type ClientOptions, type Http, jsonBody } from "./http.js";
import { asLipsync, type Lipsync } from "./lipsync.js";
import { readListing } from "./listing.js";

const JOBS = "/api/lipsyncs_v2/";

/**
 * Creatify's AI Avatar v2 calls (`lipsyncs_v2`) over the one HTTP layer. Jobs are returned
 * whole: the video's URL is downloaded and output as received, whatever its length.
 */
export class VideosClient {
  readonly #http: Http;
  readonly #log: Log;

  constructor(http: Http, options: ClientOptions) {
    this.#http = http;
    this.#log = options.log;
  }

  async remainingCredits(): Promise<number> {
    const path = "/api/remaining_credits/";
    const answer = await this.#http.read({ method: "GET", path });
    const field = (answer as { remaining_credits?: unknown } | null)?.remaining_credits;
    // A number; a DRF DecimalField writes it as a string ("12.50"), read the same.
    const credits = typeof field === "string" && field.trim() !== "" ? Number(field) : field;
    if (typeof credits !== "number" || !Number.isFinite(credits)) {
      throw new CreatifyError(`GET ${path}: answer lacks remaining_credits`, "final", "not-json");
    }
    return credits;
  }

  /** The account's jobs, read whole (creatify/listing.ts) or not at all. */
  async list(): Promise<Lipsync[]> {
    const jobs = await readListing(this.#http, JOBS);
    return jobs.flatMap((item) => {
      const job = asLipsync(item);
      return job ? [job] : [];
    });
  }

  /** One job; `deadline` abandons the read (and its retries) at that time. */
  async get(id: string, deadline?: number): Promise<Lipsync> {
    const path = `${JOBS}${encodeURIComponent(id)}/`;
    const answer = await this.#http.read({ method: "GET", path, deadline });
    const job = asLipsync(answer);
    if (!job) throw new CreatifyError(`GET ${path}: answer has no video id`, "final", "not-json");
    if (job.id !== id) throw otherId("video", id, job.id, path);
    return job;
  }

  /**
   * `POST /api/lipsyncs_v2/`, never sent twice (creatify/create.ts): after an ambiguous
   * failure, a job whose name carries `fingerprint` and whose id is not in `known` (the run's
   * listing before the first attempt) is the one it made.
   */
  create(body: unknown, fingerprint: string, known: ReadonlySet<string>): Promise<Lipsync> {
    return this.#post(JOBS, body, fingerprint, known, `creating the video ${fingerprint}`);
  }

  /**
   * `POST /api/lipsyncs_v2/preview/`: a create's body, and a create's rule against sending it
   * twice; the job it makes has a `preview` link and no video until it is rendered.
   */
  preview(body: unknown, fingerprint: string, known: ReadonlySet<string>): Promise<Lipsync> {
    const context = `previewing the video ${fingerprint}`;
    return this.#post(`${JOBS}preview/`, body, fingerprint, known, context);
  }

  /**
   * `POST /api/lipsyncs_v2/{id}/render/` (no body), never two renders of one job: after an
   * ambiguous failure the job is read back, and when `taken` says the render was taken that
   * job is the answer; only when it was not is the render sent again.
   */
  render(id: string, taken: (job: Lipsync) => boolean): Promise<Lipsync> {
    return this.#once({
      call: { method: "POST", path: `${JOBS}${encodeURIComponent(id)}/render/` },
      context: `rendering the video ${id}`,
      list: async () => [await this.get(id)],
      known: new Set(),
      carries: taken,
    });
  }

  #post(
    path: string,
    body: unknown,
    fingerprint: string,
    known: ReadonlySet<string>,
    context: string,
  ) {
    return this.#once({
      call: { method: "POST", path, body: jsonBody(body) },
      context,
      list: () => this.list(),
      known,
      carries: (job) => typeof job.name === "string" && job.name.includes(fingerprint),
    });
  }

  #once(once: Omit<CreateCall<Lipsync>, "noun" | "accept"> & { call: Call }) {
    return createOnce(this.#http, this.#log, { ...once, noun: "video", accept: asLipsync });
  }
}
