import assert from 'node:assert/strict';
import { awsAuthMasters } from '../../../checks/identity/awsAuthMasters.js';
import { evalContext } from '../../fixtures/context.js';
import { eksPosture } from '../../fixtures/postures.js';
import { withInCluster } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const NODES =
  '- rolearn: arn:aws:iam::111111111111:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n';
const ADMIN =
  '- rolearn: arn:aws:iam::111111111111:role/admin\n  username: admin\n  groups: [system:masters]\n';

function awsAuth(mapRoles: string) {
  return { kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles } };
}

describe('RBAC-05 The aws-auth ConfigMap maps no one into system:masters', () => {
  const ctx = evalContext();

  it('passes when aws-auth maps only the nodes', () => {
    // Prepare
    const cluster = withInCluster(eksPosture(), { awsAuth: awsAuth(NODES) });
    // Act
    const verdict = evaluateCheck(awsAuthMasters, cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [
        { path: 'awsAuth.data.mapRoles', value: NODES },
        { path: 'awsAuth.data.mapUsers', value: null },
      ],
    });
  });

  it('passes when aws-auth does not exist (a 404), with that as evidence', () => {
    const cluster = withInCluster(eksPosture(), { awsAuth: null });
    assert.deepEqual(outcome(evaluateCheck(awsAuthMasters, cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: 'awsAuth', value: null }],
    });
  });

  it('fails when a role is mapped into system:masters, naming it', () => {
    const cluster = withInCluster(eksPosture(), { awsAuth: awsAuth(NODES + ADMIN) });
    const verdict = evaluateCheck(awsAuthMasters, cluster, ctx);
    assert.deepEqual(
      { ...outcome(verdict), message: verdict.message },
      {
        status: 'fail',
        evidence: [
          { path: 'awsAuth.data.mapRoles', value: NODES + ADMIN },
          { path: 'awsAuth.data.mapUsers', value: null },
        ],
        message: 'kube-system/aws-auth maps arn:aws:iam::111111111111:role/admin into system:masters.',
      },
    );
  });

  it('is unknown when the pass is off, when aws-auth was not read, or when it cannot be parsed', () => {
    const messages = [
      eksPosture(),
      withInCluster(eksPosture(), { errors: { awsAuth: '403 Forbidden' } }),
      withInCluster(eksPosture(), { awsAuth: awsAuth('- [') }),
    ].map((cluster) => {
      const verdict = evaluateCheck(awsAuthMasters, cluster, ctx);
      return `${verdict.status}: ${verdict.message}`;
    });
    assert.deepEqual(messages, [
      'unknown: In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
      'unknown: The aws-auth ConfigMap could not be read: awsAuth could not be read from the API server: 403 Forbidden',
      'unknown: The aws-auth ConfigMap could not be read: awsAuth.data.mapRoles is not YAML',
    ]);
  });
});
