import type { EksClusterPosture, PostureOrigin } from '../../model/posture.js';
import type { Collected } from '../collected.js';
import { NormaliseError } from '../errors.js';

/** What was collected for one EKS cluster. A snapshot holds only DescribeCluster; the rest is `missing`. */
export interface EksCollected {
  /** The `cluster` object of a DescribeCluster response. */
  readonly cluster: unknown;
  /** The `nodegroup` objects of DescribeNodegroup, one per ListNodegroups entry. */
  readonly nodegroups: Collected<readonly unknown[]>;
  /** The `identityProviderConfigs` entries of ListIdentityProviderConfigs. */
  readonly identityProviderConfigs: Collected<readonly unknown[]>;
  /** The `addon` objects of DescribeAddon, one per ListAddons entry. */
  readonly addons: Collected<readonly unknown[]>;
}

/** Maps raw EKS responses to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseEks(_collected: EksCollected, origin: PostureOrigin): EksClusterPosture {
  throw new NormaliseError('not implemented yet', { provider: 'eks', source: origin.kind });
}
