import type { PostureOrigin } from '../../../model/posture.js';
import { normaliseGke } from '../../../providers/gcp/normalise.js';
import { exportedClusters } from '../fleetDocuments.js';
import { camelCase, describeNormaliserProperties, recased, snakeCase } from '../wireProperties.js';

// Issue 14: arbitrary, truncated and type-confused Cluster resources never throw out of
// normaliseGke, and a field it cannot read never lets a check pass. Most GKE fields are proto3
// scalars whose absence means their zero value, so few have no default to map.

const origin: PostureOrigin = {
  kind: 'snapshot',
  file: 'property.json',
  format: 'gcloud container clusters describe',
};

describeNormaliserProperties(
  {
    provider: 'gke',
    documents: () => exportedClusters('gke', (file) => !file.includes('in-cluster')),
    // REST and gcloud write camelCase; Python protobuf dumps snake_case.
    casings: {
      snake_case: (document) => recased(document, snakeCase),
      camelCase: (document) => recased(document, camelCase),
    },
    withIdentity: (fields) => ({
      ...fields,
      name: 'props',
      selfLink: 'https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/props',
      location: 'europe-west1',
    }),
    fieldNames: [
      'currentMasterVersion',
      'initialClusterVersion',
      'nodePools',
      'privateClusterConfig',
      'controlPlaneEndpointsConfig',
      'masterAuthorizedNetworksConfig',
      'legacyAbac',
      'databaseEncryption',
      'loggingService',
      'loggingConfig',
      'networkPolicy',
      'networkConfig',
      'releaseChannel',
      'masterAuth',
      'autopilot',
      'nodePoolDefaults',
      'resourceLabels',
    ],
    normalise: (document) => normaliseGke({ cluster: document }, origin),
    sources: {
      version: ['currentMasterVersion'],
      // proto3 drops an empty list, so no list is not "no pools".
      nodePools: ['nodePools'],
      'nodePools[].version': ['nodePools.*.version'],
    },
  },
  'property: normaliseGke on arbitrary, truncated and type-confused API objects',
);
