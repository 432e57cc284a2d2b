import { messageOf } from "../errors.js";
import type { Log } from "../log.js";
import { CreatifyError } from "./errors.js";
import type { Call, Http } from "./http.js";

/** What one create sends, and how to recognise what it made. */
export interface CreateCall<T> {
  readonly call: Call;
  /** What the user reads in front of an error: `uploading avatars/james.mp4`. */
  readonly context: string;
  /** `avatar`, `video`: what a create makes, in the log's words. */
  readonly noun: string;
  /** The created thing in a 2xx answer, or undefined when the answer lacks it. */
  accept(answer: unknown): T | undefined;
  /** The thing this create made, looked for after an ambiguous failure; `since` is when the attempt began. */
  find(since: number): Promise<T | undefined>;
  idOf(found: T): string;
}

/**
 * Sends a create until it lands, never making two (SPEC §5, §12): a failure the server
 * provably did not act on is retried; after an ambiguous one, what it may have made is looked
 * for first and adopted if there, and only if not is the create sent again. A success whose
 * answer cannot be read is looked for too, but never sent again.
 */
export async function createOnce<T>(
  http: Http,
  log: Log,
  now: () => number,
  create: CreateCall<T>,
): Promise<T> {
  const { call, context, noun } = create;
  for (let attempt = 1; ; attempt++) {
    const started = now();
    let failure: CreatifyError;
    try {
      const made = create.accept(await http.send(call));
      if (made !== undefined) return made;
      failure = new CreatifyError(`${call.path}: answer has no ${noun} id`, "final", "not-json");
    } catch (error) {
      if (!(error instanceof CreatifyError)) throw error;
      failure = error;
    }
    const accepted = failure.reason === "not-json";
    if (failure.kind === "final" && !accepted) throw failure.withContext(context);
    if (failure.kind === "ambiguous" || accepted) {
      log.warning(
        `${context}: ${failure.message}; the server may have stored it, looking for the ${noun} before anything else`,
      );
      const adopted = await create.find(started).catch((error) => {
        // Say what was sent and that it may exist, not only that the list failed.
        throw new CreatifyError(
          `${context}: ${failure.message}; the ${noun} may have been created, but looking for it failed: ${messageOf(error)}`,
          "ambiguous",
          failure.reason,
          failure.status,
        );
      });
      if (adopted !== undefined) {
        log.info(`Found ${noun} ${create.idOf(adopted)} created by that attempt; using it.`);
        return adopted;
      }
      if (accepted) throw failure.withContext(context);
    }
    const delay = http.retryDelay(failure, attempt);
    if (delay === undefined) throw failure.withContext(context);
    await http.pause(failure, delay, attempt);
  }
}

/** A created thing's `created_at` may trail our clock by this much and still be ours. */
export const CLOCK_SKEW_MS = 120_000;

/** Whether a `created_at` is at or after `since`, within the skew; an unreadable one counts. */
export function createdSince(createdAt: unknown, since: number): boolean {
  const created = Date.parse(typeof createdAt === "string" ? createdAt : "");
  return Number.isNaN(created) || created >= since - CLOCK_SKEW_MS;
}
