const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Parses a `YYYY-MM-DD` calendar day as UTC midnight; undefined when not a real day. */
export function parseDay(day: string): Date | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(day) ? date : undefined;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). Both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  const start = parseDay(from);
  const end = parseDay(to);
  if (!start || !end) throw new RangeError(`not a YYYY-MM-DD day: ${start ? to : from}`);
  return Math.round((end.getTime() - start.getTime()) / MS_PER_DAY);
}

/** The `YYYY-MM-DD` day of an instant, in UTC. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** `1 day`, `3 days`. */
export function dayCount(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}
