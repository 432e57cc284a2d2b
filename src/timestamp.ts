/**
 * A date and time as ISO 8601 writes it, in parts: `2026-01-02T03:04:05.123456+05:30`, any
 * number of fraction digits, `Z`, an offset with or without its colon, or none.
 */
const ISO =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A `created_at` as Creatify (Django REST Framework) writes it, in milliseconds since the
 * epoch: microseconds, `Z`, `+00:00` or another offset, or none (a server without time zones
 * writes naive times; both sides of a comparison come from its one clock, so they are read
 * alike, as UTC). Anything else is unreadable (undefined): a decision that needs a date must
 * not guess one. Rewritten into the one form ECMAScript defines `Date.parse` for.
 */
export function parseTimestamp(value: unknown): number | undefined {
  const match = typeof value === "string" ? ISO.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, date, minutes, seconds = "00", fraction = "", zone = "Z"] = match;
  const offset = /^[+-]\d{2}$/.test(zone)
    ? `${zone}:00`
    : zone.length === 5
      ? `${zone.slice(0, 3)}:${zone.slice(3)}`
      : zone;
  const millis = fraction.padEnd(3, "0").slice(0, 3);
  const time = Date.parse(`${date}T${minutes}:${seconds}.${millis}${offset.toUpperCase()}`);
  return Number.isNaN(time) ? undefined : time;
}
