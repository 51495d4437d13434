import assert from 'node:assert/strict';
import { CHECKS } from '../../checks/registry.js';
import type { ClusterPosture, Provider } from '../../model/posture.js';
import { EKS_READ_ACTIONS } from '../../providers/aws/permissions.js';
import { AKS_ACTIONS } from '../../providers/azure/permissions.js';
import { apiCallsFor, FIELD_APIS } from '../../providers/fieldApis.js';
import { GCP_READ_PERMISSIONS } from '../../providers/gcp/permissions.js';
import { IN_CLUSTER_PERMISSIONS } from '../../providers/kubernetes/permissions.js';
import { defaultRbac, withInCluster } from '../checks/inClusterWire.js';
import { observedPaths } from '../checks/propertyPostures.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';

/** A posture of each provider with every field read: node pools and in-cluster facts included. */
const FULL: Readonly<Record<Provider, ClusterPosture>> = {
  eks: withInCluster(eksPosture(), { ...defaultRbac(), awsAuth: null }),
  gke: withInCluster(gkePosture(), defaultRbac()),
  aks: withInCluster(aksPosture(), defaultRbac()),
};

/** A posture field path in the notation of declared reads: `nodePools[].publicIps`, `inCluster.awsAuth`. */
function notation(path: readonly (string | number)[]): string {
  return path
    .filter((key) => key !== 'value')
    .map((key) => (typeof key === 'number' ? '[]' : key))
    .join('.')
    .replace(/\.\[\]/g, '[]');
}

/** Fields not reached through another field's value: the ones a normaliser fills from calls. */
function topLevelFields(posture: ClusterPosture): string[] {
  return observedPaths(posture)
    .filter((path) => !path.includes('value'))
    .map(notation);
}

/** `kubernetes:<verb> <resource>[.<group>]`, as the table names the in-cluster requests. */
const KUBERNETES_ACTIONS = IN_CLUSTER_PERMISSIONS.map(
  (permission) =>
    `kubernetes:${permission.verb} ${permission.resource}${permission.apiGroup === '' ? '' : `.${permission.apiGroup}`}`,
);

const PERMITTED: Readonly<Record<Provider, readonly string[]>> = {
  eks: [...EKS_READ_ACTIONS, ...KUBERNETES_ACTIONS],
  gke: [...GCP_READ_PERMISSIONS, ...KUBERNETES_ACTIONS],
  aks: [...AKS_ACTIONS, ...KUBERNETES_ACTIONS],
};

describe('providers: the API calls behind each posture field', () => {
  for (const provider of ['eks', 'gke', 'aks'] as const) {
    describe(provider, () => {
      const table: Readonly<Record<string, readonly string[]>> = FIELD_APIS[provider];

      it('has an entry for every top-level field of the posture', () => {
        // Act
        const missing = topLevelFields(FULL[provider]).filter((field) => !(field in table));
        // Assess
        assert.deepEqual(missing, []);
      });

      it('names only fields the posture has', () => {
        // Prepare
        const fields = new Set(observedPaths(FULL[provider]).map(notation));
        // Act
        const strangers = Object.keys(table).filter((field) => !fields.has(field));
        // Assess
        assert.deepEqual(strangers, []);
      });

      it("names only actions of the provider's permissions list, which the least-privilege roles grant", () => {
        // Act
        const unlisted = [...new Set(Object.values(table).flat())].filter(
          (action) => !PERMITTED[provider].includes(action),
        );
        // Assess
        assert.deepEqual(unlisted, []);
      });

      it('has an entry for every field a check declares, or for a field it lies inside', () => {
        // Act
        const unmapped = CHECKS.flatMap((check) => {
          const entry = check.providers[provider];
          if ('notApplicable' in entry) return [];
          return entry.reads
            .filter(
              (read) =>
                !Object.keys(table).some(
                  (field) => read === field || read.startsWith(`${field}.`) || read.startsWith(`${field}[]`),
                ),
            )
            .map((read) => `${check.id} ${read}`);
        });
        // Assess
        assert.deepEqual(unmapped, []);
      });
    });
  }

  it('adds the calls of the fields a sub-field lies inside, each once, the outer ones first', () => {
    assert.deepEqual(apiCallsFor('eks', ['nodePools[].publicIps', 'nodePools', 'auditLogs']), [
      'eks:ListNodegroups',
      'eks:DescribeNodegroup',
      'ec2:DescribeSubnets',
      'ec2:DescribeLaunchTemplateVersions',
      'eks:DescribeCluster',
    ]);
    assert.deepEqual(apiCallsFor('gke', ['inCluster.kubelets[].readOnlyPort']), [
      'container.clusters.list',
      'kubernetes:list nodes',
      'kubernetes:get nodes/proxy',
    ]);
  });

  it('reads a field the table does not know from no call, and a provider fact from none', () => {
    assert.deepEqual(apiCallsFor('aks', ['nowhere.at.all']), []);
    assert.deepEqual(apiCallsFor('eks', ['authorization.rbac']), []);
  });
});
