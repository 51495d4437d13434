import assert from 'node:assert/strict';
import { isSystemNamespace, listed, subjectKey } from '../../../checks/support/inCluster.js';

describe('in-cluster check helpers', () => {
  it('lists at most ten names, then says how many more', () => {
    const names = Array.from({ length: 12 }, (_, index) => `ns-${index}`);
    assert.equal(listed(names), 'ns-0, ns-1, ns-2, ns-3, ns-4, ns-5, ns-6, ns-7, ns-8, ns-9 and 2 more');
    assert.equal(listed(['a', 'b']), 'a, b');
  });

  it('writes subjects as clusterAdminAllow expects them', () => {
    assert.deepEqual(
      [
        subjectKey({ kind: 'User', name: 'break-glass@acme.example' }),
        subjectKey({ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }),
      ],
      ['User:break-glass@acme.example', 'ServiceAccount:ci/deployer'],
    );
  });

  it("treats kube-* and the provider's own namespaces as system ones, and default as a workload's", () => {
    assert.deepEqual(
      [
        isSystemNamespace('eks', 'kube-node-lease'),
        isSystemNamespace('eks', 'amazon-guardduty'),
        isSystemNamespace('gke', 'gke-managed-cim'),
        isSystemNamespace('aks', 'gmp-system'),
        isSystemNamespace('aks', 'default'),
      ],
      [true, true, true, false, false],
    );
  });
});
