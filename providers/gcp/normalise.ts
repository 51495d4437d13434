import type { GkeClusterPosture, PostureOrigin } from '../../model/posture.js';
import { NormaliseError } from '../errors.js';

/** What was collected for one GKE cluster: the v1 `Cluster` resource holds every field the checks read. */
export interface GkeCollected {
  /** A `Cluster` from clusters.get / clusters.list, REST JSON or gcloud `--format=json`. */
  readonly cluster: unknown;
}

/** Maps a raw GKE cluster to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseGke(_collected: GkeCollected, origin: PostureOrigin): GkeClusterPosture {
  throw new NormaliseError('not implemented yet', { provider: 'gke', source: origin.kind });
}
