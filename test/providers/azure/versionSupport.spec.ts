import assert from 'node:assert/strict';
import { known, unknown } from '../../../model/observed.js';
import { aksVersionSupport } from '../../../providers/azure/versionSupport.js';
import { collected, missing } from '../../../providers/collected.js';

const CLUSTER = { properties: { kubernetesVersion: '1.33', currentKubernetesVersion: '1.33.5' } };

function support(values: unknown, managedCluster: unknown = CLUSTER) {
  return aksVersionSupport({
    managedCluster,
    diagnosticSettings: collected([]),
    kubernetesVersions: collected({ values }),
  });
}

describe('providers/azure: live version support from listKubernetesVersions', () => {
  it('names the newest generally available minor, skips previews, and cites the cluster minor entry', () => {
    const entry133 = { version: '1.33', capabilities: { supportPlan: ['AKSLongTermSupport'] } };
    assert.deepEqual(
      support([
        { version: '1.37', isPreview: true, capabilities: { supportPlan: ['KubernetesOfficial'] } },
        { version: '1.36', capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] } },
        entry133,
        { version: '1.9', capabilities: { supportPlan: ['KubernetesOfficial'] } },
      ]),
      known(
        { window: null, newestMinorVersion: '1.36', source: 'aks:listKubernetesVersions' },
        { path: 'kubernetesVersions.values[version=1.33]', value: entry133 },
        { path: 'kubernetesVersions.values[newest].version', value: '1.36' },
      ),
    );
  });

  it('compares minors as numbers: 1.10 is newer than 1.9', () => {
    const result = support([{ version: '1.9' }, { version: '1.10' }]);
    assert.ok('value' in result);
    assert.equal(result.value.newestMinorVersion, '1.10');
  });

  it('says the cluster minor is not listed when the location no longer offers it', () => {
    const result = support([{ version: '1.36' }], { kubernetesVersion: '1.29.9' });
    assert.ok('value' in result);
    assert.deepEqual(result.from[0], { path: 'kubernetesVersions.values[version=1.29]', value: null });
  });

  it('is unknown with the call failure when the list could not be read', () => {
    assert.deepEqual(
      aksVersionSupport({
        managedCluster: CLUSTER,
        diagnosticSettings: collected([]),
        kubernetesVersions: missing('Microsoft.ContainerService/locations/kubernetesVersions/read timed out'),
      }),
      unknown('Microsoft.ContainerService/locations/kubernetesVersions/read timed out'),
    );
  });

  it('is unknown, naming the bundled calendar, when the list was not read (a snapshot)', () => {
    assert.deepEqual(
      aksVersionSupport({ managedCluster: CLUSTER, diagnosticSettings: collected([]) }),
      unknown('listKubernetesVersions not read in a snapshot; using the bundled calendar'),
    );
  });

  it('is unknown when only previews are offered, or the list is malformed', () => {
    assert.ok('unknown' in support([{ version: '1.37', isPreview: true }]));
    assert.deepEqual(
      support('1.33'),
      unknown('kubernetesVersions.values is the string "1.33", expected a list', {
        path: 'kubernetesVersions.values',
        value: '1.33',
      }),
    );
    assert.ok('unknown' in support([{ version: 'latest' }]));
    assert.ok('unknown' in support([{ version: '1.33', isPreview: 'no' }]));
    assert.ok(
      'unknown' in support([{ version: '1.33', capabilities: { supportPlan: 'KubernetesOfficial' } }]),
    );
  });
});
