const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Parses a `YYYY-MM-DD` calendar day as UTC midnight; undefined when not a real day. */
export function parseDay(day: string): Date | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(day) ? date : undefined;
}

/**
 * UTC midnights of days already parsed, in ms (NaN: not a day). The support checks compare every
 * cluster with the same few calendar days; parsing them anew was a visible part of evaluating an
 * estate of thousands. Bounded, as the days compared come from data.
 */
const DAY_TIMES = new Map<string, number>();
const DAY_TIMES_KEPT = 4096;

function dayTime(day: string): number {
  const known = DAY_TIMES.get(day);
  if (known !== undefined) return known;
  const time = parseDay(day)?.getTime() ?? Number.NaN;
  if (DAY_TIMES.size >= DAY_TIMES_KEPT) DAY_TIMES.clear();
  DAY_TIMES.set(day, time);
  return time;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). Both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  const start = dayTime(from);
  const end = dayTime(to);
  if (Number.isNaN(start) || Number.isNaN(end))
    throw new RangeError(`not a YYYY-MM-DD day: ${Number.isNaN(start) ? from : to}`);
  return Math.round((end - start) / MS_PER_DAY);
}

/** The `YYYY-MM-DD` day of an instant, in UTC. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** `1 day`, `3 days`. */
export function dayCount(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}
