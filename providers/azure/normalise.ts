import type { AksClusterPosture, PostureOrigin } from '../../model/posture.js';
import type { Collected } from '../collected.js';
import { NormaliseError } from '../errors.js';

/** What was collected for one AKS cluster. */
export interface AksCollected {
  /** A managed cluster: flattened (SDK, `az aks show`) or ARM wire JSON with a `properties` envelope. */
  readonly managedCluster: unknown;
  /** Diagnostic settings on the cluster resource (Azure Monitor), when read. */
  readonly diagnosticSettings: Collected<readonly unknown[]>;
}

/** Maps a raw AKS managed cluster to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseAks(_collected: AksCollected, origin: PostureOrigin): AksClusterPosture {
  throw new NormaliseError('not implemented yet', { provider: 'aks', source: origin.kind });
}
