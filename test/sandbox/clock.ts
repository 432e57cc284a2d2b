// The server's clock: Creatify's, which may be minutes off the runner's, and the ISO form in
// which its dates are written (Django REST Framework writes microseconds, `Z` or an offset).

export interface ClockOptions {
  /** How far the server's clock is ahead of the runner's (negative: behind); default 0. */
  clockOffsetMs?: number;
  /** How a date is written; default `toISOString()` (milliseconds and `Z`). */
  timeFormat?: (ms: number) => string;
}

/** The server's "now" as written in its answers, `agoMs` before it. */
export type Clock = (agoMs?: number) => string;

export function clockOf({ clockOffsetMs = 0, timeFormat }: ClockOptions = {}): Clock {
  const format = timeFormat ?? ((ms: number) => new Date(ms).toISOString());
  return (agoMs = 0) => format(Date.now() + clockOffsetMs - agoMs);
}

/** Django's forms of one instant, for `timeFormat`: microseconds, and an offset of `minutes`. */
export function djangoTime(ms: number, offsetMinutes = 0, micro = true): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  // Three digits past the milliseconds, as Python writes them.
  const fraction = micro ? `.${String(ms % 1000).padStart(3, "0")}456` : "";
  if (offsetMinutes === 0) return `${local}${fraction}+00:00`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${local}${fraction}${zone}`;
}

/** A listing answered as Django REST Framework's paged form, `pageSize` items a page. */
export interface PagingOptions {
  listPageSize?: number;
  /** Where `next` points instead of the sandbox's own origin (another server: never to be asked). */
  nextOrigin?: string;
}
