import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { CHECKS } from '../../checks/registry.js';
import { evaluateChecks } from '../../engine/evaluate.js';
import type { Status } from '../../model/finding.js';
import type { InClusterRaw } from '../../model/inCluster.js';
import { unknown } from '../../model/observed.js';
import type { ClusterPosture, PostureOrigin } from '../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../providers/aws/normalise.js';
import { collected, missing } from '../../providers/collected.js';
import { isRawObject } from '../../providers/reader.js';
import { loadSnapshots } from '../../providers/snapshot/load.js';
import { evalContext } from '../fixtures/context.js';
import { RAW_FIXTURES, rawFixture, rawFixtureList } from '../providers/rawFixture.js';
import { defaultRbac, k8sList, withInCluster } from './inClusterWire.js';

// The product's first rule, as a property over every check: data that could not be read never
// makes a verdict better. Replacing any posture field with `unknown` may turn a pass into
// unknown or a fail into unknown, but never produces a pass that was not a pass before.

const EXAMPLE_FLEET = fileURLToPath(new URL('../../examples/fleet/', import.meta.url));
const LIVE_ORIGIN: PostureOrigin = { kind: 'api', api: 'eks:DescribeCluster' };

/** A path to one `Observed` field of a posture: object keys and array indexes. */
type FieldPath = readonly (string | number)[];

function isObserved(node: unknown): boolean {
  if (!isRawObject(node)) return false;
  return typeof node.unknown === 'string' || ('value' in node && Array.isArray(node.from));
}

/** Every `Observed` field of a posture, the fields inside a known value (node pools) included. */
function observedPaths(node: unknown, path: FieldPath = []): FieldPath[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => observedPaths(item, [...path, index]));
  if (!isRawObject(node)) return [];
  if (isObserved(node)) {
    return 'value' in node ? [path, ...observedPaths(node.value, [...path, 'value'])] : [path];
  }
  return Object.entries(node)
    .filter(([key]) => key !== 'origin' && key !== 'tags')
    .flatMap(([key, value]) => observedPaths(value, [...path, key]));
}

/** A copy of the posture with the fields at `paths` replaced by `unknown`. */
function withUnknown(posture: ClusterPosture, paths: readonly FieldPath[]): ClusterPosture {
  const copy = structuredClone(posture);
  for (const path of paths) {
    const parents = path.slice(0, -1);
    let container: unknown = copy;
    for (const key of parents) {
      // A field inside a value already replaced by an outer path is gone: nothing left to replace.
      if (typeof container !== 'object' || container === null) break;
      container = Reflect.get(container, key);
    }
    if (typeof container !== 'object' || container === null) continue;
    Reflect.set(
      container,
      path[path.length - 1] as string | number,
      unknown('replaced by the property test'),
    );
  }
  return copy;
}

function statuses(posture: ClusterPosture, asOf: string): Map<string, Status> {
  const findings = evaluateChecks([posture], CHECKS, evalContext({ asOf }));
  return new Map(findings.map((finding) => [finding.checkId, finding.status]));
}

/** Check ids whose status became `pass` although it was not `pass` with every field read. */
function newPasses(posture: ClusterPosture, paths: readonly FieldPath[], asOf: string): string[] {
  const before = statuses(posture, asOf);
  const after = statuses(withUnknown(posture, paths), asOf);
  return [...after]
    .filter(([checkId, status]) => status === 'pass' && before.get(checkId) !== 'pass')
    .map(([checkId]) => `${checkId}: ${before.get(checkId)} → pass`);
}

/** The `cluster` object of an `aws eks describe-cluster` fixture. */
function describedCluster(file: string): unknown {
  const document = rawFixture(`eks/${file}`);
  return isRawObject(document) ? (document.cluster ?? document.Cluster) : undefined;
}

/** An EKS cluster as a live scan collects it: node groups, add-ons, identity providers, region-wide reads. */
function liveEks(file: string): ClusterPosture {
  const input: EksCollected = {
    cluster: describedCluster(file),
    nodegroups: collected(rawFixtureList('eks/nodegroups.json')),
    addons: collected(rawFixtureList('eks/addons.json')),
    identityProviderConfigs: collected(rawFixtureList('eks/identity-provider-configs.json')),
    accessEntries: collected([]),
    clusterVersions: missing('not read in this test'),
    auditLogGroup: collected({ logGroupName: '/aws/eks/x/cluster', retentionInDays: 30 }),
    subnets: collected([
      { SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: true },
    ]),
    flowLogs: collected([]),
    guardDutyDetector: collected({ Status: 'ENABLED', Features: [] }),
  };
  return normaliseEks(input, LIVE_ORIGIN);
}

/** In-cluster facts every in-cluster check passes on, so the property can turn each of them unknown. */
const COMPLIANT_IN_CLUSTER: InClusterRaw = {
  ...defaultRbac(),
  awsAuth: null,
  namespaces: k8sList([
    { metadata: { name: 'kube-system' } },
    { metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
  ]),
  networkpolicies: k8sList([{ metadata: { name: 'default-deny', namespace: 'shop' } }]),
  nodes: k8sList([{ metadata: { name: 'n1', labels: { 'eks.amazonaws.com/nodegroup': 'general' } } }]),
  configz: {
    n1: {
      kubeletconfig: {
        authentication: { anonymous: { enabled: false } },
        authorization: { mode: 'Webhook' },
      },
    },
  },
  daemonsets: k8sList([
    {
      metadata: { name: 'aws-guardduty-agent', namespace: 'amazon-guardduty' },
      status: { desiredNumberScheduled: 1, numberReady: 1 },
    },
  ]),
};

describe('property: a field that could not be read never turns a verdict into a pass', () => {
  let postures: ClusterPosture[] = [];

  before(async () => {
    const exported = await loadSnapshots([EXAMPLE_FLEET, RAW_FIXTURES]);
    postures = [
      ...exported.postures,
      liveEks('describe-cluster-private.json'),
      liveEks('describe-cluster-auto-mode.json'),
      withInCluster(liveEks('describe-cluster-private.json'), COMPLIANT_IN_CLUSTER),
    ];
    assert.ok(postures.length >= 20, `${postures.length} postures read from the fixtures`);
    for (const provider of ['eks', 'gke', 'aks']) {
      assert.ok(
        postures.some((posture) => posture.provider === provider),
        `the fixtures hold ${provider} clusters`,
      );
    }
  });

  it('holds for every single field of every fixture cluster', () => {
    const broken: string[] = [];
    for (const posture of postures) {
      for (const path of observedPaths(posture)) {
        for (const change of newPasses(posture, [path], '2026-11-29')) {
          broken.push(`${posture.id} with ${path.join('.')} unknown: ${change}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('holds for any set of fields, on any day', () => {
    // Indexes rather than objects, so a counterexample prints as a few numbers.
    const scenario = fc.record({
      cluster: fc.nat(),
      fields: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 6 }),
      asOf: fc
        .date({
          min: new Date('2023-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((day) => day.toISOString().slice(0, 10)),
    });
    fc.assert(
      fc.property(scenario, ({ cluster, fields, asOf }) => {
        const posture = postures[cluster % postures.length] as ClusterPosture;
        const candidates = observedPaths(posture);
        const paths = fields.map((field) => candidates[field % candidates.length] as FieldPath);
        const where = paths.map((path) => path.join('.')).join(', ');
        assert.deepEqual(
          newPasses(posture, paths, asOf),
          [],
          `${posture.id} as of ${asOf} with ${where} unknown`,
        );
      }),
      { numRuns: 400 },
    );
  });
});
