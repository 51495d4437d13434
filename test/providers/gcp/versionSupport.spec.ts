import assert from 'node:assert/strict';
import { unknown } from '../../../model/observed.js';
import { collected, missing } from '../../../providers/collected.js';
import { gkeVersionSupport } from '../../../providers/gcp/versionSupport.js';

const CLUSTER = {
  name: 'c',
  currentMasterVersion: '1.34.6-gke.1300000',
  releaseChannel: { channel: 'STABLE' },
};
const SERVER_CONFIG = {
  validMasterVersions: ['1.36.2-gke.1', '1.35.4-gke.1', '1.34.6-gke.1'],
  channels: [
    { channel: 'RAPID', validVersions: ['1.36.2-gke.1'] },
    { channel: 'STABLE', validVersions: ['1.35.4-gke.1', '1.34.6-gke.1'] },
  ],
};
const UPGRADE_INFO = {
  endOfStandardSupportTimestamp: '2026-10-01T00:00:00Z',
  endOfExtendedSupportTimestamp: '2027-10-01T00:00:00Z',
};

describe('gkeVersionSupport: live version data of a GKE cluster', () => {
  it('takes the support dates from fetchClusterUpgradeInfo and the newest version of the cluster’s channel', () => {
    const support = gkeVersionSupport(
      { upgradeInfo: collected(UPGRADE_INFO), serverConfig: collected(SERVER_CONFIG) },
      CLUSTER,
    );
    assert.ok('value' in support);
    assert.deepEqual(support.value, {
      window: {
        minorVersion: '1.34',
        releaseDate: '',
        endOfStandardSupport: '2026-10-01',
        endOfExtendedSupport: '2027-10-01',
      },
      newestMinorVersion: '1.35',
      source: 'gke:fetchClusterUpgradeInfo',
    });
    assert.deepEqual(
      support.from.map((field) => field.path),
      [
        'clusterUpgradeInfo.endOfStandardSupportTimestamp',
        'clusterUpgradeInfo.endOfExtendedSupportTimestamp',
        'serverConfig.channels[channel=STABLE].validVersions',
      ],
    );
  });

  it('uses the location’s newest control-plane version for a cluster on no channel, and reads numeric enums', () => {
    const noChannel = gkeVersionSupport(
      { upgradeInfo: collected(UPGRADE_INFO), serverConfig: collected(SERVER_CONFIG) },
      { ...CLUSTER, releaseChannel: {} },
    );
    assert.ok('value' in noChannel && noChannel.value.newestMinorVersion === '1.36');
    const rapidByNumber = gkeVersionSupport(
      {
        upgradeInfo: collected(UPGRADE_INFO),
        serverConfig: collected({
          ...SERVER_CONFIG,
          channels: [{ channel: 1, validVersions: ['1.37.0-gke.1'] }],
        }),
      },
      { ...CLUSTER, releaseChannel: { channel: 1 } },
    );
    assert.ok('value' in rapidByNumber && rapidByNumber.value.newestMinorVersion === '1.37');
  });

  it('has no window when the API states no end of standard support, so the checks use the calendar', () => {
    const support = gkeVersionSupport(
      { upgradeInfo: collected({ autoUpgradeStatus: ['ACTIVE'] }), serverConfig: collected(SERVER_CONFIG) },
      CLUSTER,
    );
    assert.ok('value' in support);
    assert.equal(support.value.window, null);
  });

  it('is unknown, with the failed call as the reason, when either call failed, and in a snapshot', () => {
    const denied = gkeVersionSupport(
      {
        upgradeInfo: missing('container:FetchClusterUpgradeInfo failed: PERMISSION_DENIED: no'),
        serverConfig: collected(SERVER_CONFIG),
      },
      CLUSTER,
    );
    assert.deepEqual(
      denied,
      unknown('container:FetchClusterUpgradeInfo failed: PERMISSION_DENIED: no; using the bundled calendar'),
    );
    const noVersions = gkeVersionSupport(
      { upgradeInfo: collected(UPGRADE_INFO), serverConfig: collected({}) },
      CLUSTER,
    );
    assert.ok('unknown' in noVersions);
    assert.match(noVersions.unknown, /getServerConfig listed no valid version/);
    const snapshot = gkeVersionSupport({}, CLUSTER);
    assert.ok('unknown' in snapshot);
    assert.equal(
      snapshot.unknown,
      'fetchClusterUpgradeInfo not read in a snapshot; using the bundled calendar',
    );
  });
});
