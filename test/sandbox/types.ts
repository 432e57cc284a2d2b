// Shapes shared by the sandbox modules and by the tests that drive it.

import type { ClockOptions, PagingOptions } from "./clock.ts";
import type { LipsyncOptions, LipsyncSandbox } from "./lipsyncs.ts";

/**
 * Everything the sandbox stores of an avatar: more than any one answer shows, for tests to
 * check what was sent. Answers show only their schema's fields (schema.ts).
 */
export interface Persona {
  id: string;
  creator_name: string;
  gender: string;
  video_scene: string | null;
  keywords: string | null;
  labels: string[];
  webhook_url: string | null;
  lipsync_input_url: string;
  consent_video: string | null;
  is_active: boolean;
  process_status: string;
  failed_reason: string | null;
  preview_image_16_9: string | null;
  preview_image_1_1: string | null;
  preview_image_9_16: string | null;
  preview_video_16_9: string | null;
  preview_video_1_1: string | null;
  preview_video_9_16: string | null;
  landscape_preview_video: string | null;
  squared_preview_video: string | null;
  portrait_preview_video: string | null;
  suitable_industries: string[];
  type: string;
  age_range: string | null;
  location: string | null;
  style: string | null;
  matching_voice_non_null: boolean;
  lipsync_input: string | null;
  gdown_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: number;
  /** SHA-256 of the file's bytes, once the part has been read to its end. */
  sha256?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  startedAt: number;
  /** Body bytes received so far (final once the request is answered). */
  bytes: number;
  /** Multipart text parts; repeated names (labels) keep every value. */
  fields?: Record<string, string[]>;
  /** Multipart part names in the order they arrived (text and file parts alike). */
  parts?: string[];
  files?: RecordedFile[];
  json?: unknown;
  /** Status answered, absent when the socket was reset or left hanging. */
  status?: number;
  /** Answer body bytes written so far, for the faults whose answer streams (endless, drip). */
  sent?: number;
  /** Kind of the fault that handled this request, if any. */
  fault?: Fault["kind"];
}

export type Fault = {
  method: string;
  /** Exact path, or a prefix ending in "*". */
  path: string;
  /** How many matching requests the fault handles before it is used up; default 1. */
  times?: number;
} & (
  | {
      kind: "status";
      status: number;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
      /** Process the request fully (store the persona) before answering with the error. */
      store?: boolean;
    }
  | { kind: "reset"; afterStore: boolean }
  | { kind: "hang" }
  | { kind: "delay"; ms: number }
  | {
      /**
       * A chunked list of avatars that goes on until the client goes away, bounded all the
       * same by `maxBytes` (default 4 GiB) and `maxMs` (default 60 s).
       */
      kind: "endless";
      status?: number;
      maxBytes?: number;
      maxMs?: number;
      /** Process the request fully (store the persona) before answering. */
      store?: boolean;
    }
  | {
      /**
       * Declares `contentLength` bytes (a JSON `[ ... ]` of spaces), then sends one every
       * `everyMs`; the connection is cut after `maxMs` (default 60 s) if not done by then.
       */
      kind: "drip";
      contentLength: number;
      everyMs: number;
      status?: number;
      maxMs?: number;
      /** Process the request fully (store the persona) before answering. */
      store?: boolean;
    }
);

export interface SandboxOptions extends ClockOptions, PagingOptions {
  apiId?: string;
  apiKey?: string;
  maxCount?: number;
  /**
   * Refuse, as a Creatify that does not take such labels would, every create carrying a label
   * that starts with this: HTTP 400 naming `labels`, nothing stored.
   */
  refuseLabelsWith?: string;
  /** Refuse, with HTTP 400 naming `keywords`, every create whose keywords hold an item starting with this. */
  refuseKeywordsWith?: string;
  /** Store keywords without their `video-sha256:` items, as a Creatify that rewrites them might. */
  stripFingerprint?: boolean;
  /** Take no consent video, as the create schema's read-only `consent_video` says: 201 with null. */
  ignoreConsentVideo?: boolean;
  /** process_status walk of a new persona, one step per GET /api/personas/{id}/; the last sticks. */
  statuses?: string[];
  failedReason?: string;
  /** process_status of a create's 201 (and of the avatar until its walk starts); default pending. */
  createStatus?: string;
  /** Answer GET /api/personas/{id}/ with another id than asked. */
  readOtherId?: boolean;
  host?: string;
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Serve https with this key and certificate (PEM), at https://localhost:PORT. */
  tls?: { key: string; cert: string };
  /** The lipsyncs_v2 jobs, credits and video origin of the generate action (lipsyncs.ts). */
  lipsync?: LipsyncOptions;
}

export type SeedInput = Partial<Persona> & { creator_name: string; statuses?: string[] };

export interface CompareFile {
  filename: string;
  status: string;
}

/** The repository GitHub's API answers about, for changed-only. */
export interface GitHubRepo {
  /** Each commit names its parent; two commits with the same parent are a force push's two lines. */
  commits: { sha: string; parent?: string; files: CompareFile[] }[];
  /** Workflow runs; a higher id is a newer run. */
  runs: {
    id: number;
    workflow: string;
    branch: string;
    event: string;
    sha: string;
    conclusion: "success" | "failure" | "cancelled";
  }[];
  /** The runs listing answers 403, as for a token without "actions: read". */
  refuseRuns?: boolean;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  apiId: string;
  apiKey: string;
  personas: Persona[];
  /** The generate action's side: jobs, credits, and the video origin's requests. */
  lipsync: LipsyncSandbox;
  requests: RecordedRequest[];
  maxConcurrentUploads: number;
  fault(f: Fault): void;
  seed(p: SeedInput): Persona;
  setGitHub(repo: GitHubRepo): void;
  close(): Promise<void>;
}

/** What a route answers; the dispatcher decides whether it is really sent. */
export interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}
