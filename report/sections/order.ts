import { STATUSES, type Status } from '../../model/finding.js';

/** Orders text by code unit, not `localeCompare`: the report must sort the same on every machine. */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** A status's place in report order, `fail` first; null (not evaluated) after every status. */
export function statusRank(status: Status | null): number {
  return status === null ? STATUSES.length : STATUSES.indexOf(status);
}

/** The status that comes first in report order; null when there is none. */
export function worstStatus(statuses: Iterable<Status>): Status | null {
  let worst: Status | null = null;
  for (const status of statuses) if (statusRank(status) < statusRank(worst)) worst = status;
  return worst;
}

/** Items grouped by key, each group in the order of `items`. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
