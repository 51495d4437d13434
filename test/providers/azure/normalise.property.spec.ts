import type { PostureOrigin } from '../../../model/posture.js';
import { normaliseAks } from '../../../providers/azure/normalise.js';
import { missing } from '../../../providers/collected.js';
import { isRawObject } from '../../../providers/reader.js';
import { exportedClusters } from '../fleetDocuments.js';
import { describeNormaliserProperties } from '../wireProperties.js';

// Issue 14: arbitrary, truncated and type-confused managed clusters never throw out of
// normaliseAks, and a field it cannot read never lets a check pass.

const origin: PostureOrigin = { kind: 'snapshot', file: 'property.json', format: 'az aks show' };

/** Keys of the ARM resource envelope; every other field sits under `properties` on the wire. */
const ENVELOPE = new Set([
  'id',
  'name',
  'location',
  'type',
  'tags',
  'sku',
  'identity',
  'kind',
  'extendedLocation',
  'systemData',
  'resourceGroup',
]);

/** `az aks show` output as ARM wire JSON: settings moved under `properties`. */
function toArm(document: unknown): unknown {
  if (!isRawObject(document) || isRawObject(document.properties)) return document;
  const entries = Object.entries(document);
  return {
    ...Object.fromEntries(entries.filter(([key]) => ENVELOPE.has(key))),
    properties: Object.fromEntries(entries.filter(([key]) => !ENVELOPE.has(key))),
  };
}

/** ARM wire JSON as `az` and the SDKs give it: `properties` flattened into the resource. */
function toAz(document: unknown): unknown {
  if (!isRawObject(document) || !isRawObject(document.properties)) return document;
  const { properties, ...envelope } = document;
  return { ...envelope, ...properties };
}

/** A field of the managed cluster, where ARM puts it and where `az` does. */
function both(path: string): string[] {
  return [`properties.${path}`, path];
}

describeNormaliserProperties(
  {
    provider: 'aks',
    documents: () =>
      exportedClusters(
        'aks',
        (file) => !file.includes('in-cluster') && !file.includes('diagnostic-settings'),
      ),
    casings: { 'ARM envelope': toArm, 'az flattened': toAz },
    withIdentity: (fields) => ({
      ...fields,
      name: 'props',
      id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/props',
    }),
    fieldNames: [
      'properties',
      'kubernetesVersion',
      'currentKubernetesVersion',
      'enableRBAC',
      'agentPoolProfiles',
      'apiServerAccessProfile',
      'aadProfile',
      'securityProfile',
      'networkProfile',
      'addonProfiles',
      'identity',
      'servicePrincipalProfile',
      'sku',
      'tags',
    ],
    normalise: (document) =>
      normaliseAks(
        { managedCluster: document, diagnosticSettings: missing('diagnostic settings not exported') },
        origin,
      ),
    sources: {
      'authorization.rbac': both('enableRBAC'),
      version: [...both('currentKubernetesVersion'), ...both('kubernetesVersion')],
      nodePools: both('agentPoolProfiles'),
      'nodePools[].version': [
        ...both('agentPoolProfiles.*.currentOrchestratorVersion'),
        ...both('agentPoolProfiles.*.orchestratorVersion'),
      ],
      // A service principal leaves `identity` out; without either, how the cluster authenticates is not known.
      'aks.clusterIdentity': ['identity', ...both('servicePrincipalProfile')],
    },
  },
  'property: normaliseAks on arbitrary, truncated and type-confused API objects',
);
