import { messageOf } from "../errors.js";
import type { Log } from "../log.js";
import { newest } from "./created.js";
import { CreatifyError } from "./errors.js";
import type { Call, Http } from "./http.js";

/** How to recognise what a create made: by ids and by its mark, never by its date. */
export interface Mine<T> {
  /** The ids of the run's listing read before the first attempt: nothing this create made. */
  readonly known: ReadonlySet<string>;
  /** Whether an item carries this request's mark (its fingerprint). */
  carries(item: T): boolean;
}

/** What one create sends, and how to recognise what it made. */
export interface CreateCall<T> extends Mine<T> {
  readonly call: Call;
  /** What the user reads in front of an error: `uploading avatars/james.mp4`. */
  readonly context: string;
  /** `avatar`, `video`: what a create makes, in the log's words. */
  readonly noun: string;
  /** The created thing in a 2xx answer, or undefined when the answer lacks it. */
  accept(answer: unknown): T | undefined;
  /** The listing read again after an ambiguous failure, whole. */
  list(): Promise<readonly T[]>;
}

/**
 * What an ambiguous create made, if anything: an item carrying this request's mark whose id
 * the run's earlier listing did not hold. Ids, never clocks: Creatify's `created_at` and the
 * runner's clock may be minutes apart, and a time window would miss it and bill twice. Of two
 * such items (a retried create whose first attempt surfaced late), the newest.
 */
export function adopt<T extends { readonly id: string; readonly created_at?: unknown }>(
  listed: readonly T[],
  known: ReadonlySet<string>,
  carries: (item: T) => boolean,
): T | undefined {
  return newest(listed.filter((item) => !known.has(item.id) && carries(item)));
}

/**
 * Sends a create until it lands, never making two: a failure the server
 * provably did not act on is retried; after an ambiguous one, what it may have made is looked
 * for first and adopted if there, and only if not is the create sent again. A success whose
 * answer cannot be read is looked for too, but never sent again.
 */
export async function createOnce<T extends { readonly id: string; readonly created_at?: unknown }>(
  http: Http,
  log: Log,
  create: CreateCall<T>,
): Promise<T> {
  const { call, context, noun } = create;
  for (let attempt = 1; ; attempt++) {
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
      const adopted = await create
        .list()
        .then((listed) => adopt(listed, create.known, (item) => create.carries(item)))
        .catch((error) => {
          // Say what was sent and that it may exist, not only that the list failed.
          throw new CreatifyError(
            `${context}: ${failure.message}; the ${noun} may have been created, but looking for it failed: ${messageOf(error)}`,
            "ambiguous",
            failure.reason,
            failure.status,
          );
        });
      if (adopted !== undefined) {
        log.info(`Found ${noun} ${adopted.id} created by that attempt; using it.`);
        return adopted;
      }
      if (accepted) throw failure.withContext(context);
    }
    const delay = http.retryDelay(failure, attempt);
    if (delay === undefined) throw failure.withContext(context);
    await http.pause(failure, delay, attempt);
  }
}
