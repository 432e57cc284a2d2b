const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses `90s`, `45m`, `6h`, `2d`, `250ms` or bare seconds (`120`) into milliseconds.
 * Returns undefined for anything else so the caller can name the input at fault.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = UNIT_MS[(match[2] ?? "s").toLowerCase()] ?? 1000;
  return Math.round(Number(match[1]) * unit);
}

/**
 * How long one call to a server may take, retries and the answer's body included (a download
 * past it must keep a minimum pace): 3 minutes, as docs/design.md's bounds say.
 */
export const CALL_BUDGET_MS = 180_000;

/** Node's timers fire at once past 2^31-1 ms (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` once `ms` have passed, in steps where that is longer than one timer can wait, so
 * a wait of weeks still waits. Returns what cancels it.
 */
export function longTimeout(fire: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout;
  const step = (left: number) => {
    timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => step(left - MAX_TIMER_MS), MAX_TIMER_MS)
        : setTimeout(fire, Math.max(0, left));
  };
  step(ms);
  return () => clearTimeout(timer);
}

/** Waits `ms`, however long. */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => longTimeout(resolve, ms));
}

/** `4m12s`, `2h3m`, `850ms`: short enough for a log line, exact enough to compare runs. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts: [number, string][] = [
    [days, "d"],
    [hours, "h"],
    [minutes, "m"],
    [seconds, "s"],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join("");
}
