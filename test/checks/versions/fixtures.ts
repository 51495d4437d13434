import type { Observed } from '../../../model/observed.js';
import type { EksClusterPosture, LiveVersionSupport } from '../../../model/posture.js';
import type { VersionSupportWindow } from '../../../model/support.js';
import { at, eksPosture, version } from '../../fixtures/postures.js';

/** Evidence paths of the control-plane version, per provider. */
export const EKS_VERSION = 'cluster.version';
export const GKE_VERSION = 'cluster.currentMasterVersion';
export const AKS_VERSION = 'properties.currentKubernetesVersion';

/** Evidence path and source of live EKS version data. */
export const LIVE = 'clusterVersions';
export const LIVE_SOURCE = 'eks:DescribeClusterVersions';

/** An EKS cluster on `raw`, otherwise compliant. */
export function eksAt(raw: string): EksClusterPosture {
  return eksPosture({ version: at(EKS_VERSION, version(raw), raw) });
}

/** Live support data as DescribeClusterVersions would give it. */
export function live(
  window: VersionSupportWindow | null,
  newestMinorVersion: string,
): Observed<LiveVersionSupport> {
  return at<LiveVersionSupport>(
    LIVE,
    { window, newestMinorVersion, source: LIVE_SOURCE },
    { clusterVersion: window?.minorVersion ?? null, newest: newestMinorVersion },
  );
}
