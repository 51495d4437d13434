import assert from 'node:assert/strict';
import { known, unknown } from '../../../model/observed.js';
import type { AksClusterPosture, NodePool, PostureOrigin } from '../../../model/posture.js';
import {
  type AksCollected,
  normaliseAks,
  parseAksResourceId,
  parseWorkspaceId,
} from '../../../providers/azure/normalise.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { IN_CLUSTER_OFF } from '../../../providers/kubernetes/normalise.js';
import { version } from '../../fixtures/postures.js';
import { generatedManagedCluster } from '../../peers/azure/generate.js';
import { normaliseError, rawFixture, rawFixtureList, withField } from '../rawFixture.js';

const origin: PostureOrigin = { kind: 'snapshot', file: 'clusters/aks.json', format: 'az aks show' };
const NOT_EXPORTED = 'diagnostic settings not exported';
const WORKSPACE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-sec';
const STORAGE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-logs/providers/Microsoft.Storage/storageAccounts/stlogsarchive';

const NO_VERSION_LIST = 'listKubernetesVersions not read in a snapshot; using the bundled calendar';
const RETIRED = 'which diagnostic settings do not show (their retentionPolicy was retired on 2025-09-30)';
const LIVE_ONLY = '; a live scan reads it from the workspace';
const SNAPSHOT_ALERTING =
  'failed-authentication alerting is read live only: Defender for Containers (the Containers pricing of the subscription) and scheduled query rules are not in exported files';
const ADMIN_GROUPS = 'properties.aadProfile.adminGroupObjectIDs';
const FLOW_OBSERVABILITY = 'properties.networkProfile.advancedNetworking.observability.enabled';
const DEFENDER_MONITORING = 'properties.securityProfile.defender.securityMonitoring.enabled';

/** The per-pool settings of an agent pool that sets none of them: ARM defaults, and what the API does not show. */
function defaultPoolSecurity(
  pool: string,
): Pick<NodePool, 'sshAccess' | 'secureBoot' | 'autoUpgrade' | 'serviceAccount'> {
  const profile = `properties.agentPoolProfiles[name=${pool}].securityProfile`;
  return {
    sshAccess: unknown(
      'SSH is on (LocalUser (the default)); whether network security groups limit port 22 is not read',
      { path: `${profile}.sshAccess`, value: null },
    ),
    secureBoot: known(false, { path: `${profile}.enableSecureBoot`, value: null }),
    autoUpgrade: unknown('AKS upgrades node pools through the cluster autoUpgradeProfile, not per pool'),
    serviceAccount: unknown('AKS nodes run as the cluster kubelet identity, which is not read per pool'),
  };
}

function fixture(file: string): unknown {
  return rawFixture(`aks/${file}`);
}

function withoutSettings(managedCluster: unknown): AksCollected {
  return { managedCluster, diagnosticSettings: missing(NOT_EXPORTED) };
}

function normalise(managedCluster: unknown, settings?: readonly unknown[]): AksClusterPosture {
  return normaliseAks(
    settings === undefined
      ? withoutSettings(managedCluster)
      : { managedCluster, diagnosticSettings: collected(settings) },
    origin,
  );
}

function observedValue<T>(observed: { readonly value: T } | { readonly unknown: string }): T | string {
  return 'value' in observed ? observed.value : `unknown: ${observed.unknown}`;
}

/** The `value` list of an ARM list envelope fixture. */
function armList(file: string): readonly unknown[] {
  const document = fixture(file);
  const list: unknown =
    typeof document === 'object' && document !== null ? Reflect.get(document, 'value') : undefined;
  if (!Array.isArray(list)) throw new Error(`${file} has no value list`);
  return list;
}

describe('normaliseAks', () => {
  describe('a private cluster in ARM wire JSON, with its diagnostic settings', () => {
    it('maps every posture field with its ARM evidence path', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-private.json');
      const settings = rawFixtureList('aks/diagnostic-settings-az.json');
      const keyId = 'https://kv-payments.vault.azure.net/keys/etcd/00000000000000000000000000000001';
      const adminGroups = ['00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a2'];
      const settingEvidence = [
        {
          path: 'diagnosticSettings[name=to-sentinel].properties.logs',
          value: [
            { category: 'kube-audit-admin', enabled: true, retentionPolicy: { days: 0, enabled: false } },
            { category: 'guard', enabled: true, retentionPolicy: { days: 0, enabled: false } },
            { category: 'kube-apiserver', enabled: false, retentionPolicy: { days: 0, enabled: false } },
          ],
        },
        { path: 'diagnosticSettings[name=to-sentinel].properties.workspaceId', value: WORKSPACE },
        {
          path: 'diagnosticSettings[name=nowhere].properties.logs',
          value: [{ category: 'kube-audit', enabled: true }],
        },
      ];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      const expected: AksClusterPosture = {
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-payments/providers/Microsoft.ContainerService/managedClusters/aks-payments',
        provider: 'aks',
        scope: '00000000-0000-0000-0000-000000000001',
        location: 'westeurope',
        name: 'aks-payments',
        tags: { team: 'payments', Environment: 'Production' },
        origin,
        mode: known('standard', { path: 'sku.name', value: 'Base' }),
        version: known(version('1.30.7'), { path: 'properties.currentKubernetesVersion', value: '1.30.7' }),
        supportPlan: known('extended', { path: 'properties.supportPlan', value: 'AKSLongTermSupport' }),
        endpoint: {
          publicAccess: known(false, {
            path: 'properties.apiServerAccessProfile.enablePrivateCluster',
            value: true,
          }),
          privateAccess: known(
            true,
            { path: 'properties.apiServerAccessProfile.enablePrivateCluster', value: true },
            { path: 'properties.apiServerAccessProfile.enableVnetIntegration', value: null },
          ),
          authorizedNetworks: known(
            { enforced: false, cidrs: [], allowsCloudPublicRanges: false },
            { path: 'properties.apiServerAccessProfile.authorizedIPRanges', value: null },
          ),
        },
        authorization: {
          rbac: known(true, { path: 'properties.enableRBAC', value: true }),
          legacyAbac: known(false),
        },
        secretsEncryption: known(
          { envelope: true, keyManagedBy: 'customer', keyId },
          { path: 'properties.securityProfile.azureKeyVaultKms.enabled', value: true },
          { path: 'properties.securityProfile.azureKeyVaultKms.keyId', value: keyId },
        ),
        auditLogs: known(
          { exported: true, categories: ['kube-audit-admin'], destinations: [WORKSPACE] },
          ...settingEvidence,
        ),
        authenticatorLogs: known(true, ...settingEvidence),
        networkPolicy: known(
          { enforced: true, engine: 'calico' },
          { path: 'properties.networkProfile.networkPolicy', value: 'calico' },
          { path: 'properties.networkProfile.networkDataplane', value: null },
        ),
        nodePools: known([
          {
            name: 'system',
            managedBy: 'customer',
            version: known(version('1.30.7'), {
              path: 'properties.agentPoolProfiles[name=system].currentOrchestratorVersion',
              value: '1.30.7',
            }),
            publicIps: known(false, {
              path: 'properties.agentPoolProfiles[name=system].enableNodePublicIP',
              value: false,
            }),
            kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
            ...defaultPoolSecurity('system'),
          },
          {
            name: 'user1',
            managedBy: 'customer',
            version: known(version('1.29.11'), {
              path: 'properties.agentPoolProfiles[name=user1].currentOrchestratorVersion',
              value: '1.29.11',
            }),
            publicIps: known(false, {
              path: 'properties.agentPoolProfiles[name=user1].enableNodePublicIP',
              value: null,
            }),
            kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
            ...defaultPoolSecurity('user1'),
          },
        ]),
        auditLogRetentionDays: unknown(
          `retention is set on the Log Analytics workspace (table retention), ${RETIRED}${LIVE_ONLY}`,
          ...settingEvidence,
        ),
        failedAuthAlerting: unknown(SNAPSHOT_ALERTING),
        networkFlowLogs: known(true, { path: FLOW_OBSERVABILITY, value: true }),
        runtimeThreatDetection: known(
          { enabled: true, via: 'defender' },
          { path: DEFENDER_MONITORING, value: true },
        ),
        versionSupport: unknown(NO_VERSION_LIST),
        // The export predates privateFQDN: a private cluster without it has no address to reach.
        apiServer: unknown('properties.privateFQDN absent from the managed cluster', {
          path: 'properties.privateFQDN',
          value: null,
        }),
        inCluster: unknown(IN_CLUSTER_OFF),
        aks: {
          entraIdManaged: known(true, { path: 'properties.aadProfile.managed', value: true }),
          localAccountsDisabled: known(true, { path: 'properties.disableLocalAccounts', value: true }),
          adminGroupObjectIds: known(adminGroups, { path: ADMIN_GROUPS, value: [...adminGroups] }),
          workloadIdentity: known(false, {
            path: 'properties.securityProfile.workloadIdentity.enabled',
            value: null,
          }),
          oidcIssuer: known(false, { path: 'properties.oidcIssuerProfile.enabled', value: null }),
          clusterIdentity: known('managed-identity', { path: 'identity.type', value: 'SystemAssigned' }),
          upgradeChannel: known('none', {
            path: 'properties.autoUpgradeProfile.upgradeChannel',
            value: null,
          }),
          azurePolicy: known(false, { path: 'properties.addonProfiles.azurepolicy.enabled', value: null }),
          // No kubeDashboard entry on 1.30: the add-on left AKS in 1.19.
          kubeDashboard: known(
            false,
            { path: 'properties.addonProfiles.kubeDashboard.enabled', value: null },
            { path: 'properties.currentKubernetesVersion', value: '1.30.7' },
          ),
        },
      };
      assert.deepEqual(posture, expected);
    });
  });

  describe('flattened az aks show output', () => {
    it('reads az casing (enableRbac, authorizedIpRanges, enableNodePublicIp) under ARM evidence paths', () => {
      // Prepare
      const managedCluster = fixture('az-aks-show-public.json');
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.ok('value' in posture.nodePools);
      assert.deepEqual(
        {
          scope: posture.scope,
          rbac: posture.authorization.rbac,
          endpoint: posture.endpoint,
          poolPublicIps: posture.nodePools.value[0]?.publicIps,
          entraIdManaged: posture.aks.entraIdManaged,
          localAccountsDisabled: observedValue(posture.aks.localAccountsDisabled),
          adminGroupObjectIds: posture.aks.adminGroupObjectIds,
          networkPolicy: observedValue(posture.networkPolicy),
          supportPlan: observedValue(posture.supportPlan),
          networkFlowLogs: posture.networkFlowLogs,
          runtimeThreatDetection: observedValue(posture.runtimeThreatDetection),
        },
        {
          scope: '00000000-0000-0000-0000-000000000001',
          rbac: known(true, { path: 'properties.enableRBAC', value: true }),
          endpoint: {
            publicAccess: known(true, {
              path: 'properties.apiServerAccessProfile.enablePrivateCluster',
              value: false,
            }),
            privateAccess: known(
              false,
              { path: 'properties.apiServerAccessProfile.enablePrivateCluster', value: false },
              { path: 'properties.apiServerAccessProfile.enableVnetIntegration', value: null },
            ),
            authorizedNetworks: known(
              {
                enforced: true,
                cidrs: ['203.0.113.0/24', '198.51.100.7/32'],
                allowsCloudPublicRanges: false,
              },
              {
                path: 'properties.apiServerAccessProfile.authorizedIPRanges',
                value: ['203.0.113.0/24', '198.51.100.7/32'],
              },
            ),
          },
          poolPublicIps: known(true, {
            path: 'properties.agentPoolProfiles[name=nodepool1].enableNodePublicIP',
            value: true,
          }),
          entraIdManaged: known(false, { path: 'properties.aadProfile.managed', value: null }),
          localAccountsDisabled: false,
          adminGroupObjectIds: known([], { path: ADMIN_GROUPS, value: null }),
          networkPolicy: { enforced: false, engine: null },
          supportPlan: 'standard',
          networkFlowLogs: known(false, { path: FLOW_OBSERVABILITY, value: null }),
          runtimeThreatDetection: { enabled: false, via: null },
        },
      );
    });

    it('counts an allLogs category group sent to a storage account (ARM settings envelope)', () => {
      // Prepare
      const managedCluster = fixture('az-aks-show-public.json');
      const settings = armList('diagnostic-settings-arm.json');
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      const evidence = [
        {
          path: 'diagnosticSettings[name=archive].properties.logs',
          value: [{ categoryGroup: 'allLogs', enabled: true, retentionPolicy: { enabled: false, days: 0 } }],
        },
        { path: 'diagnosticSettings[name=archive].properties.workspaceId', value: '' },
        { path: 'diagnosticSettings[name=archive].properties.storageAccountId', value: STORAGE },
      ];
      assert.deepEqual(
        [posture.auditLogs, posture.authenticatorLogs, posture.auditLogRetentionDays],
        [
          known({ exported: true, categories: ['allLogs'], destinations: [STORAGE] }, ...evidence),
          known(true, ...evidence),
          unknown(`retention is set on the storage account (lifecycle management), ${RETIRED}`, ...evidence),
        ],
      );
    });
  });

  describe('AKS Automatic', () => {
    it('detects the Automatic SKU, puts its pools on the provider side and reads Cilium and VNet integration', () => {
      // Prepare
      const managedCluster = fixture('az-aks-show-automatic.json');
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.ok('value' in posture.nodePools);
      assert.deepEqual(
        {
          mode: posture.mode,
          managedBy: posture.nodePools.value.map((pool) => pool.managedBy),
          tags: posture.tags,
          publicAccess: observedValue(posture.endpoint.publicAccess),
          privateAccess: observedValue(posture.endpoint.privateAccess),
          networkPolicy: posture.networkPolicy,
          entraIdManaged: observedValue(posture.aks.entraIdManaged),
          adminGroupObjectIds: observedValue(posture.aks.adminGroupObjectIds),
        },
        {
          mode: known('aks-automatic', { path: 'sku.name', value: 'Automatic' }),
          managedBy: ['provider'],
          tags: {},
          publicAccess: true,
          privateAccess: true,
          networkPolicy: known(
            { enforced: true, engine: 'cilium' },
            { path: 'properties.networkProfile.networkPolicy', value: null },
            { path: 'properties.networkProfile.networkDataplane', value: 'cilium' },
          ),
          entraIdManaged: true,
          adminGroupObjectIds: [],
        },
      );
    });
  });

  describe('API defaults and missing data', () => {
    it('reads API defaults for absent blocks and unknown for an absent enableRBAC', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.deepEqual(
        {
          rbac: posture.authorization.rbac,
          publicAccess: posture.endpoint.publicAccess,
          authorizedNetworks: observedValue(posture.endpoint.authorizedNetworks),
          version: posture.version,
          entraIdManaged: observedValue(posture.aks.entraIdManaged),
          localAccountsDisabled: observedValue(posture.aks.localAccountsDisabled),
          secretsEncryption: observedValue(posture.secretsEncryption),
          auditLogs: posture.auditLogs,
          authenticatorLogs: posture.authenticatorLogs,
          auditLogRetentionDays: posture.auditLogRetentionDays,
          versionSupport: posture.versionSupport,
        },
        {
          rbac: unknown('properties.enableRBAC absent from the managed cluster', {
            path: 'properties.enableRBAC',
            value: null,
          }),
          publicAccess: known(true, {
            path: 'properties.apiServerAccessProfile.enablePrivateCluster',
            value: null,
          }),
          authorizedNetworks: { enforced: false, cidrs: [], allowsCloudPublicRanges: false },
          version: known(version('1.29.9'), { path: 'properties.kubernetesVersion', value: '1.29.9' }),
          entraIdManaged: false,
          localAccountsDisabled: false,
          secretsEncryption: { envelope: false, keyManagedBy: 'none', keyId: null },
          auditLogs: unknown(NOT_EXPORTED),
          authenticatorLogs: unknown(NOT_EXPORTED),
          auditLogRetentionDays: unknown(NOT_EXPORTED),
          versionSupport: unknown(NO_VERSION_LIST),
        },
      );
    });

    it('reads no audit export when no diagnostic setting exists', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      // Act
      const posture = normalise(managedCluster, []);
      // Assess
      assert.deepEqual(
        [posture.auditLogs, posture.authenticatorLogs, posture.auditLogRetentionDays],
        [
          known(
            { exported: false, categories: [], destinations: [] },
            { path: 'diagnosticSettings', value: [] },
          ),
          known(false, { path: 'diagnosticSettings', value: [] }),
          unknown('no diagnostic setting exports audit logs', { path: 'diagnosticSettings', value: [] }),
        ],
      );
    });

    it('ignores settings without a destination and log switches that are off', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      const settings = [
        { name: 'no-destination', logs: [{ category: 'kube-audit', enabled: true }] },
        { name: 'switched-off', workspaceId: WORKSPACE, logs: [{ category: 'KUBE-AUDIT', enabled: false }] },
      ];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      assert.deepEqual(observedValue(posture.auditLogs), {
        exported: false,
        categories: [],
        destinations: [],
      });
    });

    describe('a diagnostic setting that cannot be read may be the one that exports audit logs', () => {
      const exporting = {
        name: 'audit',
        workspaceId: WORKSPACE,
        logs: [{ category: 'kube-audit', enabled: true }],
      };
      for (const [what, unreadable, reason] of [
        [
          'an enabled switch without a readable category',
          { name: 'odd', workspaceId: WORKSPACE, logs: [{ category: 7, enabled: true }] },
          'diagnosticSettings[name=odd].properties.logs[0] is enabled but has no readable category or categoryGroup',
        ],
        [
          'a switch without enabled',
          { name: 'odd', workspaceId: WORKSPACE, logs: [{ category: 'kube-audit' }] },
          'diagnosticSettings[name=odd].properties.logs[0].enabled is absent',
        ],
        [
          'a destination that is not a string',
          { name: 'odd', workspaceId: 7, logs: [{ category: 'kube-audit', enabled: true }] },
          'diagnosticSettings[name=odd].properties.workspaceId is the number 7, expected a string',
        ],
        ['a setting that is null', null, 'diagnosticSettings[0] is not an object'],
        [
          'a properties envelope that is not an object',
          { name: 'odd', properties: 'kube-audit' },
          'diagnosticSettings[name=odd].properties is the string "kube-audit", expected an object',
        ],
      ] as const) {
        it(`is unknown, not "not exported", on ${what} beside a setting that exports nothing`, () => {
          // Prepare
          const managedCluster = fixture('managed-cluster-arm-minimal.json');
          const quiet = {
            name: 'metrics',
            workspaceId: WORKSPACE,
            logs: [{ category: 'guard', enabled: false }],
          };
          // Act
          const posture = normalise(managedCluster, [unreadable, quiet]);
          // Assess
          assert.deepEqual(
            [posture.auditLogs, posture.authenticatorLogs],
            [unknown(reason), unknown(reason)],
          );
        });
      }

      it('still reads the same settings when every one of them reads', () => {
        // Prepare
        const managedCluster = fixture('managed-cluster-arm-minimal.json');
        // Act
        const posture = normalise(managedCluster, [exporting]);
        // Assess
        assert.deepEqual(observedValue(posture.auditLogs), {
          exported: true,
          categories: ['kube-audit'],
          destinations: [WORKSPACE],
        });
      });
    });

    it('is unknown when the agent pools are absent', () => {
      // Prepare
      const managedCluster = withField(
        fixture('managed-cluster-arm-minimal.json'),
        'properties.agentPoolProfiles',
        undefined,
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.equal(
        observedValue(posture.nodePools),
        'unknown: properties.agentPoolProfiles absent from the managed cluster',
      );
    });
  });

  describe('audit log retention', () => {
    it('does not read the retired retentionPolicy as the retention, even when it names days or forever', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      const logs = [
        { category: 'kube-audit', enabled: true, retentionPolicy: { enabled: true, days: 365 } },
        { category: 'kube-audit-admin', enabled: true, retentionPolicy: { enabled: true, days: 0 } },
      ];
      const settings = [{ name: 'legacy', storageAccountId: STORAGE, workspaceId: WORKSPACE, logs }];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      assert.deepEqual(
        posture.auditLogRetentionDays,
        unknown(
          `retention is set on the storage account (lifecycle management), ${RETIRED}; retention is set on the Log Analytics workspace (table retention), ${RETIRED}${LIVE_ONLY}`,
          { path: 'diagnosticSettings[name=legacy].properties.logs', value: logs },
          { path: 'diagnosticSettings[name=legacy].properties.workspaceId', value: WORKSPACE },
          { path: 'diagnosticSettings[name=legacy].properties.storageAccountId', value: STORAGE },
        ),
      );
    });

    it('names only the destinations of settings that export audit logs', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      const settings = [
        { name: 'audit', workspaceId: WORKSPACE, logs: [{ category: 'kube-audit-admin', enabled: true }] },
        {
          name: 'apiserver',
          storageAccountId: STORAGE,
          logs: [{ category: 'kube-apiserver', enabled: true }],
        },
      ];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      assert.equal(
        observedValue(posture.auditLogRetentionDays),
        `unknown: retention is set on the Log Analytics workspace (table retention), ${RETIRED}${LIVE_ONLY}`,
      );
    });

    it('is unknown when a log switch of a diagnostic setting is malformed', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      const settings = [
        { name: 'odd', workspaceId: WORKSPACE, logs: [{ category: 'kube-audit', enabled: 1 }] },
      ];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      assert.equal(
        observedValue(posture.auditLogRetentionDays),
        'unknown: diagnosticSettings[name=odd].properties.logs[0].enabled is the number 1, expected a boolean',
      );
    });
  });

  describe('flow logs, Defender and admin groups', () => {
    it('reads absent advanced networking, Defender and aadProfile as off and empty, not unknown', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.deepEqual(
        [posture.networkFlowLogs, posture.runtimeThreatDetection, posture.aks.adminGroupObjectIds],
        [
          known(false, { path: FLOW_OBSERVABILITY, value: null }),
          known({ enabled: false, via: null }, { path: DEFENDER_MONITORING, value: null }),
          known([], { path: ADMIN_GROUPS, value: null }),
        ],
      );
    });

    it('reads advanced networking without observability, and Defender with monitoring off, as off', () => {
      // Prepare
      const managedCluster = withField(
        withField(
          fixture('managed-cluster-arm-private.json'),
          'properties.networkProfile.advancedNetworking',
          { enabled: true, security: { enabled: true } },
        ),
        'properties.securityProfile.defender.securityMonitoring',
        { enabled: false },
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.deepEqual(
        [posture.networkFlowLogs, posture.runtimeThreatDetection],
        [
          known(false, { path: FLOW_OBSERVABILITY, value: null }),
          known({ enabled: false, via: null }, { path: DEFENDER_MONITORING, value: false }),
        ],
      );
    });

    it('is unknown, not off, when the switches are not booleans', () => {
      // Prepare
      const managedCluster = withField(
        withField(
          fixture('managed-cluster-arm-private.json'),
          'properties.networkProfile.advancedNetworking.observability.enabled',
          'true',
        ),
        'properties.securityProfile.defender.securityMonitoring.enabled',
        'yes',
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.deepEqual(
        [observedValue(posture.networkFlowLogs), observedValue(posture.runtimeThreatDetection)],
        [
          `unknown: ${FLOW_OBSERVABILITY} is the string "true", expected a boolean`,
          `unknown: ${DEFENDER_MONITORING} is the string "yes", expected a boolean`,
        ],
      );
    });

    it('is unknown when the admin group list holds something other than strings', () => {
      // Prepare
      const managedCluster = withField(
        fixture('managed-cluster-arm-private.json'),
        'properties.aadProfile.adminGroupObjectIDs',
        ['00000000-0000-0000-0000-0000000000a1', { id: 'x' }],
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.equal(
        observedValue(posture.aks.adminGroupObjectIds),
        `unknown: ${ADMIN_GROUPS}[1] is an object, expected a string`,
      );
    });
  });

  describe('malformed fields', () => {
    it('is unknown when Key Vault KMS is enabled without a key id', () => {
      // Prepare
      const managedCluster = withField(
        fixture('managed-cluster-arm-private.json'),
        'properties.securityProfile.azureKeyVaultKms.keyId',
        undefined,
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.equal(
        observedValue(posture.secretsEncryption),
        'unknown: properties.securityProfile.azureKeyVaultKms is enabled but has no keyId',
      );
    });

    it('is unknown for a network policy engine it does not know', () => {
      // Prepare
      const managedCluster = withField(
        fixture('managed-cluster-arm-private.json'),
        'properties.networkProfile.networkPolicy',
        'future',
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.equal(
        observedValue(posture.networkPolicy),
        'unknown: properties.networkProfile.networkPolicy "future" is not a known engine',
      );
    });

    it('is unknown, not public, when enablePrivateCluster is not a boolean', () => {
      // Prepare
      const managedCluster = withField(
        fixture('managed-cluster-arm-private.json'),
        'properties.apiServerAccessProfile.enablePrivateCluster',
        'true',
      );
      // Act
      const posture = normalise(managedCluster);
      // Assess
      assert.deepEqual(
        posture.endpoint.publicAccess,
        unknown(
          'properties.apiServerAccessProfile.enablePrivateCluster is the string "true", expected a boolean',
          {
            path: 'properties.apiServerAccessProfile.enablePrivateCluster',
            value: 'true',
          },
        ),
      );
    });

    it('is unknown when a diagnostic setting log switch is not a boolean', () => {
      // Prepare
      const managedCluster = fixture('managed-cluster-arm-minimal.json');
      const settings = [
        { name: 'odd', workspaceId: WORKSPACE, logs: [{ category: 'kube-audit', enabled: 'yes' }] },
      ];
      // Act
      const posture = normalise(managedCluster, settings);
      // Assess
      assert.equal(
        observedValue(posture.auditLogs),
        'unknown: diagnosticSettings[name=odd].properties.logs[0].enabled is the string "yes", expected a boolean',
      );
    });
  });

  describe('identity', () => {
    it('throws a NormaliseError when the cluster has no name', () => {
      // Prepare
      const managedCluster = withField(fixture('managed-cluster-arm-minimal.json'), 'name', undefined);
      // Act
      const error = normaliseError(() => normalise(managedCluster));
      // Assess
      assert.deepEqual(
        [error.message, error.context],
        ['AKS managed cluster has no name', { provider: 'aks', source: 'clusters/aks.json' }],
      );
    });

    it('throws a NormaliseError naming the cluster when the id is missing or not a managed cluster', () => {
      // Prepare
      const withoutId = withField(fixture('managed-cluster-arm-minimal.json'), 'id', undefined);
      const otherResource = withField(
        fixture('managed-cluster-arm-minimal.json'),
        'id',
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-lab/providers/Microsoft.Compute/virtualMachines/aks-lab',
      );
      // Act
      const errors = [withoutId, otherResource].map((cluster) => normaliseError(() => normalise(cluster)));
      // Assess
      assert.deepEqual(
        errors.map((error) => [error.message, error.context]),
        [0, 1].map(() => [
          'AKS managed cluster "aks-lab" has no managed cluster resource id',
          { provider: 'aks', source: 'clusters/aks.json', cluster: 'aks-lab' },
        ]),
      );
    });

    it('parses ids case-insensitively', () => {
      // Act
      const parsed = parseAksResourceId(
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/RG-1/providers/microsoft.containerservice/managedclusters/c1',
      );
      // Assess
      assert.deepEqual(parsed, {
        subscriptionId: '00000000-0000-0000-0000-000000000001',
        resourceGroup: 'RG-1',
        clusterName: 'c1',
      });
    });
  });

  describe('hostile strings', () => {
    it('carries names, pool names and tags through unchanged and drops non-string tag values', () => {
      // Prepare
      const managedCluster = fixture('az-aks-show-hostile.json');
      // Act
      const posture = normalise(managedCluster);
      // Assess
      const expectedTags: unknown = JSON.parse(
        '{"{{constructor}}":"{{lookup this \\"constructor\\"}}","it\'s":"\\"double\\" and \'single\'","__proto__":"polluted"}',
      );
      assert.ok('value' in posture.nodePools);
      assert.deepEqual(
        [posture.name, posture.nodePools.value[0]?.name, posture.tags],
        ['<script>alert(1)</script>', '{{constructor}}', expectedTags],
      );
    });
  });
});

describe('normaliseAks: identity, upgrades, add-ons and pool security', () => {
  const base = fixture('managed-cluster-arm-private.json');
  const aks = (path: string, value: unknown) => normalise(withField(base, path, value)).aks;

  it('reads workload identity and the OIDC issuer, off when ARM omits them', () => {
    const posture = normalise(
      withField(
        withField(base, 'properties.securityProfile.workloadIdentity', { enabled: true }),
        'properties.oidcIssuerProfile',
        { enabled: true },
      ),
    );
    assert.deepEqual(
      [observedValue(posture.aks.workloadIdentity), observedValue(posture.aks.oidcIssuer)],
      [true, true],
    );
    assert.deepEqual(
      [observedValue(normalise(base).aks.workloadIdentity), observedValue(normalise(base).aks.oidcIssuer)],
      [false, false],
    );
  });

  it('tells a managed identity from a service principal, and hides the client id', () => {
    const noIdentity = withField(base, 'identity', undefined);
    assert.equal(observedValue(normalise(base).aks.clusterIdentity), 'managed-identity');
    assert.equal(
      observedValue(
        normalise(withField(noIdentity, 'properties.servicePrincipalProfile', { clientId: 'msi' })).aks
          .clusterIdentity,
      ),
      'managed-identity',
    );
    assert.deepEqual(
      normalise(
        withField(noIdentity, 'properties.servicePrincipalProfile', {
          clientId: '11111111-2222-3333-4444-555555555555',
        }),
      ).aks.clusterIdentity,
      known(
        'service-principal',
        { path: 'identity.type', value: null },
        { path: 'properties.servicePrincipalProfile.clientId', value: '[service principal client id]' },
      ),
    );
    assert.ok('unknown' in normalise(noIdentity).aks.clusterIdentity);
  });

  it('reads the auto-upgrade channel, none when unset', () => {
    assert.equal(
      observedValue(aks('properties.autoUpgradeProfile', { upgradeChannel: 'stable' }).upgradeChannel),
      'stable',
    );
    assert.equal(observedValue(normalise(base).aks.upgradeChannel), 'none');
  });

  it('reads the Azure Policy and Dashboard add-ons in either casing', () => {
    const addons = aks('properties.addonProfiles', {
      azurepolicy: { enabled: true },
      KubeDashboard: { enabled: true },
    });
    assert.deepEqual([observedValue(addons.azurePolicy), observedValue(addons.kubeDashboard)], [true, true]);
  });

  describe('the Dashboard add-on when addonProfiles has no entry for it: the version decides', () => {
    const DASHBOARD = { path: 'properties.addonProfiles.kubeDashboard.enabled', value: null };
    const at = (current: string) =>
      normalise(withField(base, 'properties.currentKubernetesVersion', current)).aks.kubeDashboard;

    it('reads it as off from 1.19, where AKS no longer has the add-on', () => {
      assert.deepEqual(
        at('1.19.11'),
        known(false, DASHBOARD, { path: 'properties.currentKubernetesVersion', value: '1.19.11' }),
      );
    });

    it('is unknown on 1.18, where the default depended on the version the cluster was created at', () => {
      assert.deepEqual(
        at('1.18.14'),
        unknown(
          'properties.addonProfiles has no kubeDashboard entry, which means the default of the version the cluster was created at: on for clusters created before Kubernetes 1.18, off from 1.18; the API does not say which',
          DASHBOARD,
          { path: 'properties.currentKubernetesVersion', value: '1.18.14' },
        ),
      );
    });

    it('reads it as on before 1.18, where AKS turned it on by default', () => {
      assert.deepEqual(
        at('1.17.16'),
        known(true, DASHBOARD, { path: 'properties.currentKubernetesVersion', value: '1.17.16' }),
      );
    });

    it('is unknown when the version that decides the default could not be read', () => {
      const noVersion = withField(
        withField(base, 'properties.currentKubernetesVersion', undefined),
        'properties.kubernetesVersion',
        undefined,
      );
      assert.deepEqual(
        normalise(noVersion).aks.kubeDashboard,
        unknown(
          'properties.addonProfiles has no kubeDashboard entry, which means the default of the cluster version, and the version could not be read: properties.currentKubernetesVersion and properties.kubernetesVersion absent from the managed cluster',
          DASHBOARD,
          { path: 'properties.kubernetesVersion', value: null },
        ),
      );
    });

    it('reads an explicit setting as it is, whatever the version', () => {
      const old = withField(base, 'properties.currentKubernetesVersion', '1.17.16');
      assert.deepEqual(
        normalise(withField(old, 'properties.addonProfiles', { kubeDashboard: { enabled: false } })).aks
          .kubeDashboard,
        known(false, { path: 'properties.addonProfiles.kubeDashboard.enabled', value: false }),
      );
    });
  });

  it('reads pool SSH as disabled only when Disabled, and Trusted Launch secure boot', () => {
    const posture = normalise(
      withField(base, 'properties.agentPoolProfiles.0.securityProfile', {
        sshAccess: 'Disabled',
        enableSecureBoot: true,
      }),
    );
    const pools = observedValue(posture.nodePools);
    assert.ok(typeof pools !== 'string');
    const [system] = pools;
    assert.deepEqual(
      system?.sshAccess,
      known('disabled', {
        path: 'properties.agentPoolProfiles[name=system].securityProfile.sshAccess',
        value: 'Disabled',
      }),
    );
    assert.equal(observedValue(system?.secureBoot ?? unknown('no pool')), true);
    const entraSsh = observedValue(
      normalise(withField(base, 'properties.agentPoolProfiles.0.securityProfile', { sshAccess: 'EntraId' }))
        .nodePools,
    );
    assert.ok(typeof entraSsh !== 'string' && 'unknown' in (entraSsh[0]?.sshAccess ?? {}));
  });
});

describe('normaliseAks: agent pools read on their own', () => {
  it('is unknown on every node pool field, with the ARM error, when agentPools.list failed', () => {
    // Prepare
    const failure =
      'Microsoft.ContainerService/managedClusters/agentPools/read failed: AuthorizationFailed: no access';
    // Act
    const posture = normaliseAks(
      { ...withoutSettings(fixture('az-aks-show-public.json')), agentPools: { missing: failure } },
      origin,
    );
    // Assess
    assert.deepEqual(posture.nodePools, { unknown: failure });
  });
});

describe('normaliseAks: identity and managed cluster fields of the wrong type', () => {
  const base = fixture('managed-cluster-arm-private.json');
  const withValue = (path: string, value: unknown) => normalise(withField(base, path, value));

  it('throws a NormaliseError when the managed cluster is not an object', () => {
    // Act
    const error = normaliseError(() => normalise([base]));
    // Assess
    assert.deepEqual(
      [error.message, error.context],
      ['AKS managed cluster is not an object', { provider: 'aks', source: 'clusters/aks.json' }],
    );
  });

  it('keeps identifying a cluster whose export lost its location, with an empty location', () => {
    // Act
    const posture = withValue('location', undefined);
    // Assess
    assert.deepEqual(
      { id: posture.id, scope: posture.scope, location: posture.location, name: posture.name },
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-payments/providers/Microsoft.ContainerService/managedClusters/aks-payments',
        scope: '00000000-0000-0000-0000-000000000001',
        location: '',
        name: 'aks-payments',
      },
    );
  });

  it('is unknown on the mode, and keeps pools on the customer side, when sku.name is not a string', () => {
    // Act
    const posture = withValue('sku', { name: 1, tier: 'Standard' });
    // Assess
    assert.deepEqual(
      [posture.mode, 'value' in posture.nodePools ? posture.nodePools.value[0]?.managedBy : undefined],
      [unknown('sku.name is the number 1, expected a string', { path: 'sku.name', value: 1 }), 'customer'],
    );
  });

  it('is unknown on the support plan when supportPlan is not a string', () => {
    assert.deepEqual(
      withValue('properties.supportPlan', 5).supportPlan,
      unknown('properties.supportPlan is the number 5, expected a string', {
        path: 'properties.supportPlan',
        value: 5,
      }),
    );
  });

  it('is unknown on the cluster identity when identity.type is not a string', () => {
    assert.deepEqual(
      withValue('identity', { type: 7 }).aks.clusterIdentity,
      unknown('identity.type is the number 7, expected a string', { path: 'identity.type', value: 7 }),
    );
  });

  it('is unknown on the cluster identity when a service principal client id is not a string', () => {
    // Prepare
    const noIdentity = withField(base, 'identity', undefined);
    // Act
    const posture = normalise(withField(noIdentity, 'properties.servicePrincipalProfile', { clientId: 42 }));
    // Assess
    assert.deepEqual(
      posture.aks.clusterIdentity,
      unknown(
        'properties.servicePrincipalProfile.clientId is the number 42, expected a string',
        { path: 'identity.type', value: null },
        { path: 'properties.servicePrincipalProfile.clientId', value: 42 },
      ),
    );
  });

  it('is unknown, not none, when the upgrade channel is not a string', () => {
    assert.deepEqual(
      withValue('properties.autoUpgradeProfile', { upgradeChannel: true }).aks.upgradeChannel,
      unknown('properties.autoUpgradeProfile.upgradeChannel is the boolean true, expected a string', {
        path: 'properties.autoUpgradeProfile.upgradeChannel',
        value: true,
      }),
    );
  });

  it('is unknown, not off, when the Dashboard add-on switch is not a boolean', () => {
    assert.deepEqual(
      withValue('properties.addonProfiles', { kubeDashboard: { enabled: 'true' } }).aks.kubeDashboard,
      unknown('properties.addonProfiles.kubeDashboard.enabled is the string "true", expected a boolean', {
        path: 'properties.addonProfiles.kubeDashboard.enabled',
        value: 'true',
      }),
    );
  });
});

describe('normaliseAks: endpoint, encryption, network policy and pool fields of the wrong type', () => {
  const base = fixture('managed-cluster-arm-private.json');
  const withValue = (path: string, value: unknown) => normalise(withField(base, path, value));
  const ACCESS = 'properties.apiServerAccessProfile';

  it('is unknown on private access when enableVnetIntegration is not a boolean', () => {
    assert.deepEqual(
      withValue(`${ACCESS}.enableVnetIntegration`, 'true').endpoint.privateAccess,
      unknown(`${ACCESS}.enableVnetIntegration is the string "true", expected a boolean`, {
        path: `${ACCESS}.enableVnetIntegration`,
        value: 'true',
      }),
    );
  });

  it('is unknown, not an open endpoint, when authorizedIPRanges is not a list', () => {
    assert.deepEqual(
      withValue(`${ACCESS}.authorizedIPRanges`, '203.0.113.0/24').endpoint.authorizedNetworks,
      unknown(`${ACCESS}.authorizedIPRanges is the string "203.0.113.0/24", expected a list`, {
        path: `${ACCESS}.authorizedIPRanges`,
        value: '203.0.113.0/24',
      }),
    );
  });

  it('is unknown, not unencrypted, when the Key Vault KMS switch is not a boolean', () => {
    const path = 'properties.securityProfile.azureKeyVaultKms.enabled';
    assert.deepEqual(
      withValue(path, 'true').secretsEncryption,
      unknown(`${path} is the string "true", expected a boolean`, { path, value: 'true' }),
    );
  });

  it('is unknown, not off, when the network policy or the dataplane is not a string', () => {
    // Act
    const readings = [
      withValue('properties.networkProfile.networkPolicy', 5).networkPolicy,
      withValue('properties.networkProfile.networkDataplane', 5).networkPolicy,
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown('properties.networkProfile.networkPolicy is the number 5, expected a string', {
        path: 'properties.networkProfile.networkPolicy',
        value: 5,
      }),
      unknown('properties.networkProfile.networkDataplane is the number 5, expected a string', {
        path: 'properties.networkProfile.networkDataplane',
        value: 5,
      }),
    ]);
  });

  it('is unknown on node pools when agentPoolProfiles is not a list, or a pool has no name', () => {
    // Act
    const readings = [
      withValue('properties.agentPoolProfiles', { name: 'system' }).nodePools,
      withValue('properties.agentPoolProfiles', [{ count: 3 }]).nodePools,
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown('properties.agentPoolProfiles is an object, expected a list', {
        path: 'properties.agentPoolProfiles',
        value: { name: 'system' },
      }),
      unknown('properties.agentPoolProfiles[0] has no name'),
    ]);
  });

  it('is unknown on pool SSH when sshAccess is not a string', () => {
    // Act
    const posture = withValue('properties.agentPoolProfiles.0.securityProfile', { sshAccess: 0 });
    // Assess
    const path = 'properties.agentPoolProfiles[name=system].securityProfile.sshAccess';
    assert.deepEqual(
      'value' in posture.nodePools ? posture.nodePools.value[0]?.sshAccess : posture.nodePools,
      unknown(`${path} is the number 0, expected a string`, { path, value: 0 }),
    );
  });
});

describe('normaliseAks: diagnostic settings beyond the happy path', () => {
  const managedCluster = fixture('managed-cluster-arm-minimal.json');

  it('names an unnamed setting by its position, and is unknown when its logs are not a list', () => {
    // Act
    const posture = normalise(managedCluster, [{ workspaceId: WORKSPACE, logs: 'kube-audit' }]);
    // Assess
    assert.deepEqual(
      posture.auditLogs,
      unknown('diagnosticSettings[0].properties.logs is the string "kube-audit", expected a list'),
    );
  });

  it('reads a setting that sends only metrics as exporting no audit logs', () => {
    // Prepare
    const metricsOnly = {
      name: 'metrics-only',
      metrics: [{ category: 'AllMetrics', enabled: true }],
      workspaceId: WORKSPACE,
    };
    // Act
    const posture = normalise(managedCluster, [metricsOnly]);
    // Assess
    assert.deepEqual(
      posture.auditLogs,
      known(
        { exported: false, categories: [], destinations: [] },
        { path: 'diagnosticSettings[name=metrics-only].properties.logs', value: null },
        { path: 'diagnosticSettings[name=metrics-only].properties.workspaceId', value: WORKSPACE },
      ),
    );
  });
});

describe('normaliseAks: the API server address for the in-cluster pass', () => {
  const IDENTITY = {
    name: 'orders',
    id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/orders',
    location: 'westeurope',
  };

  it('uses fqdn on a public cluster, with no CA: AKS keeps it in the user credential', () => {
    // Prepare
    const cluster = { ...IDENTITY, properties: { fqdn: 'orders-1a2b.hcp.westeurope.azmk8s.io' } };
    // Act
    const posture = normalise(cluster);
    // Assess
    assert.deepEqual(
      posture.apiServer,
      known(
        { url: 'https://orders-1a2b.hcp.westeurope.azmk8s.io', caData: null },
        { path: 'properties.fqdn', value: 'orders-1a2b.hcp.westeurope.azmk8s.io' },
      ),
    );
  });

  it('uses privateFQDN on a private cluster', () => {
    const cluster = {
      ...IDENTITY,
      properties: {
        fqdn: 'orders-1a2b.hcp.westeurope.azmk8s.io',
        privateFQDN: 'orders-1a2b.privatelink.westeurope.azmk8s.io',
        apiServerAccessProfile: { enablePrivateCluster: true },
      },
    };
    assert.deepEqual(
      normalise(cluster).apiServer,
      known(
        { url: 'https://orders-1a2b.privatelink.westeurope.azmk8s.io', caData: null },
        { path: 'properties.privateFQDN', value: 'orders-1a2b.privatelink.westeurope.azmk8s.io' },
      ),
    );
  });

  it('is unknown when enablePrivateCluster is malformed: which address to use is not known', () => {
    const cluster = {
      ...IDENTITY,
      properties: { fqdn: 'a.azmk8s.io', apiServerAccessProfile: { enablePrivateCluster: 'yes' } },
    };
    assert.deepEqual(
      normalise(cluster).apiServer,
      unknown(
        'properties.apiServerAccessProfile.enablePrivateCluster is the string "yes", expected a boolean',
        {
          path: 'properties.apiServerAccessProfile.enablePrivateCluster',
          value: 'yes',
        },
      ),
    );
  });
});

describe('normaliseAks: audit retention from Log Analytics (AUD-03)', () => {
  const SUB = '00000000-0000-4000-8000-0000000000c1';
  const LAW = `/subscriptions/${SUB}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-audit`;
  const LAW_LONG = `/subscriptions/${SUB}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-long`;
  const cluster = generatedManagedCluster({ subscription: SUB, name: 'c1' });
  const DENIED =
    'Microsoft.OperationalInsights/workspaces/read failed: AuthorizationFailed: HTTP 403: The client does not have authorization';

  function setting(
    name: string,
    categories: readonly string[],
    destination: Record<string, unknown>,
    destinationType: unknown = 'Dedicated',
  ) {
    return {
      name,
      properties: {
        ...destination,
        ...(destinationType === undefined ? {} : { logAnalyticsDestinationType: destinationType }),
        logs: categories.map((category) => ({ category, enabled: true })),
      },
    };
  }

  function workspace(id: string, retentionInDays: unknown) {
    return { id, name: id.split('/').pop(), properties: { retentionInDays, sku: { name: 'PerGB2018' } } };
  }

  /** A table as ARM answers it: the workspace's retention unless overridden. */
  function table(properties: Record<string, unknown>) {
    return {
      properties: {
        retentionInDays: -1,
        totalRetentionInDays: -1,
        retentionInDaysAsDefault: true,
        totalRetentionInDaysAsDefault: true,
        ...properties,
      },
    };
  }

  function retention(
    settings: readonly unknown[],
    logAnalytics: NonNullable<AksCollected['logAnalytics']>,
  ): AksClusterPosture['auditLogRetentionDays'] {
    return normaliseAks(
      { managedCluster: cluster, diagnosticSettings: collected(settings), logAnalytics },
      { kind: 'api', api: 'aks' },
    ).auditLogRetentionDays;
  }

  const logsOf = (name: string, categories: readonly string[]) => ({
    path: `diagnosticSettings[name=${name}].properties.logs`,
    value: categories.map((category) => ({ category, enabled: true })),
  });
  const workspaceOf = (name: string, id: string) => ({
    path: `diagnosticSettings[name=${name}].properties.workspaceId`,
    value: id,
  });
  const tableField = (id: string, name: string, field: string, value: number | null) => ({
    path: `workspaces[${id}].tables[${name}].properties.${field}`,
    value,
  });

  it('reads the workspace retention for an audit table that keeps the default (-1)', () => {
    // Prepare
    const settings = [setting('audit', ['kube-audit-admin'], { workspaceId: LAW })];
    // Act
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 120)),
        tables: { AKSAuditAdmin: collected(table({})) },
      },
    ]);
    // Assess
    assert.deepStrictEqual(
      observed,
      known(
        120,
        logsOf('audit', ['kube-audit-admin']),
        workspaceOf('audit', LAW),
        tableField(LAW, 'AKSAuditAdmin', 'totalRetentionInDays', -1),
        tableField(LAW, 'AKSAuditAdmin', 'retentionInDays', -1),
        { path: `workspaces[${LAW}].properties.retentionInDays`, value: 120 },
      ),
    );
  });

  it('takes a table override of the total retention (long-term retention) over a 30-day workspace', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 30)),
        tables: {
          AKSAudit: collected(
            table({ retentionInDays: 30, totalRetentionInDays: 365, totalRetentionInDaysAsDefault: false }),
          ),
        },
      },
    ]);
    assert.deepStrictEqual(
      observed,
      known(
        365,
        logsOf('audit', ['kube-audit']),
        workspaceOf('audit', LAW),
        tableField(LAW, 'AKSAudit', 'totalRetentionInDays', 365),
        tableField(LAW, 'AKSAudit', 'retentionInDays', 30),
      ),
    );
  });

  it('takes the table retention when the total retention is absent, flattened as the SDK gives it', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected({ retentionInDays: 30 }),
        tables: { AKSAudit: collected({ retentionInDays: 90 }) },
      },
    ]);
    assert.equal(observedValue(observed), 90);
  });

  it('reads the AzureDiagnostics table in the default (legacy) destination mode', () => {
    const settings = [setting('legacy', ['kube-audit'], { workspaceId: LAW }, null)];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 30)),
        tables: { AzureDiagnostics: collected(table({ totalRetentionInDays: 180 })) },
      },
    ]);
    assert.equal(observedValue(observed), 180);
  });

  it('reads both resource-specific tables for the audit category group, and keeps the longer', () => {
    const settings = [
      {
        name: 'group',
        properties: {
          workspaceId: LAW,
          logAnalyticsDestinationType: 'dedicated',
          logs: [{ categoryGroup: 'audit', enabled: true }],
        },
      },
    ];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 30)),
        tables: {
          AKSAudit: collected(table({})),
          AKSAuditAdmin: collected(table({ totalRetentionInDays: 400 })),
        },
      },
    ]);
    assert.equal(observedValue(observed), 400);
  });

  it('keeps the longest of two workspaces', () => {
    const settings = [
      setting('short', ['kube-audit'], { workspaceId: LAW }),
      setting('long', ['kube-audit-admin'], { workspaceId: LAW_LONG }),
    ];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 30)),
        tables: { AKSAudit: collected(table({})) },
      },
      {
        workspaceId: LAW_LONG.toUpperCase(),
        workspace: collected(workspace(LAW_LONG, 730)),
        tables: { AKSAuditAdmin: collected(table({})) },
      },
    ]);
    assert.equal(observedValue(observed), 730);
  });

  it('decides from a table override alone when the workspace cannot be read', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: missing(DENIED),
        tables: { AKSAudit: collected(table({ totalRetentionInDays: 100 })) },
      },
    ]);
    assert.equal(observedValue(observed), 100);
  });

  it('is unknown, with the ARM error, when the table keeps the default and the workspace cannot be read', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    const observed = retention(settings, [
      { workspaceId: LAW, workspace: missing(DENIED), tables: { AKSAudit: collected(table({})) } },
    ]);
    assert.equal(
      observedValue(observed),
      `unknown: table AKSAudit keeps the workspace's default retention, which could not be read: ${DENIED}`,
    );
  });

  it('is unknown when the table cannot be read, or was not read', () => {
    const settings = [setting('audit', ['kube-audit', 'kube-audit-admin'], { workspaceId: LAW })];
    const tableDenied =
      'Microsoft.OperationalInsights/workspaces/tables/read failed: AuthorizationFailed: HTTP 403';
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 365)),
        tables: { AKSAudit: missing(tableDenied) },
      },
    ]);
    assert.equal(
      observedValue(observed),
      `unknown: ${tableDenied}; table AKSAuditAdmin of workspaces[${LAW}] was not read`,
    );
  });

  it('is unknown when the workspace was not read at all', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    assert.equal(
      observedValue(retention(settings, [])),
      `unknown: the Log Analytics workspace ${LAW} was not read`,
    );
  });

  it('is unknown when another destination keeps its own retention, even with the workspace read', () => {
    const settings = [
      setting('both', ['kube-audit'], {
        workspaceId: LAW,
        storageAccountId: STORAGE,
        eventHubAuthorizationRuleId: 'rule',
      }),
    ];
    const observed = retention(settings, [
      {
        workspaceId: LAW,
        workspace: collected(workspace(LAW, 365)),
        tables: { AKSAudit: collected(table({})) },
      },
    ]);
    assert.equal(
      observedValue(observed),
      `unknown: retention is set on the storage account (lifecycle management), ${RETIRED}; retention is set on whatever consumes the event hub, ${RETIRED}`,
    );
  });

  it('is unknown, not a number, when a retention is not a number', () => {
    const settings = [setting('audit', ['kube-audit'], { workspaceId: LAW })];
    const read = (tableProps: Record<string, unknown>, workspaceDays: unknown) =>
      observedValue(
        retention(settings, [
          {
            workspaceId: LAW,
            workspace: collected(workspace(LAW, workspaceDays)),
            tables: { AKSAudit: collected(table(tableProps)) },
          },
        ]),
      );
    assert.deepStrictEqual(
      [
        read({ totalRetentionInDays: '365' }, 30),
        read({ retentionInDays: true }, 30),
        read({}, '90'),
        read({}, Number.NaN),
        read({}, null),
      ],
      [
        `unknown: workspaces[${LAW}].tables[AKSAudit].properties.totalRetentionInDays is the string "365", expected a number of days`,
        `unknown: workspaces[${LAW}].tables[AKSAudit].properties.retentionInDays is the boolean true, expected a number of days`,
        `unknown: workspaces[${LAW}].properties.retentionInDays is the string "90", expected a number of days`,
        `unknown: workspaces[${LAW}].properties.retentionInDays is the number NaN, expected a number of days`,
        `unknown: table AKSAudit keeps the workspace's default retention, and workspaces[${LAW}] states none`,
      ],
    );
  });

  it('is unknown when logAnalyticsDestinationType is not a string', () => {
    const settings = [setting('odd', ['kube-audit'], { workspaceId: LAW }, 7)];
    assert.equal(
      observedValue(retention(settings, [])),
      'unknown: diagnosticSettings[name=odd].properties.logAnalyticsDestinationType is the number 7, expected a string',
    );
  });

  it('carries a hostile workspace id into the evidence unchanged', () => {
    const hostile = `/subscriptions/${SUB}/resourceGroups/rg-<script>/providers/Microsoft.OperationalInsights/workspaces/{{law}}`;
    const settings = [setting('audit', ['kube-audit'], { workspaceId: hostile })];
    const observed = retention(settings, [
      {
        workspaceId: hostile,
        workspace: collected(workspace(hostile, 91)),
        tables: { AKSAudit: collected(table({})) },
      },
    ]);
    assert.deepStrictEqual(observed.from?.at(-1), {
      path: `workspaces[${hostile}].properties.retentionInDays`,
      value: 91,
    });
    assert.equal(observedValue(observed), 91);
  });
});

describe('normaliseAks: failed-authentication alerting (AUD-04)', () => {
  const SUB = '00000000-0000-4000-8000-0000000000c2';
  const OTHER_SUB = '00000000-0000-4000-8000-0000000000c3';
  const LAW = `/subscriptions/${OTHER_SUB}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-audit`;
  const cluster = generatedManagedCluster({ subscription: SUB, name: 'c2' });
  const clusterId = String(cluster.id);
  const QUERY = 'AKSAuditAdmin | where ResponseStatus.code in (401, 403)';
  const AUDIT_SETTING = {
    name: 'audit',
    properties: {
      workspaceId: LAW,
      logAnalyticsDestinationType: 'Dedicated',
      logs: [{ category: 'kube-audit-admin', enabled: true }],
    },
  };
  const RULES_DENIED =
    'Microsoft.Insights/scheduledQueryRules/read failed: AuthorizationFailed: HTTP 403: no access';
  const PRICING_DENIED = 'Microsoft.Security/pricings/read failed: AuthorizationFailed: HTTP 403: no access';

  function pricing(pricingTier: unknown) {
    return {
      id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/Containers`,
      name: 'Containers',
      properties: { pricingTier },
    };
  }

  function rule(name: string, properties: Record<string, unknown>, top: Record<string, unknown> = {}) {
    return {
      id: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-obs/providers/Microsoft.Insights/scheduledQueryRules/${name}`,
      name,
      ...top,
      properties: {
        enabled: true,
        scopes: [LAW],
        criteria: {
          allOf: [{ query: QUERY, timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0 }],
        },
        ...properties,
      },
    };
  }

  function alerting(parts: {
    readonly settings?: Collected<readonly unknown[]>;
    readonly defender?: Collected<unknown>;
    readonly rules?: readonly { subscriptionId: string; rules: Collected<readonly unknown[]> }[];
  }): AksClusterPosture['failedAuthAlerting'] {
    return normaliseAks(
      {
        managedCluster: cluster,
        diagnosticSettings: parts.settings ?? collected([AUDIT_SETTING]),
        defenderForContainers: parts.defender ?? collected(pricing('Free')),
        scheduledQueryRules: parts.rules ?? [],
      },
      { kind: 'api', api: 'aks' },
    ).failedAuthAlerting;
  }

  const rulesIn = (...rules: unknown[]) => [{ subscriptionId: OTHER_SUB, rules: collected(rules) }];
  const summary = (observed: AksClusterPosture['failedAuthAlerting']) =>
    'value' in observed ? observed.value : `unknown: ${observed.unknown}`;

  it('is unknown in a snapshot, which holds neither the Defender plan nor the rules', () => {
    const observed = normaliseAks(
      { managedCluster: cluster, diagnosticSettings: collected([AUDIT_SETTING]) },
      { kind: 'api', api: 'aks' },
    ).failedAuthAlerting;
    assert.deepStrictEqual(observed, unknown(SNAPSHOT_ALERTING));
  });

  it('counts Defender for Containers at the Standard tier as an alert, even when the rules cannot be read', () => {
    const observed = alerting({
      defender: collected(pricing('Standard')),
      rules: [{ subscriptionId: SUB, rules: missing(RULES_DENIED) }],
    });
    assert.deepStrictEqual(
      observed,
      known(
        { alerts: ['defender-for-containers'], unalerted: [] },
        { path: 'pricings[Containers].properties.pricingTier', value: 'Standard' },
      ),
    );
  });

  it('reads a flattened pricing (SDK shape) in any casing', () => {
    assert.deepStrictEqual(summary(alerting({ defender: collected({ pricingTier: 'standard' }) })), {
      alerts: ['defender-for-containers'],
      unalerted: [],
    });
  });

  it('finds no alert when Defender is Free and no rule watches the audit table', () => {
    const observed = alerting({ rules: [{ subscriptionId: SUB, rules: collected([]) }] });
    assert.deepStrictEqual(
      observed,
      known(
        { alerts: [], unalerted: [] },
        { path: 'pricings[Containers].properties.pricingTier', value: 'Free' },
        { path: `subscriptions/${SUB}/scheduledQueryRules.count`, value: 0 },
      ),
    );
  });

  it("counts an enabled rule over the audit table of the cluster's workspace, with its evidence", () => {
    const observed = alerting({ rules: rulesIn(rule('aks-failed-auth', {})) });
    assert.deepStrictEqual(
      observed,
      known(
        { alerts: ['scheduled-query-rule:aks-failed-auth'], unalerted: [] },
        { path: 'pricings[Containers].properties.pricingTier', value: 'Free' },
        { path: `subscriptions/${OTHER_SUB}/scheduledQueryRules.count`, value: 1 },
        { path: 'scheduledQueryRules[name=aks-failed-auth].properties.enabled', value: true },
        { path: 'scheduledQueryRules[name=aks-failed-auth].properties.scopes', value: [LAW] },
        {
          path: 'scheduledQueryRules[name=aks-failed-auth].properties.criteria.allOf[0].query',
          value: QUERY,
        },
      ),
    );
  });

  it('is unknown when a rule over the audit table does not say whether it is enabled, and no other rule alerts', () => {
    // Prepare
    const unset = rule('unset', { enabled: null });
    // Act
    const observed = alerting({ rules: rulesIn(rule('off', { enabled: false }), unset) });
    // Assess
    assert.deepStrictEqual(
      observed,
      unknown(
        'scheduledQueryRules[name=unset].properties.enabled is absent',
        { path: 'pricings[Containers].properties.pricingTier', value: 'Free' },
        { path: `subscriptions/${OTHER_SUB}/scheduledQueryRules.count`, value: 2 },
        { path: 'scheduledQueryRules[name=off].properties.enabled', value: false },
        { path: 'scheduledQueryRules[name=off].properties.scopes', value: [LAW] },
        { path: 'scheduledQueryRules[name=off].properties.criteria.allOf[0].query', value: QUERY },
      ),
    );
  });

  it('names a disabled rule and a log-to-metric rule as unalerted, a kind of SimpleLogAlert as an alert, and skips a rule without enabled', () => {
    const observed = alerting({
      rules: rulesIn(
        rule('off', { enabled: false }),
        rule('unset', { enabled: null }),
        rule('to-metric', {}, { kind: 'LogToMetric' }),
        rule('simple', {}, { kind: 'SimpleLogAlert' }),
      ),
    });
    assert.deepStrictEqual(summary(observed), {
      alerts: ['scheduled-query-rule:simple'],
      unalerted: ['scheduled-query-rule:off (disabled)', 'scheduled-query-rule:to-metric (log-to-metric)'],
    });
  });

  it('counts rules scoped to the cluster, its resource group or its subscription, in any casing', () => {
    const scopes = [
      clusterId.toUpperCase(),
      `/subscriptions/${SUB}/resourceGroups/rg-c2/`,
      `/subscriptions/${SUB}`,
    ];
    const observed = alerting({
      rules: rulesIn(...scopes.map((scope, index) => rule(`scoped-${index}`, { scopes: [scope] }))),
    });
    assert.deepStrictEqual(summary(observed), {
      alerts: [
        'scheduled-query-rule:scoped-0',
        'scheduled-query-rule:scoped-1',
        'scheduled-query-rule:scoped-2',
      ],
      unalerted: [],
    });
  });

  it('ignores rules on another workspace, over a table the cluster does not send to, or that do not filter failures', () => {
    const elsewhere = LAW.replace('law-audit', 'law-other');
    const observed = alerting({
      rules: rulesIn(
        rule('other-workspace', { scopes: [elsewhere] }),
        rule('wrong-table', {
          criteria: { allOf: [{ query: 'AKSAudit | where ResponseStatus.code == 401' }] },
        }),
        rule('no-filter', { criteria: { allOf: [{ query: 'AKSAuditAdmin | where Verb == "delete"' }] } }),
      ),
    });
    assert.deepStrictEqual(summary(observed), { alerts: [], unalerted: [] });
  });

  it('counts a rule whose second condition is the matching one', () => {
    const observed = alerting({
      rules: rulesIn(
        rule('second', { criteria: { allOf: [{ query: 'AKSAuditAdmin | take 1' }, { query: QUERY }] } }),
      ),
    });
    assert.deepStrictEqual(summary(observed), { alerts: ['scheduled-query-rule:second'], unalerted: [] });
  });

  it('is unknown with every reason when neither Defender nor the rules can be read', () => {
    const observed = alerting({
      defender: missing(PRICING_DENIED),
      rules: [
        { subscriptionId: SUB, rules: missing(RULES_DENIED) },
        { subscriptionId: OTHER_SUB, rules: collected([]) },
      ],
    });
    assert.equal(summary(observed), `unknown: ${PRICING_DENIED}; ${RULES_DENIED}`);
  });

  it('is unknown when Defender cannot be read and no rule alerts; known when a rule does', () => {
    assert.deepStrictEqual(
      [
        summary(alerting({ defender: missing(PRICING_DENIED), rules: rulesIn() })),
        summary(alerting({ defender: missing(PRICING_DENIED), rules: rulesIn(rule('found', {})) })),
      ],
      [`unknown: ${PRICING_DENIED}`, { alerts: ['scheduled-query-rule:found'], unalerted: [] }],
    );
  });

  it('is unknown when the pricing states no tier, or a tier that is not a string', () => {
    assert.deepStrictEqual(
      [
        summary(alerting({ defender: collected(pricing(null)) })),
        summary(alerting({ defender: collected(pricing(1)) })),
      ],
      [
        'unknown: the Containers pricing of the subscription states no pricingTier',
        'unknown: pricings[Containers].properties.pricingTier is the number 1, expected a string',
      ],
    );
  });

  it('counts only rules on the cluster itself when the diagnostic settings cannot be read, and otherwise says why it cannot tell', () => {
    const denied = 'Microsoft.Insights/diagnosticSettings/read failed: AuthorizationFailed: HTTP 403';
    const settings = missing<readonly unknown[]>(denied);
    assert.deepStrictEqual(
      [
        summary(alerting({ settings, rules: rulesIn(rule('on-workspace', {})) })),
        summary(alerting({ settings, rules: rulesIn(rule('on-cluster', { scopes: [clusterId] })) })),
      ],
      [
        `unknown: which Log Analytics workspaces receive the audit logs is not known: ${denied}`,
        { alerts: ['scheduled-query-rule:on-cluster'], unalerted: [] },
      ],
    );
  });

  it('finds no rule target when no audit logs are exported', () => {
    const observed = alerting({
      settings: collected([]),
      rules: rulesIn(rule('on-cluster', { scopes: [clusterId] })),
    });
    assert.deepStrictEqual(summary(observed), { alerts: [], unalerted: [] });
  });

  it('is unknown on a malformed rule that concerns the cluster, unless something else alerts', () => {
    const malformed = [
      rule('scopes-not-list', { scopes: 'all' }),
      rule('criteria-not-list', { criteria: { allOf: 'x' } }),
      rule('enabled-not-boolean', { enabled: 'yes' }),
    ];
    assert.deepStrictEqual(
      [
        summary(alerting({ rules: rulesIn(...malformed) })),
        summary(alerting({ defender: collected(pricing('Standard')), rules: rulesIn(...malformed) })),
      ],
      [
        'unknown: scheduledQueryRules[name=scopes-not-list].properties.scopes is the string "all", expected a list; scheduledQueryRules[name=criteria-not-list].properties.criteria.allOf is the string "x", expected a list; scheduledQueryRules[name=enabled-not-boolean].properties.enabled is the string "yes", expected a boolean',
        { alerts: ['defender-for-containers'], unalerted: [] },
      ],
    );
  });

  it('is unknown, not failed, on a rule whose scopes, conditions or queries are missing or of the wrong type', () => {
    // A damaged answer may hide the one rule that alerts: found by the fault suite's type-confused bodies.
    const damaged = [
      { name: 'properties-not-object', properties: 'x' },
      rule('no-scopes', { scopes: null }),
      rule('no-criteria', { criteria: null }),
      rule('query-not-string', { criteria: { allOf: [{ query: 7 }, 'odd'] } }),
    ];
    assert.deepStrictEqual(
      damaged.map((one) => summary(alerting({ rules: rulesIn(one) }))),
      [
        'unknown: scheduledQueryRules[name=properties-not-object].properties.scopes is absent',
        'unknown: scheduledQueryRules[name=no-scopes].properties.scopes is absent',
        'unknown: scheduledQueryRules[name=no-criteria].properties.criteria.allOf is absent',
        'unknown: scheduledQueryRules[name=query-not-string].properties.criteria.allOf[0].query is the number 7, expected a string',
      ],
    );
  });

  it('names an unnamed rule by its position, and carries a hostile name through unchanged', () => {
    const unnamed = { properties: rule('x', {}).properties };
    const observed = alerting({ rules: rulesIn(unnamed, rule('<img src=x onerror=alert(1)>|{{x}}', {})) });
    assert.deepStrictEqual(summary(observed), {
      alerts: [
        'scheduled-query-rule:<img src=x onerror=alert(1)>|{{x}}',
        `scheduled-query-rule:subscriptions/${OTHER_SUB}/scheduledQueryRules[0]`,
      ],
      unalerted: [],
    });
  });

  it('says the plan or the rules were not read when the collector left one out', () => {
    const only = (parts: Partial<AksCollected>) =>
      summary(
        normaliseAks(
          { managedCluster: cluster, diagnosticSettings: collected([AUDIT_SETTING]), ...parts },
          { kind: 'api', api: 'aks' },
        ).failedAuthAlerting,
      );
    assert.deepStrictEqual(
      [only({ defenderForContainers: collected(pricing('Free')) }), only({ scheduledQueryRules: [] })],
      [
        'unknown: scheduled query rules were not read',
        'unknown: the Defender for Containers plan was not read',
      ],
    );
  });
});

describe('parseWorkspaceId', () => {
  it('parses Log Analytics workspace ids case-insensitively, and nothing else', () => {
    const id =
      '/subscriptions/S1/resourcegroups/rg-Obs/providers/microsoft.operationalinsights/workspaces/law-1';
    assert.deepStrictEqual(
      [
        parseWorkspaceId(id),
        parseWorkspaceId(`${id}/tables/AKSAudit`),
        parseWorkspaceId(
          '/subscriptions/S1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st',
        ),
        parseWorkspaceId(''),
      ],
      [
        { subscriptionId: 'S1', resourceGroup: 'rg-Obs', workspaceName: 'law-1' },
        undefined,
        undefined,
        undefined,
      ],
    );
  });
});
