import type { VideoFile } from "../files/video.js";
import type { Log } from "../log.js";
import { withoutQuery } from "../text.js";
import { createOnce, type Mine } from "./create.js";
import { CreatifyError, otherId } from "./errors.js";
import { type Call, type ClientOptions, type Http, jsonBody } from "./http.js";
import { readListing } from "./listing.js";
import { isPersona, type Persona, type Quota } from "./persona.js";
import { type MultipartForm, multipartBody, progressLogger } from "./upload.js";

/** What a create sends besides the videos, in the API's field names. */
export interface AvatarFields {
  readonly creator_name: string;
  readonly gender: string;
  readonly video_scene: string;
  readonly keywords?: string | undefined;
  readonly webhook_url?: string | undefined;
  readonly labels: readonly string[];
}

/** Text parts whose values come from the video's SHA-256, known only once it has streamed. */
export interface DigestFields {
  /** The parts, sent after the files: the same length whatever the digest. */
  readonly parts: (sha256Hex: string) => readonly (readonly [string, string])[];
  /** Called with the digest of what was sent, once a create was answered. */
  readonly onDigest: (sha256Hex: string) => void;
}

/**
 * Creatify's custom avatar API (`personas_v2`): one method per call, over one HTTP layer. Avatars
 * are returned whole, as the server sent them: ids and URLs are used as they are, and text is
 * redacted and cut only where it is shown (`github/`).
 */
export class AvatarsClient {
  readonly #http: Http;
  readonly #log: Log;
  readonly #now: () => number;

  /** `http` is shared with the videos client when the generate action talks to both. */
  constructor(http: Http, options: ClientOptions) {
    this.#http = http;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
  }

  async quota(): Promise<Quota> {
    const quota = await this.#http.read({ method: "GET", path: "/api/personas_v2/count/" });
    const { max_count, current_count } = (quota ?? {}) as Partial<Quota>;
    if (typeof max_count !== "number" || typeof current_count !== "number") {
      throw new CreatifyError(
        "GET /api/personas_v2/count/: answer lacks max_count and current_count",
        "final",
        "not-json",
      );
    }
    return { max_count, current_count };
  }

  /** Your custom avatars, read whole (creatify/listing.ts) or not at all. */
  async list(): Promise<Persona[]> {
    const personas = await readListing(this.#http, "/api/personas_v2/");
    return personas.filter(isPersona);
  }

  /** One avatar's state; `deadline` abandons the read (and its retries) at that time. */
  async get(id: string, deadline?: number): Promise<Persona> {
    const path = `/api/personas/${encodeURIComponent(id)}/`;
    try {
      const answer = await this.#http.read({ method: "GET", path, deadline });
      return expectPersona(answer, id, path);
    } catch (error) {
      if (error instanceof CreatifyError && error.reason === "not-found") {
        throw new CreatifyError(
          `Avatar "${id}" does not exist (HTTP 404 from GET ${path}); check the avatar-id input`,
          error.kind,
          error.reason,
          error.status,
        );
      }
      throw error;
    }
  }

  /** `DELETE /api/personas/{id}/`, retried like a read; an avatar already gone counts as deleted. */
  async delete(id: string): Promise<void> {
    const path = `/api/personas/${encodeURIComponent(id)}/`;
    try {
      await this.#http.read({ method: "DELETE", path });
    } catch (error) {
      if (error instanceof CreatifyError && error.reason === "not-found") return;
      throw error;
    }
  }

  /**
   * `POST /api/personas_v2/`: the videos streamed from disk as multipart parts. With
   * `digest`, the video is hashed as it streams and the parts made from its digest are sent
   * after it (a text part after the files is taken by any multipart parser: busboy, Django
   * REST Framework's), so a first take costs one read of the file.
   */
  createFromFiles(
    fields: AvatarFields,
    video: VideoFile,
    consent: VideoFile | undefined,
    mine: Mine<Persona>,
    digest?: DigestFields,
  ): Promise<Persona> {
    let sentDigest = "";
    const { labels, ...single } = fields;
    const form: MultipartForm = {
      fields: [
        ...Object.entries(single).flatMap(([name, value]) =>
          value === undefined ? [] : [[name, value] as const],
        ),
        ...labels.map((label) => ["labels", label] as const),
      ],
      files: [
        ["lipsync_input", video] as const,
        ...(consent ? [["consent_video", consent] as const] : []),
      ],
      // An attempt cut off before its file has streamed leaves the digest of the last one that did.
      ...(digest && {
        digestFields: digest.parts,
        onDigest: (sha256Hex: string) => {
          sentDigest = sha256Hex;
        },
      }),
    };
    const context = `uploading ${video.relativePath}`;
    const created = this.#create(
      {
        method: "POST",
        path: "/api/personas_v2/",
        body: () => multipartBody(form, progressLogger(context, this.#log, this.#now)),
      },
      fields.creator_name,
      mine,
      context,
    );
    // An avatar stored (answered or found) means a whole body went out, the digest's parts last.
    return digest
      ? created.then((persona) => {
          if (sentDigest) digest.onDigest(sentDigest);
          return persona;
        })
      : created;
  }

  /** `POST /api/personas/`: the videos passed by URL in a JSON body. */
  createFromUrls(
    fields: AvatarFields,
    video: string,
    consent: string | undefined,
    mine: Mine<Persona>,
  ): Promise<Persona> {
    const body = jsonBody({ ...fields, lipsync_input: video, consent_video: consent });
    const context = `submitting ${withoutQuery(video)}`;
    return this.#create(
      { method: "POST", path: "/api/personas/", body },
      fields.creator_name,
      mine,
      context,
    );
  }

  /**
   * A create, never sent twice (creatify/create.ts): after an ambiguous failure, an avatar of
   * this name that `mine` recognises and the run's listing did not hold is adopted.
   */
  #create(call: Call, creatorName: string, mine: Mine<Persona>, context: string) {
    return createOnce(this.#http, this.#log, {
      call,
      context,
      noun: "avatar",
      accept: (answer) => (isPersona(answer) ? answer : undefined),
      list: () => this.list(),
      known: mine.known,
      carries: (persona) => persona.creator_name === creatorName && mine.carries(persona),
    });
  }
}

function expectPersona(value: unknown, id: string, path: string): Persona {
  if (!isPersona(value)) {
    throw new CreatifyError(`${path}: answer has no avatar id`, "final", "not-json");
  }
  // Another avatar's state taken for this one would approve, fail or output the wrong avatar.
  if (value.id !== id) throw otherId("avatar", id, value.id, path);
  return value;
}
