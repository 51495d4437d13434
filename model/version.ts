/** A Kubernetes version as the provider reports it, with its minor parsed as numbers. */
export interface KubernetesVersion {
  /** Exactly as reported: `1.31`, `1.33.5-gke.1080000`, `1.30.7`. */
  readonly raw: string;
  readonly major: number;
  readonly minor: number;
  /** `major.minor`, the unit of support windows: `1.33`. */
  readonly minorVersion: string;
}

const VERSION_PATTERN = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]+)?$/;

/** Parses `1.31`, `v1.30.7`, `1.33.5-gke.1080000`; returns undefined for anything else. */
export function parseKubernetesVersion(raw: string): KubernetesVersion | undefined {
  const match = VERSION_PATTERN.exec(raw.trim());
  if (!match) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) return undefined;
  return { raw, major, minor, minorVersion: `${major}.${minor}` };
}

/** Minor versions between two versions of the same major (`a` minus `b`); NaN across majors. */
export function minorDistance(a: KubernetesVersion, b: KubernetesVersion): number {
  return a.major === b.major ? a.minor - b.minor : Number.NaN;
}

/** Orders versions by major, then minor (numerically: 1.30 comes after 1.3 and 1.29). */
export function compareMinor(a: KubernetesVersion, b: KubernetesVersion): number {
  return a.major - b.major || a.minor - b.minor;
}
