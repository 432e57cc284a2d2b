/**
 * Django REST Framework writes `created_at` in ISO 8601 with any of: microseconds or none,
 * `Z`, `+00:00` or another offset. Read strictly, so a runner's time zone never changes what a
 * date means: a time without an offset is taken as UTC. Undefined for anything else.
 */
const ISO =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A `created_at` as epoch ms, to order items by; never compared with the runner's clock. */
export function createdAtMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = ISO.exec(value.trim());
  if (!match) return undefined;
  const [, date, time, fraction = "", zone = "Z"] = match;
  // Date.parse takes milliseconds; digits past them are dropped rather than rounded.
  const millis = fraction ? `.${fraction.slice(0, 3).padEnd(3, "0")}` : "";
  const offset = /^[+-]\d{2}$/.test(zone)
    ? `${zone}:00`
    : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(`${date}T${time}${millis}${offset.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The most recently created by `created_at`; one without a readable date counts as older than
 * any dated one, and of equal times the later in the list wins. The one rule for avatars, jobs
 * and what an ambiguous create made.
 */
export function newest<T extends { readonly created_at?: unknown }>(
  items: readonly T[],
): T | undefined {
  const at = (item: T) => createdAtMs(item.created_at) ?? Number.NEGATIVE_INFINITY;
  return items.reduce<T | undefined>(
    (best, item) => (best === undefined || at(item) >= at(best) ? item : best),
    undefined,
  );
}
