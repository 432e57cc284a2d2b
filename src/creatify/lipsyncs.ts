import type { Log } from "../log.js";
import { cleanRecord } from "./answer.js";
import { createdSince, createOnce } from "./create.js";
import { CreatifyError } from "./errors.js";
import type { Call, Http } from "./http.js";
import { asLipsync, type Lipsync, newestJob } from "./lipsync.js";

const JOBS = "/api/lipsyncs_v2/";

export interface LipsyncClientOptions {
  readonly log: Log;
  /** Hides secrets in what the server sends back, before anything keeps it. */
  readonly redact: (text: string) => string;
  readonly now?: () => number;
}

/**
 * Creatify's AI Avatar v2 calls (SPEC §12) over the one HTTP layer. Every job it returns is
 * clean: strings redacted and cut, a webhook URL without its query.
 */
export class LipsyncClient {
  readonly #http: Http;
  readonly #log: Log;
  readonly #now: () => number;
  readonly #redact: (text: string) => string;

  constructor(http: Http, options: LipsyncClientOptions) {
    this.#http = http;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact;
  }

  #clean(job: Lipsync): Lipsync {
    return cleanRecord(job, this.#redact);
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

  /** The account's jobs; a plain array per the API, a paginated `{results}` read the same. */
  async list(): Promise<Lipsync[]> {
    const answer = await this.#http.read({ method: "GET", path: JOBS });
    const jobs = Array.isArray(answer) ? answer : (answer as { results?: unknown })?.results;
    if (!Array.isArray(jobs)) {
      throw new CreatifyError(`GET ${JOBS}: answer is not a list`, "final", "not-json");
    }
    return jobs.flatMap((item) => {
      const job = asLipsync(item);
      return job ? [this.#clean(job)] : [];
    });
  }

  /** One job; `deadline` abandons the read (and its retries) at that time. */
  async get(id: string, deadline?: number): Promise<Lipsync> {
    const path = `${JOBS}${encodeURIComponent(id)}/`;
    const answer = await this.#http.read({ method: "GET", path, deadline });
    const job = asLipsync(answer);
    if (!job) throw new CreatifyError(`GET ${path}: answer has no video id`, "final", "not-json");
    return this.#clean(job);
  }

  /**
   * `POST /api/lipsyncs_v2/`, never sent twice (creatify/create.ts): after an ambiguous
   * failure, a job whose name carries `fingerprint`, not in `known` and created since the
   * attempt began, is the one it made.
   */
  create(body: unknown, fingerprint: string, known: ReadonlySet<string>): Promise<Lipsync> {
    const json = JSON.stringify(body);
    return createOnce(this.#http, this.#log, this.#now, {
      call: {
        method: "POST",
        path: JOBS,
        body: () => ({
          stream: json,
          contentType: "application/json",
          contentLength: Buffer.byteLength(json),
        }),
      },
      context: `creating the video ${fingerprint}`,
      noun: "video",
      accept: (answer) => {
        const job = asLipsync(answer);
        return job && this.#clean(job);
      },
      find: async (since) =>
        newestJob(
          (await this.list()).filter(
            (job) =>
              typeof job.name === "string" &&
              job.name.includes(fingerprint) &&
              !known.has(job.id) &&
              createdSince(job.created_at, since),
          ),
        ),
      idOf: (job) => job.id,
    });
  }

  /**
   * `POST /api/lipsyncs_v2/preview/`, a create's body, never sent twice: after an ambiguous
   * failure, `find` looks for the preview the attempt may have made (as a create's does).
   */
  preview(
    body: unknown,
    fingerprint: string,
    find: () => Promise<Lipsync | undefined>,
  ): Promise<Lipsync> {
    const json = JSON.stringify(body);
    return this.#once({
      call: {
        method: "POST",
        path: `${JOBS}preview/`,
        body: () => ({
          stream: json,
          contentType: "application/json",
          contentLength: Buffer.byteLength(json),
        }),
      },
      context: `previewing the video ${fingerprint}`,
      find,
    });
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
      find: async () => {
        const job = await this.get(id);
        return taken(job) ? job : undefined;
      },
    });
  }

  #once(once: { call: Call; context: string; find: () => Promise<Lipsync | undefined> }) {
    return createOnce(this.#http, this.#log, this.#now, {
      ...once,
      noun: "video",
      accept: (answer) => {
        const job = asLipsync(answer);
        return job && this.#clean(job);
      },
      idOf: (job) => job.id,
    });
  }
}
