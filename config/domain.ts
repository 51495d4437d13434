import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from '../checks/types.js';
import type { ClusterSelector, Waiver } from '../engine/waivers.js';
import type { KubelineConfig } from './schema.js';

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Drops keys whose value is undefined (the parser's optional keys) so domain types stay exact. */
function defined<T extends object>(value: T): Partial<Defined<T>> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<
    Defined<T>
  >;
}

/** Check thresholds: the defaults, overridden by `checks.settings`. */
export function checkSettingsFrom(config: KubelineConfig): CheckSettings {
  return { ...DEFAULT_CHECK_SETTINGS, ...defined(config.checks?.settings ?? {}) };
}

/** Waivers as the engine applies them. */
export function waiversFrom(config: KubelineConfig): Waiver[] {
  return (config.waivers ?? []).map((waiver) => ({
    check: waiver.check,
    clusters: defined(waiver.clusters) as ClusterSelector,
    reason: waiver.reason,
    owner: waiver.owner,
    expires: waiver.expires,
  }));
}
