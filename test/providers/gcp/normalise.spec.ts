import assert from 'node:assert/strict';
import { known, unknown } from '../../../model/observed.js';
import type { GkeClusterPosture, PostureOrigin } from '../../../model/posture.js';
import { collected, missing } from '../../../providers/collected.js';
import { normaliseGke, parseGkeClusterName } from '../../../providers/gcp/normalise.js';
import {
  ALERTING_NOT_IN_EXPORT,
  DEFAULT_BUCKET_NOT_IN_EXPORT,
  type GkeProjectLogging,
} from '../../../providers/gcp/projectLogging.js';
import { IN_CLUSTER_OFF } from '../../../providers/kubernetes/normalise.js';
import { version } from '../../fixtures/postures.js';
import { normaliseError, rawFixture, withField } from '../rawFixture.js';

const origin: PostureOrigin = {
  kind: 'snapshot',
  file: 'clusters/gke.json',
  format: 'gcloud container clusters describe',
};

function normalise(cluster: unknown): GkeClusterPosture {
  return normaliseGke({ cluster }, origin);
}

const NO_FIREWALL_RULES = 'SSH to GKE nodes is allowed or denied by VPC firewall rules, which are not read';
const POOL_A_ACCOUNT = 'checkout-nodes@example-project.iam.gserviceaccount.com';

function fixture(file: string): unknown {
  return rawFixture(`gke/${file}`);
}

function observedValue<T>(observed: { readonly value: T } | { readonly unknown: string }): T | string {
  return 'value' in observed ? observed.value : `unknown: ${observed.unknown}`;
}

const REQUIRED_BUCKET = { path: 'cloudAuditLogs._Required.retentionDays', value: 400 };
const NO_UPGRADE_INFO = 'fetchClusterUpgradeInfo not read in a snapshot; using the bundled calendar';
const INTRA_NODE = 'cluster.networkConfig.enableIntraNodeVisibility';
const OBSERVABILITY_METRICS = 'cluster.monitoringConfig.advancedDatapathObservabilityConfig.enableMetrics';
const POSTURE_MODE = 'cluster.securityPostureConfig.mode';

const MINIMAL = {
  name: 'bare',
  selfLink:
    'https://container.googleapis.com/v1/projects/example-project/locations/europe-north1/clusters/bare',
  location: 'europe-north1',
  currentMasterVersion: '1.33.2-gke.1111000',
};

describe('normaliseGke', () => {
  describe('a Standard private cluster in REST JSON', () => {
    it('maps every posture field with its evidence', () => {
      // Prepare
      const cluster = fixture('cluster-standard-private.json');
      const keyName = 'projects/example-project/locations/europe-west1/keyRings/gke/cryptoKeys/etcd';
      // Act
      const posture = normalise(cluster);
      // Assess
      const expected: GkeClusterPosture = {
        id: 'projects/example-project/locations/europe-west1/clusters/checkout-prod',
        provider: 'gke',
        scope: 'example-project',
        location: 'europe-west1',
        name: 'checkout-prod',
        tags: { team: 'checkout', env: 'prod' },
        origin,
        mode: known('standard', { path: 'cluster.autopilot.enabled', value: null }),
        version: known(version('1.32.4-gke.1106000'), {
          path: 'cluster.currentMasterVersion',
          value: '1.32.4-gke.1106000',
        }),
        supportPlan: known('standard', { path: 'cluster.releaseChannel.channel', value: 'STABLE' }),
        endpoint: {
          publicAccess: known(false, {
            path: 'cluster.privateClusterConfig.enablePrivateEndpoint',
            value: true,
          }),
          privateAccess: known(
            true,
            { path: 'cluster.privateClusterConfig.enablePrivateNodes', value: true },
            { path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint', value: null },
            { path: 'cluster.privateClusterConfig.privateEndpoint', value: '172.16.0.2' },
          ),
          authorizedNetworks: known(
            { enforced: true, cidrs: ['198.51.100.0/24', '203.0.113.0/28'], allowsCloudPublicRanges: false },
            {
              path: 'cluster.masterAuthorizedNetworksConfig',
              value: {
                enabled: true,
                cidrBlocks: [
                  { displayName: 'office', cidrBlock: '198.51.100.0/24' },
                  { displayName: 'vpn', cidrBlock: '203.0.113.0/28' },
                ],
                gcpPublicCidrsAccessEnabled: false,
              },
            },
          ),
        },
        authorization: {
          rbac: known(true),
          legacyAbac: known(false, { path: 'cluster.legacyAbac.enabled', value: null }),
        },
        secretsEncryption: known(
          { envelope: true, keyManagedBy: 'customer', keyId: keyName },
          { path: 'cluster.databaseEncryption.state', value: 'ENCRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: keyName },
        ),
        auditLogs: known(
          {
            exported: true,
            categories: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'],
            destinations: ['cloud-logging'],
          },
          { path: 'cluster.loggingService', value: 'logging.googleapis.com/kubernetes' },
          {
            path: 'cluster.loggingConfig.componentConfig.enableComponents',
            value: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'],
          },
        ),
        authenticatorLogs: known(true),
        networkPolicy: known(
          { enforced: true, engine: 'calico' },
          { path: 'cluster.networkPolicy.enabled', value: true },
          { path: 'cluster.networkConfig.datapathProvider', value: 'LEGACY_DATAPATH' },
        ),
        nodePools: known([
          {
            name: 'pool-a',
            managedBy: 'customer',
            version: known(version('1.32.4-gke.1106000'), {
              path: 'cluster.nodePools[name=pool-a].version',
              value: '1.32.4-gke.1106000',
            }),
            publicIps: known(
              false,
              { path: 'cluster.nodePools[name=pool-a].networkConfig.enablePrivateNodes', value: null },
              { path: 'cluster.privateClusterConfig.enablePrivateNodes', value: true },
            ),
            kubeletReadOnlyPort: known(false, {
              path: 'cluster.nodePools[name=pool-a].config.kubeletConfig.insecureKubeletReadonlyPortEnabled',
              value: false,
            }),
            sshAccess: unknown(NO_FIREWALL_RULES),
            secureBoot: known(true, {
              path: 'cluster.nodePools[name=pool-a].config.shieldedInstanceConfig.enableSecureBoot',
              value: true,
            }),
            autoUpgrade: known(true, {
              path: 'cluster.nodePools[name=pool-a].management.autoUpgrade',
              value: true,
            }),
            serviceAccount: known(
              { account: POOL_A_ACCOUNT, providerDefault: false, fullApiScope: false },
              { path: 'cluster.nodePools[name=pool-a].config.serviceAccount', value: POOL_A_ACCOUNT },
              { path: 'cluster.nodePools[name=pool-a].config.oauthScopes', value: null },
            ),
          },
          {
            name: 'pool-b',
            managedBy: 'customer',
            version: known(version('1.31.6-gke.1020000'), {
              path: 'cluster.nodePools[name=pool-b].version',
              value: '1.31.6-gke.1020000',
            }),
            publicIps: known(true, {
              path: 'cluster.nodePools[name=pool-b].networkConfig.enablePrivateNodes',
              value: false,
            }),
            kubeletReadOnlyPort: known(true, {
              path: 'cluster.nodePools[name=pool-b].config.kubeletConfig.insecureKubeletReadonlyPortEnabled',
              value: true,
            }),
            sshAccess: unknown(NO_FIREWALL_RULES),
            secureBoot: known(false, {
              path: 'cluster.nodePools[name=pool-b].config.shieldedInstanceConfig.enableSecureBoot',
              value: null,
            }),
            autoUpgrade: known(true, {
              path: 'cluster.nodePools[name=pool-b].management.autoUpgrade',
              value: true,
            }),
            serviceAccount: known(
              { account: 'default', providerDefault: true, fullApiScope: false },
              { path: 'cluster.nodePools[name=pool-b].config.serviceAccount', value: null },
              { path: 'cluster.nodePools[name=pool-b].config.oauthScopes', value: null },
            ),
          },
        ]),
        auditLogRetentionDays: known(400, REQUIRED_BUCKET),
        failedAuthAlerting: unknown(ALERTING_NOT_IN_EXPORT),
        networkFlowLogs: known(
          true,
          { path: INTRA_NODE, value: true },
          { path: OBSERVABILITY_METRICS, value: null },
        ),
        runtimeThreatDetection: known(
          { enabled: true, via: 'gke-security-posture' },
          { path: POSTURE_MODE, value: 'BASIC' },
        ),
        versionSupport: unknown(NO_UPGRADE_INFO),
        apiServer: known(
          { url: 'https://172.16.0.2', caData: 'LS0tLS1CRUdJTi1FWEFNUExFLS0tLS0=' },
          { path: 'cluster.privateClusterConfig.privateEndpoint', value: '172.16.0.2' },
          { path: 'cluster.masterAuth.clusterCaCertificate', value: 'LS0tLS1CRUdJTi1FWEFNUExFLS0tLS0=' },
        ),
        inCluster: unknown(IN_CLUSTER_OFF),
        gke: {
          googleGroupsForRbac: known(true, {
            path: 'cluster.authenticatorGroupsConfig.enabled',
            value: true,
          }),
          identityService: known(false, { path: 'cluster.identityServiceConfig.enabled', value: null }),
          basicAuth: known(false, { path: 'cluster.masterAuth.username', value: null }),
          clientCertificate: known(
            false,
            { path: 'cluster.masterAuth.clientCertificateConfig.issueClientCertificate', value: null },
            { path: 'cluster.masterAuth.clientCertificate', value: null },
            { path: 'cluster.masterAuth.clientKey', value: null },
          ),
          kubeletReadOnlyPortDefault: known(false, {
            path: 'cluster.nodePoolDefaults.nodeConfigDefaults.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled',
            value: false,
          }),
          releaseChannel: known('STABLE', { path: 'cluster.releaseChannel.channel', value: 'STABLE' }),
          anonymousAuthentication: known('MODE_UNSPECIFIED', {
            path: 'cluster.anonymousAuthenticationConfig.mode',
            value: null,
          }),
          insecureRbacBindings: known(
            { unauthenticated: true, authenticated: true },
            { path: 'cluster.rbacBindingConfig.enableInsecureBindingSystemUnauthenticated', value: null },
            { path: 'cluster.rbacBindingConfig.enableInsecureBindingSystemAuthenticated', value: null },
          ),
          workloadPool: known(null, { path: 'cluster.workloadIdentityConfig.workloadPool', value: null }),
          shieldedNodes: known(false, { path: 'cluster.shieldedNodes.enabled', value: null }),
          kubernetesDashboard: known(false, {
            path: 'cluster.addonsConfig.kubernetesDashboard.disabled',
            value: true,
          }),
          kubernetesAlpha: known(false, { path: 'cluster.enableKubernetesAlpha', value: null }),
          dnsEndpointExternalTraffic: known(false, {
            path: 'cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic',
            value: null,
          }),
          defaultLogBucketRetentionDays: unknown(DEFAULT_BUCKET_NOT_IN_EXPORT),
          binaryAuthorization: known(
            'DISABLED',
            { path: 'cluster.binaryAuthorization.evaluationMode', value: null },
            { path: 'cluster.binaryAuthorization.enabled', value: null },
          ),
        },
      };
      assert.deepEqual(posture, expected);
    });
  });

  describe('control-plane endpoints', () => {
    it('lets controlPlaneEndpointsConfig win over the deprecated privateClusterConfig', () => {
      // Prepare
      const cluster = fixture('cluster-endpoints-config.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(posture.endpoint, {
        publicAccess: known(false, {
          path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint',
          value: false,
        }),
        privateAccess: known(
          true,
          { path: 'cluster.privateClusterConfig.enablePrivateNodes', value: null },
          {
            path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint',
            value: '10.128.0.2',
          },
          { path: 'cluster.privateClusterConfig.privateEndpoint', value: null },
        ),
        authorizedNetworks: known(
          { enforced: true, cidrs: ['0.0.0.0/0'], allowsCloudPublicRanges: true },
          {
            path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig',
            value: {
              enabled: true,
              cidrBlocks: [{ displayName: 'everyone', cidrBlock: '0.0.0.0/0' }],
              gcpPublicCidrsAccessEnabled: true,
              privateEndpointEnforcementEnabled: true,
            },
          },
        ),
      });
    });

    it('reads a public IP endpoint when enablePublicEndpoint is unset', () => {
      // Prepare
      const cluster = withField(
        fixture('cluster-endpoints-config.json'),
        'controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint',
        undefined,
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.endpoint.publicAccess,
        known(true, {
          path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint',
          value: null,
        }),
      );
    });

    it('reads no public endpoint when IP endpoints are switched off altogether', () => {
      // Prepare
      const noIpEndpoints = withField(
        withField(
          fixture('cluster-endpoints-config.json'),
          'controlPlaneEndpointsConfig.ipEndpointsConfig.enabled',
          false,
        ),
        'controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint',
        undefined,
      );
      // Act
      const posture = normalise(noIpEndpoints);
      // Assess
      assert.deepEqual(
        posture.endpoint.publicAccess,
        known(
          false,
          { path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enabled', value: false },
          { path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint', value: null },
        ),
      );
    });

    describe('the DNS-based endpoint', () => {
      const ALLOW_EXTERNAL = 'cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic';

      it('reads a DNS endpoint that accepts traffic from the internet, apart from the IP endpoints', () => {
        // Act
        const posture = normalise(fixture('cluster-endpoints-config.json'));
        // Assess
        assert.deepEqual(
          [posture.gke.dnsEndpointExternalTraffic, observedValue(posture.endpoint.publicAccess)],
          [known(true, { path: ALLOW_EXTERNAL, value: true }), false],
        );
      });

      it('reads an unset allowExternalTraffic as closed, the API default', () => {
        const cluster = withField(
          fixture('cluster-endpoints-config.json'),
          'controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic',
          undefined,
        );
        assert.deepEqual(
          normalise(cluster).gke.dnsEndpointExternalTraffic,
          known(false, { path: ALLOW_EXTERNAL, value: null }),
        );
      });

      it('is unknown, not closed, when allowExternalTraffic is not a boolean', () => {
        const cluster = withField(
          fixture('cluster-endpoints-config.json'),
          'controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic',
          'yes',
        );
        const observed = normalise(cluster).gke.dnsEndpointExternalTraffic;
        assert.deepEqual(observed.from, [{ path: ALLOW_EXTERNAL, value: 'yes' }]);
        assert.ok('unknown' in observed);
      });
    });

    it('falls back to masterAuthorizedNetworksConfig when the IP endpoints carry no allow-list', () => {
      // Prepare
      const cluster = withField(
        withField(
          fixture('cluster-endpoints-config.json'),
          'controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig',
          undefined,
        ),
        'masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled',
        false,
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(observedValue(posture.endpoint.authorizedNetworks), {
        enforced: true,
        cidrs: ['10.0.0.0/8'],
        allowsCloudPublicRanges: false,
      });
    });
  });

  describe('proto3 JSON: absent and empty mean off', () => {
    it('reads a cluster without optional blocks as not enabled, not as unknown', () => {
      // Act
      const posture = normalise(MINIMAL);
      // Assess
      assert.deepEqual(
        {
          publicAccess: observedValue(posture.endpoint.publicAccess),
          privateAccess: observedValue(posture.endpoint.privateAccess),
          authorizedNetworks: observedValue(posture.endpoint.authorizedNetworks),
          legacyAbac: observedValue(posture.authorization.legacyAbac),
          secretsEncryption: observedValue(posture.secretsEncryption),
          auditLogs: observedValue(posture.auditLogs),
          networkPolicy: observedValue(posture.networkPolicy),
          nodePools: observedValue(posture.nodePools),
          releaseChannel: observedValue(posture.gke.releaseChannel),
          supportPlan: observedValue(posture.supportPlan),
          googleGroupsForRbac: observedValue(posture.gke.googleGroupsForRbac),
          networkFlowLogs: observedValue(posture.networkFlowLogs),
          runtimeThreatDetection: observedValue(posture.runtimeThreatDetection),
          auditLogRetentionDays: observedValue(posture.auditLogRetentionDays),
        },
        {
          publicAccess: true,
          privateAccess: false,
          authorizedNetworks: { enforced: false, cidrs: [], allowsCloudPublicRanges: false },
          legacyAbac: false,
          secretsEncryption: { envelope: false, keyManagedBy: 'none', keyId: null },
          auditLogs: { exported: true, categories: [], destinations: ['cloud-logging'] },
          networkPolicy: { enforced: false, engine: null },
          nodePools:
            'unknown: cluster.nodePools absent from the Cluster resource: the export names no node pools (proto3 JSON also drops an empty list), so they cannot be checked',
          releaseChannel: 'UNSPECIFIED',
          supportPlan: 'standard',
          googleGroupsForRbac: false,
          networkFlowLogs: false,
          runtimeThreatDetection: { enabled: false, via: null },
          auditLogRetentionDays: 400,
        },
      );
    });

    it('reads an empty networkPolicy and legacyAbac object as off', () => {
      // Prepare
      const cluster = { ...MINIMAL, networkPolicy: {}, legacyAbac: {}, masterAuthorizedNetworksConfig: {} };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [posture.networkPolicy, posture.authorization.legacyAbac],
        [
          known(
            { enforced: false, engine: null },
            { path: 'cluster.networkPolicy.enabled', value: null },
            { path: 'cluster.networkConfig.datapathProvider', value: null },
          ),
          known(false, { path: 'cluster.legacyAbac.enabled', value: null }),
        ],
      );
    });

    it('is unknown when currentMasterVersion is absent', () => {
      // Prepare
      const cluster = { ...MINIMAL, currentMasterVersion: undefined };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.version,
        unknown('cluster.currentMasterVersion absent from the Cluster resource', {
          path: 'cluster.currentMasterVersion',
          value: null,
        }),
      );
    });

    it('is unknown, not false, when a boolean arrives as a string', () => {
      // Prepare
      const cluster = { ...MINIMAL, legacyAbac: { enabled: 'true' } };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.authorization.legacyAbac,
        unknown('cluster.legacyAbac.enabled is the string "true", expected a boolean', {
          path: 'cluster.legacyAbac.enabled',
          value: 'true',
        }),
      );
    });
  });

  describe('snake_case keys and numeric enums', () => {
    it('reads a protobuf dump like REST JSON, keeping label and metadata keys as they are', () => {
      // Prepare
      const cluster = fixture('cluster-snake-case.json');
      const keyName = 'projects/example-project/locations/asia-northeast1/keyRings/gke/cryptoKeys/etcd';
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        {
          id: posture.id,
          tags: posture.tags,
          version: posture.version,
          secretsEncryption: posture.secretsEncryption,
          releaseChannel: posture.gke.releaseChannel,
          supportPlan: observedValue(posture.supportPlan),
          networkPolicy: observedValue(posture.networkPolicy),
          auditLogs: observedValue(posture.auditLogs),
          authorizedNetworks: observedValue(posture.endpoint.authorizedNetworks),
          privateAccess: observedValue(posture.endpoint.privateAccess),
          kubeletReadOnlyPortDefault: observedValue(posture.gke.kubeletReadOnlyPortDefault),
          networkFlowLogs: posture.networkFlowLogs,
          runtimeThreatDetection: posture.runtimeThreatDetection,
          nodePools: posture.nodePools,
          anonymousAuthentication: posture.gke.anonymousAuthentication,
          binaryAuthorization: observedValue(posture.gke.binaryAuthorization),
          insecureRbacBindings: observedValue(posture.gke.insecureRbacBindings),
          workloadPool: observedValue(posture.gke.workloadPool),
          shieldedNodes: observedValue(posture.gke.shieldedNodes),
        },
        {
          id: 'projects/example-project/locations/asia-northeast1/clusters/analytics',
          tags: { cost_center: 'cc-9', Team_Name: 'Data Platform' },
          version: known(version('1.33.5-gke.1080000'), {
            path: 'cluster.currentMasterVersion',
            value: '1.33.5-gke.1080000',
          }),
          secretsEncryption: known(
            { envelope: true, keyManagedBy: 'customer', keyId: keyName },
            { path: 'cluster.databaseEncryption.state', value: 1 },
            { path: 'cluster.databaseEncryption.keyName', value: keyName },
          ),
          releaseChannel: known('EXTENDED', { path: 'cluster.releaseChannel.channel', value: 4 }),
          supportPlan: 'extended',
          networkPolicy: { enforced: true, engine: 'dataplane-v2' },
          auditLogs: {
            exported: true,
            categories: ['SYSTEM_COMPONENTS', 'APISERVER'],
            destinations: ['cloud-logging'],
          },
          authorizedNetworks: { enforced: true, cidrs: ['192.0.2.0/24'], allowsCloudPublicRanges: false },
          privateAccess: true,
          kubeletReadOnlyPortDefault: true,
          networkFlowLogs: known(
            true,
            { path: INTRA_NODE, value: null },
            { path: OBSERVABILITY_METRICS, value: true },
          ),
          runtimeThreatDetection: known(
            { enabled: true, via: 'gke-security-posture' },
            { path: POSTURE_MODE, value: 2 },
          ),
          nodePools: known([
            {
              name: 'batch',
              managedBy: 'customer',
              version: known(version('1.33.5-gke.1080000'), {
                path: 'cluster.nodePools[name=batch].version',
                value: '1.33.5-gke.1080000',
              }),
              publicIps: known(true, {
                path: 'cluster.nodePools[name=batch].networkConfig.enablePrivateNodes',
                value: false,
              }),
              kubeletReadOnlyPort: known(true, {
                path: 'cluster.nodePools[name=batch].config.kubeletConfig.insecureKubeletReadonlyPortEnabled',
                value: true,
              }),
              sshAccess: unknown(NO_FIREWALL_RULES),
              secureBoot: known(true, {
                path: 'cluster.nodePools[name=batch].config.shieldedInstanceConfig.enableSecureBoot',
                value: true,
              }),
              autoUpgrade: known(false, {
                path: 'cluster.nodePools[name=batch].management.autoUpgrade',
                value: null,
              }),
              // An empty serviceAccount is the default account, here with every API in scope: the worst case.
              serviceAccount: known(
                { account: 'default', providerDefault: true, fullApiScope: true },
                { path: 'cluster.nodePools[name=batch].config.serviceAccount', value: '' },
                {
                  path: 'cluster.nodePools[name=batch].config.oauthScopes',
                  value: ['https://www.googleapis.com/auth/cloud-platform'],
                },
              ),
            },
          ]),
          anonymousAuthentication: known('LIMITED', {
            path: 'cluster.anonymousAuthenticationConfig.mode',
            value: 2,
          }),
          binaryAuthorization: 'PROJECT_SINGLETON_POLICY_ENFORCE',
          // The unset Authenticated flag keeps GKE's default, which accepts the bindings.
          insecureRbacBindings: { unauthenticated: false, authenticated: true },
          workloadPool: 'example-project.svc.id.goog',
          shieldedNodes: true,
        },
      );
    });

    it('maps DECRYPTED given as 2 to no envelope encryption', () => {
      // Prepare
      const cluster = withField(fixture('cluster-snake-case.json'), 'database_encryption', { state: 2 });
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(observedValue(posture.secretsEncryption), {
        envelope: false,
        keyManagedBy: 'none',
        keyId: null,
      });
    });

    it('is unknown for an enum number outside the proto numbering', () => {
      // Prepare
      const cluster = withField(fixture('cluster-snake-case.json'), 'database_encryption.state', 9);
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.equal(
        observedValue(posture.secretsEncryption),
        'unknown: cluster.databaseEncryption.state is the number 9, expected a known enum value',
      );
    });

    it('is unknown when the state says ENCRYPTED but no key is named', () => {
      // Prepare
      const cluster = { ...MINIMAL, databaseEncryption: { state: 'ENCRYPTED' } };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.equal(
        observedValue(posture.secretsEncryption),
        'unknown: cluster.databaseEncryption.state is ENCRYPTED but keyName is not set',
      );
    });
  });

  describe('Autopilot and legacy credentials', () => {
    it('puts Autopilot node pools on the provider side', () => {
      // Prepare
      const cluster = fixture('cluster-autopilot-legacy-auth.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.ok('value' in posture.nodePools);
      assert.deepEqual(
        [
          observedValue(posture.mode),
          posture.nodePools.value.map((pool) => [pool.name, pool.managedBy, observedValue(pool.publicIps)]),
        ],
        [
          'gke-autopilot',
          [
            ['default-pool', 'provider', true],
            ['pool-1', 'provider', false],
          ],
        ],
      );
    });

    it('reads basic auth and an issued client certificate, with the credentials redacted from evidence', () => {
      // Prepare
      const cluster = fixture('cluster-autopilot-legacy-auth.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [posture.gke.basicAuth, posture.gke.clientCertificate],
        [
          known(true, { path: 'cluster.masterAuth.username', value: 'admin' }),
          known(
            true,
            { path: 'cluster.masterAuth.clientCertificateConfig.issueClientCertificate', value: true },
            { path: 'cluster.masterAuth.clientCertificate', value: '[redacted]' },
            { path: 'cluster.masterAuth.clientKey', value: '[redacted]' },
          ),
        ],
      );
    });

    it('reads a client key left over from an old certificate as a static credential', () => {
      // Prepare
      const cluster = { ...MINIMAL, masterAuth: { clientKey: 'LS0tLS1LRVktLS0tLQ==' } };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.equal(observedValue(posture.gke.clientCertificate), true);
    });

    it('does not count audit logs as exported when loggingService is none', () => {
      // Prepare
      const cluster = fixture('cluster-autopilot-legacy-auth.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.auditLogs,
        known(
          { exported: false, categories: [], destinations: [] },
          { path: 'cluster.loggingService', value: 'none' },
          { path: 'cluster.loggingConfig.componentConfig.enableComponents', value: null },
        ),
      );
    });

    it('does not count audit logs as exported when the logging components are emptied', () => {
      // Prepare
      const cluster = withField(
        fixture('cluster-autopilot-legacy-auth.json'),
        'loggingService',
        'logging.googleapis.com/kubernetes',
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(observedValue(posture.auditLogs), {
        exported: false,
        categories: [],
        destinations: [],
      });
    });
  });

  describe('endpoints config fixture extras', () => {
    it('reads Dataplane V2, the extended channel, legacy ABAC, Identity Service and the private-nodes default', () => {
      // Prepare
      const cluster = fixture('cluster-endpoints-config.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.ok('value' in posture.nodePools);
      const [pool] = posture.nodePools.value;
      assert.deepEqual(
        {
          id: posture.id,
          networkPolicy: observedValue(posture.networkPolicy),
          supportPlan: observedValue(posture.supportPlan),
          legacyAbac: observedValue(posture.authorization.legacyAbac),
          identityService: observedValue(posture.gke.identityService),
          clientCertificate: observedValue(posture.gke.clientCertificate),
          poolPublicIps: pool?.publicIps,
          poolKubelet: pool === undefined ? undefined : observedValue(pool.kubeletReadOnlyPort),
        },
        {
          id: 'projects/example-project/locations/us-central1-a/clusters/search-dev',
          networkPolicy: { enforced: true, engine: 'dataplane-v2' },
          supportPlan: 'extended',
          legacyAbac: true,
          identityService: true,
          clientCertificate: false,
          poolPublicIps: known(
            false,
            { path: 'cluster.nodePools[name=default-pool].networkConfig.enablePrivateNodes', value: null },
            { path: 'cluster.networkConfig.defaultEnablePrivateNodes', value: true },
          ),
          // Unset, in an export without initialClusterVersion of a cluster that runs 1.30: created
          // before 1.32, when GKE left the port open by default.
          poolKubelet: true,
        },
      );
    });
  });

  describe('network flows, security posture, audit retention and version data', () => {
    it('reads flows as not recorded when both switches are explicitly false', () => {
      // Prepare
      const cluster = {
        ...MINIMAL,
        networkConfig: { enableIntraNodeVisibility: false },
        monitoringConfig: { advancedDatapathObservabilityConfig: { enableMetrics: false } },
      };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.networkFlowLogs,
        known(false, { path: INTRA_NODE, value: false }, { path: OBSERVABILITY_METRICS, value: false }),
      );
    });

    it('reads flows as not recorded when monitoringConfig carries an empty observability block', () => {
      // Prepare
      const cluster = { ...MINIMAL, monitoringConfig: { advancedDatapathObservabilityConfig: {} } };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.networkFlowLogs,
        known(false, { path: INTRA_NODE, value: null }, { path: OBSERVABILITY_METRICS, value: null }),
      );
    });

    it('is unknown, not off, when a flow switch is malformed and the other is off', () => {
      // Prepare
      const cluster = { ...MINIMAL, networkConfig: { enableIntraNodeVisibility: 'true' } };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.networkFlowLogs,
        unknown(
          'cluster.networkConfig.enableIntraNodeVisibility is the string "true", expected a boolean',
          { path: INTRA_NODE, value: 'true' },
          { path: OBSERVABILITY_METRICS, value: null },
        ),
      );
    });

    it('reads flows as recorded when one switch is on even if the other is malformed', () => {
      // Prepare
      const cluster = {
        ...MINIMAL,
        networkConfig: { enableIntraNodeVisibility: 'yes' },
        monitoringConfig: { advancedDatapathObservabilityConfig: { enableMetrics: true } },
      };
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.equal(observedValue(posture.networkFlowLogs), true);
    });

    it('reads each security posture mode, by name and by proto number', () => {
      // Prepare
      const modes: unknown[] = ['DISABLED', 'MODE_UNSPECIFIED', 'BASIC', 'ENTERPRISE', 1, 3];
      // Act
      const read = modes.map((mode) =>
        observedValue(normalise({ ...MINIMAL, securityPostureConfig: { mode } }).runtimeThreatDetection),
      );
      // Assess
      const off = { enabled: false, via: null };
      const on = { enabled: true, via: 'gke-security-posture' };
      assert.deepEqual(read, [off, off, on, on, off, on]);
    });

    it('reads an empty securityPostureConfig as off', () => {
      // Act
      const posture = normalise({ ...MINIMAL, securityPostureConfig: {} });
      // Assess
      assert.deepEqual(
        posture.runtimeThreatDetection,
        known({ enabled: false, via: null }, { path: POSTURE_MODE, value: null }),
      );
    });

    it('is unknown for a security posture mode it does not know', () => {
      // Act
      const named = normalise({ ...MINIMAL, securityPostureConfig: { mode: 'PREMIUM' } });
      const numbered = normalise({ ...MINIMAL, securityPostureConfig: { mode: 9 } });
      // Assess
      assert.deepEqual(
        [named.runtimeThreatDetection, observedValue(numbered.runtimeThreatDetection)],
        [
          unknown('cluster.securityPostureConfig.mode "PREMIUM" is not a known mode', {
            path: POSTURE_MODE,
            value: 'PREMIUM',
          }),
          'unknown: cluster.securityPostureConfig.mode is the number 9, expected a known enum value',
        ],
      );
    });

    it('keeps Admin Activity audit logs 400 days even when Cloud Logging is off', () => {
      // Prepare
      const cluster = fixture('cluster-autopilot-legacy-auth.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [observedValue(posture.auditLogs), posture.auditLogRetentionDays],
        [{ exported: false, categories: [], destinations: [] }, known(400, REQUIRED_BUCKET)],
      );
    });

    it('leaves live version support unknown, so the version checks use the calendar', () => {
      // Act
      const posture = normalise(MINIMAL);
      // Assess
      assert.deepEqual(posture.versionSupport, unknown(NO_UPGRADE_INFO));
    });
  });

  describe('identity', () => {
    it('throws a NormaliseError when the cluster has no name', () => {
      // Act
      const error = normaliseError(() => normalise({ ...MINIMAL, name: '' }));
      // Assess
      assert.deepEqual(
        [error.message, error.context],
        ['GKE cluster has no name', { provider: 'gke', source: 'clusters/gke.json' }],
      );
    });

    it('throws a NormaliseError when neither selfLink nor the caller names the project', () => {
      // Act
      const error = normaliseError(() => normalise({ ...MINIMAL, selfLink: undefined }));
      // Assess
      assert.deepEqual(
        [error.message, error.context],
        [
          'GKE cluster "bare" has no selfLink (or no location) to derive projects/P/locations/L/clusters/C from',
          { provider: 'gke', source: 'clusters/gke.json', cluster: 'bare' },
        ],
      );
    });

    it('builds the id from the project the caller listed when selfLink is missing', () => {
      // Act
      const posture = normaliseGke(
        { cluster: { ...MINIMAL, selfLink: undefined }, project: 'example-project' },
        origin,
      );
      // Assess
      assert.deepEqual(
        [posture.id, posture.scope, posture.location],
        [
          'projects/example-project/locations/europe-north1/clusters/bare',
          'example-project',
          'europe-north1',
        ],
      );
    });

    it('parses v1, v1beta1 and zonal selfLinks', () => {
      // Act
      const parsed = [
        'https://container.googleapis.com/v1beta1/projects/p-1/locations/us-central1/clusters/c-1',
        'https://container.googleapis.com/v1/projects/p-2/zones/us-central1-a/clusters/c-2',
        'projects/p-3/locations/europe-west4/clusters/c-3',
        'https://container.googleapis.com/v1/projects/p-4',
      ].map(parseGkeClusterName);
      // Assess
      assert.deepEqual(parsed, [
        { project: 'p-1', location: 'us-central1', cluster: 'c-1' },
        { project: 'p-2', location: 'us-central1-a', cluster: 'c-2' },
        { project: 'p-3', location: 'europe-west4', cluster: 'c-3' },
        undefined,
      ]);
    });
  });

  describe('hostile strings', () => {
    it('carries names and labels through unchanged and drops non-string label values', () => {
      // Prepare
      const cluster = fixture('cluster-hostile.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      const expectedTags: unknown = JSON.parse(
        '{"{{constructor}}":"{{#each this}}{{/each}}","quote\\"key":"it\'s \\"quoted\\"","__proto__":"polluted"}',
      );
      assert.deepEqual(
        [posture.name, posture.id, posture.tags],
        [
          '<script>alert(1)</script>',
          'projects/example-project/locations/us-west1/clusters/<script>alert(1)</script>',
          expectedTags,
        ],
      );
      assert.equal(Object.getPrototypeOf(posture.tags), Object.prototype);
    });
  });
});

describe('normaliseGke: hardening settings (AUTH-04, RBAC-03, IAM, NODE-04, HYG-01, RUN-02)', () => {
  const gke = (fields: Record<string, unknown>) => normalise({ ...MINIMAL, ...fields }).gke;

  it('reads the anonymous authentication mode by name or number, and never-set as MODE_UNSPECIFIED', () => {
    assert.equal(
      observedValue(gke({ anonymousAuthenticationConfig: { mode: 'LIMITED' } }).anonymousAuthentication),
      'LIMITED',
    );
    assert.equal(
      observedValue(gke({ anonymousAuthenticationConfig: { mode: 1 } }).anonymousAuthentication),
      'ENABLED',
    );
    assert.equal(observedValue(gke({}).anonymousAuthentication), 'MODE_UNSPECIFIED');
    assert.ok('unknown' in gke({ anonymousAuthenticationConfig: { mode: 7 } }).anonymousAuthentication);
  });

  it('reads Binary Authorization modes, the deprecated enabled flag, and unknown numbers', () => {
    assert.equal(
      observedValue(gke({ binaryAuthorization: { evaluationMode: 2 } }).binaryAuthorization),
      'PROJECT_SINGLETON_POLICY_ENFORCE',
    );
    assert.equal(
      observedValue(gke({ binaryAuthorization: { enabled: true } }).binaryAuthorization),
      'PROJECT_SINGLETON_POLICY_ENFORCE',
    );
    assert.equal(
      observedValue(gke({ binaryAuthorization: { evaluationMode: 'DISABLED' } }).binaryAuthorization),
      'DISABLED',
    );
    assert.equal(observedValue(gke({}).binaryAuthorization), 'DISABLED');
    assert.deepEqual(
      gke({ binaryAuthorization: { evaluationMode: 5 } }).binaryAuthorization,
      unknown('cluster.binaryAuthorization.evaluationMode is the number 5, expected a known enum value', {
        path: 'cluster.binaryAuthorization.evaluationMode',
        value: 5,
      }),
    );
  });

  it('reads rbacBindingConfig flags, keeping the default (bindings accepted) for each unset one', () => {
    assert.deepEqual(
      observedValue(
        gke({
          rbacBindingConfig: {
            enableInsecureBindingSystemUnauthenticated: false,
            enableInsecureBindingSystemAuthenticated: true,
          },
        }).insecureRbacBindings,
      ),
      { unauthenticated: false, authenticated: true },
    );
    assert.deepEqual(observedValue(gke({}).insecureRbacBindings), {
      unauthenticated: true,
      authenticated: true,
    });
    assert.ok(
      'unknown' in
        gke({ rbacBindingConfig: { enableInsecureBindingSystemUnauthenticated: 'false' } })
          .insecureRbacBindings,
    );
  });

  it('reads the workload pool, null when Workload Identity is off', () => {
    assert.equal(
      observedValue(gke({ workloadIdentityConfig: { workloadPool: 'p.svc.id.goog' } }).workloadPool),
      'p.svc.id.goog',
    );
    assert.equal(observedValue(gke({ workloadIdentityConfig: {} }).workloadPool), null);
  });

  it('reads the Dashboard add-on as off when unconfigured or disabled, and on when configured without disabled', () => {
    assert.equal(observedValue(gke({}).kubernetesDashboard), false);
    assert.equal(
      observedValue(gke({ addonsConfig: { kubernetesDashboard: { disabled: true } } }).kubernetesDashboard),
      false,
    );
    assert.deepEqual(
      gke({ addonsConfig: { kubernetesDashboard: {} } }).kubernetesDashboard,
      known(true, { path: 'cluster.addonsConfig.kubernetesDashboard.disabled', value: null }),
    );
    assert.ok('unknown' in gke({ addonsConfig: { kubernetesDashboard: 'off' } }).kubernetesDashboard);
  });

  it('reads alpha clusters and Shielded GKE Nodes, absent meaning off', () => {
    assert.equal(observedValue(gke({ enableKubernetesAlpha: true }).kubernetesAlpha), true);
    assert.equal(observedValue(gke({}).kubernetesAlpha), false);
    assert.equal(observedValue(gke({ shieldedNodes: { enabled: true } }).shieldedNodes), true);
    assert.equal(observedValue(gke({}).shieldedNodes), false);
  });

  it('reads a pool on the Compute Engine default account by its email as the default account', () => {
    const account = '123456789012-compute@developer.gserviceaccount.com';
    const posture = normalise({
      ...MINIMAL,
      nodePools: [{ name: 'p', version: '1.33.2-gke.1111000', config: { serviceAccount: account } }],
    });
    const pools = observedValue(posture.nodePools);
    assert.ok(typeof pools !== 'string');
    assert.deepEqual(observedValue(pools[0]?.serviceAccount ?? unknown('no pool')), {
      account,
      providerDefault: true,
      fullApiScope: false,
    });
  });
});

describe('normaliseGke: node pools and the kubelet read-only port default (issue 8)', () => {
  const POOL_PORT = 'cluster.nodePools[name=p].config.kubeletConfig.insecureKubeletReadonlyPortEnabled';
  const STANDARD_DEFAULT =
    'cluster.nodePoolDefaults.nodeConfigDefaults.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled';
  const AUTOPILOT_DEFAULT = 'cluster.nodePoolAutoConfig.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled';
  const CREATED = 'cluster.initialClusterVersion';
  const RUNNING = 'cluster.currentMasterVersion';
  const NO_CREATION_VERSION =
    'cluster.initialClusterVersion is absent from the export, so whether the cluster was created before 1.32 (port open by default) or at 1.32 or later (closed by default) cannot be told';

  function withPool(fields: Record<string, unknown>, pool: Record<string, unknown> = {}): GkeClusterPosture {
    return normalise({
      ...MINIMAL,
      ...fields,
      nodePools: [{ name: 'p', version: '1.33.2-gke.1111000', ...pool }],
    });
  }

  function poolPort(posture: GkeClusterPosture): unknown {
    assert.ok('value' in posture.nodePools, 'node pools are known');
    return posture.nodePools.value[0]?.kubeletReadOnlyPort;
  }

  it('reads a missing nodePools list as unknown, not as a cluster without pools', () => {
    // Act
    const posture = normalise(MINIMAL);
    // Assess
    assert.deepEqual(
      posture.nodePools,
      unknown(
        'cluster.nodePools absent from the Cluster resource: the export names no node pools (proto3 JSON also drops an empty list), so they cannot be checked',
        { path: 'cluster.nodePools', value: null },
      ),
    );
  });

  it('reads a missing nodePools list on Autopilot as unknown too', () => {
    const posture = normalise({ ...MINIMAL, autopilot: { enabled: true } });
    assert.ok('unknown' in posture.nodePools);
  });

  it('is unknown when nodePools is not a list, or a pool has no name', () => {
    assert.deepEqual(
      normalise({ ...MINIMAL, nodePools: { name: 'p' } }).nodePools,
      unknown('cluster.nodePools is an object, expected a list', {
        path: 'cluster.nodePools',
        value: { name: 'p' },
      }),
    );
    assert.deepEqual(
      normalise({ ...MINIMAL, nodePools: [{ version: '1.33.2-gke.1111000' }] }).nodePools,
      unknown('cluster.nodePools[0] has no name'),
    );
  });

  it('is unknown, not public or private, when a private-nodes setting is malformed', () => {
    const own = withPool({}, { networkConfig: { enablePrivateNodes: 'true' } });
    const inherited = withPool({ networkConfig: { defaultEnablePrivateNodes: 1 } });
    assert.ok('value' in own.nodePools && 'value' in inherited.nodePools);
    assert.deepEqual(
      [own.nodePools.value[0]?.publicIps, inherited.nodePools.value[0]?.publicIps],
      [
        unknown(
          'cluster.nodePools[name=p].networkConfig.enablePrivateNodes is the string "true", expected a boolean',
          {
            path: 'cluster.nodePools[name=p].networkConfig.enablePrivateNodes',
            value: 'true',
          },
        ),
        unknown(
          'cluster.networkConfig.defaultEnablePrivateNodes is the number 1, expected a boolean',
          { path: 'cluster.nodePools[name=p].networkConfig.enablePrivateNodes', value: null },
          { path: 'cluster.networkConfig.defaultEnablePrivateNodes', value: 1 },
        ),
      ],
    );
  });

  it('is unknown when a pool service account is not a string', () => {
    const posture = withPool({}, { config: { serviceAccount: ['default'] } });
    assert.ok('value' in posture.nodePools);
    assert.deepEqual(
      posture.nodePools.value[0]?.serviceAccount,
      unknown('cluster.nodePools[name=p].config.serviceAccount is a list, expected a string', {
        path: 'cluster.nodePools[name=p].config.serviceAccount',
        value: ['default'],
      }),
    );
  });

  it('keeps an explicit empty nodePools list (an SDK dump) as a cluster without pools', () => {
    assert.deepEqual(normalise({ ...MINIMAL, nodePools: [] }).nodePools, known([]));
  });

  it('reads an unset pool setting as closed in a cluster created at 1.32 or later', () => {
    // Act
    const posture = withPool({ initialClusterVersion: '1.32.1-gke.1357000' });
    // Assess
    assert.deepEqual(
      poolPort(posture),
      known(false, { path: POOL_PORT, value: null }, { path: CREATED, value: '1.32.1-gke.1357000' }),
    );
  });

  it('reads an unset pool setting as open in a cluster created before 1.32, whatever it runs now', () => {
    const posture = withPool({ initialClusterVersion: '1.31.5-gke.1023000' });
    assert.deepEqual(
      poolPort(posture),
      known(true, { path: POOL_PORT, value: null }, { path: CREATED, value: '1.31.5-gke.1023000' }),
    );
  });

  it('reads an unset setting as open when the creation version is missing but the cluster still runs a minor before 1.32', () => {
    const posture = withPool({ currentMasterVersion: '1.31.6-gke.1064001' });
    assert.deepEqual(
      poolPort(posture),
      known(
        true,
        { path: POOL_PORT, value: null },
        { path: CREATED, value: null },
        { path: RUNNING, value: '1.31.6-gke.1064001' },
      ),
    );
  });

  it('is unknown when the creation version is missing and the cluster runs 1.32 or later', () => {
    const posture = withPool({});
    assert.deepEqual(
      poolPort(posture),
      unknown(
        `${POOL_PORT} not set, so GKE's default for the version the cluster was created at applies: ${NO_CREATION_VERSION}`,
        { path: POOL_PORT, value: null },
        { path: CREATED, value: null },
        { path: RUNNING, value: '1.33.2-gke.1111000' },
      ),
    );
  });

  it('is unknown when the creation version is not a Kubernetes version', () => {
    const posture = withPool({ initialClusterVersion: 'latest' });
    assert.deepEqual(
      poolPort(posture),
      unknown(
        `${POOL_PORT} not set, so GKE's default for the version the cluster was created at applies: cluster.initialClusterVersion "latest" is not a Kubernetes version`,
        { path: POOL_PORT, value: null },
        { path: CREATED, value: 'latest' },
      ),
    );
  });

  it('keeps an explicit setting whatever the creation version', () => {
    const posture = withPool(
      { initialClusterVersion: '1.29.1-gke.1589000' },
      { config: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: false } } },
    );
    assert.deepEqual(poolPort(posture), known(false, { path: POOL_PORT, value: false }));
  });

  it('is unknown when the pool setting is not a boolean', () => {
    const posture = withPool(
      { initialClusterVersion: '1.33.2-gke.1111000' },
      { config: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: 'false' } } },
    );
    assert.deepEqual(
      poolPort(posture),
      unknown(`${POOL_PORT} is the string "false", expected a boolean`, { path: POOL_PORT, value: 'false' }),
    );
  });

  it('reads the Standard default for new pools as open when unset in a cluster created before 1.32', () => {
    const posture = withPool({ initialClusterVersion: '1.30.2-gke.1587003' });
    assert.deepEqual(
      posture.gke.kubeletReadOnlyPortDefault,
      known(true, { path: STANDARD_DEFAULT, value: null }, { path: CREATED, value: '1.30.2-gke.1587003' }),
    );
  });

  it('reads the Autopilot default from nodePoolAutoConfig, which applies to the pools Autopilot creates', () => {
    const posture = withPool({
      autopilot: { enabled: true },
      initialClusterVersion: '1.30.2-gke.1587003',
      nodePoolAutoConfig: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false } },
    });
    assert.deepEqual(
      posture.gke.kubeletReadOnlyPortDefault,
      known(false, { path: AUTOPILOT_DEFAULT, value: false }),
    );
  });

  it('falls back to nodePoolDefaults on Autopilot when nodePoolAutoConfig leaves the setting unset', () => {
    const posture = withPool({
      autopilot: { enabled: true },
      initialClusterVersion: '1.30.2-gke.1587003',
      nodePoolDefaults: {
        nodeConfigDefaults: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false } },
      },
    });
    assert.deepEqual(
      posture.gke.kubeletReadOnlyPortDefault,
      known(false, { path: AUTOPILOT_DEFAULT, value: null }, { path: STANDARD_DEFAULT, value: false }),
    );
  });

  it('reads an unset Autopilot default as closed in an Autopilot cluster created at 1.32 or later', () => {
    const posture = withPool({ autopilot: { enabled: true }, initialClusterVersion: '1.33.2-gke.1111000' });
    assert.deepEqual(
      posture.gke.kubeletReadOnlyPortDefault,
      known(
        false,
        { path: AUTOPILOT_DEFAULT, value: null },
        { path: STANDARD_DEFAULT, value: null },
        { path: CREATED, value: '1.33.2-gke.1111000' },
      ),
    );
  });

  it('is unknown when the Autopilot default is malformed, naming the unset field before it', () => {
    const posture = withPool({
      autopilot: { enabled: true },
      nodePoolDefaults: {
        nodeConfigDefaults: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: 1 } },
      },
    });
    assert.deepEqual(
      posture.gke.kubeletReadOnlyPortDefault,
      unknown(
        `${STANDARD_DEFAULT} is the number 1, expected a boolean`,
        { path: AUTOPILOT_DEFAULT, value: null },
        { path: STANDARD_DEFAULT, value: 1 },
      ),
    );
  });
});

describe('normaliseGke: identity fallbacks and fields of the wrong type', () => {
  const withFields = (fields: Record<string, unknown>) => normalise({ ...MINIMAL, ...fields });

  it('throws a NormaliseError when the cluster is not an object', () => {
    // Act
    const error = normaliseError(() => normalise('checkout-prod'));
    // Assess
    assert.deepEqual(
      [error.message, error.context],
      ['GKE cluster is not an object', { provider: 'gke', source: 'clusters/gke.json' }],
    );
  });

  it('takes the location from the deprecated zone field when location and selfLink are missing', () => {
    // Prepare: an SDK dump of a zonal cluster, listed by the caller in its project.
    const cluster = { ...MINIMAL, selfLink: undefined, location: undefined, zone: 'europe-north1-a' };
    // Act
    const posture = normaliseGke({ cluster, project: 'example-project' }, origin);
    // Assess
    assert.deepEqual(
      { id: posture.id, scope: posture.scope, location: posture.location },
      {
        id: 'projects/example-project/locations/europe-north1-a/clusters/bare',
        scope: 'example-project',
        location: 'europe-north1-a',
      },
    );
  });

  it('takes the location from selfLink when the cluster names neither location nor zone', () => {
    // Act
    const posture = normalise({ ...MINIMAL, location: undefined });
    // Assess
    assert.deepEqual(
      { id: posture.id, scope: posture.scope, location: posture.location },
      {
        id: 'projects/example-project/locations/europe-north1/clusters/bare',
        scope: 'example-project',
        location: 'europe-north1',
      },
    );
  });

  it('is unknown on the mode, and keeps pools on the customer side, when autopilot.enabled is not a boolean', () => {
    // Act
    const posture = withFields({ autopilot: { enabled: 'true' }, nodePools: [{ name: 'p' }] });
    // Assess
    assert.deepEqual(
      [posture.mode, 'value' in posture.nodePools ? posture.nodePools.value[0]?.managedBy : undefined],
      [
        unknown('cluster.autopilot.enabled is the string "true", expected a boolean', {
          path: 'cluster.autopilot.enabled',
          value: 'true',
        }),
        'customer',
      ],
    );
  });

  it('is unknown on the release channel and the support plan when the channel number is not in the proto', () => {
    // Act
    const posture = withFields({ releaseChannel: { channel: 9 } });
    // Assess
    const unreadable = unknown(
      'cluster.releaseChannel.channel is the number 9, expected a known enum value',
      {
        path: 'cluster.releaseChannel.channel',
        value: 9,
      },
    );
    assert.deepEqual([posture.gke.releaseChannel, posture.supportPlan], [unreadable, unreadable]);
  });

  describe('hardening settings', () => {
    it('is unknown when enableInsecureBindingSystemAuthenticated is not a boolean', () => {
      const path = 'cluster.rbacBindingConfig.enableInsecureBindingSystemAuthenticated';
      assert.deepEqual(
        withFields({ rbacBindingConfig: { enableInsecureBindingSystemAuthenticated: 'no' } }).gke
          .insecureRbacBindings,
        unknown(`${path} is the string "no", expected a boolean`, { path, value: 'no' }),
      );
    });

    it('is unknown when the workload pool is not a string', () => {
      const path = 'cluster.workloadIdentityConfig.workloadPool';
      assert.deepEqual(
        withFields({ workloadIdentityConfig: { workloadPool: 42 } }).gke.workloadPool,
        unknown(`${path} is the number 42, expected a string`, { path, value: 42 }),
      );
    });

    it('is unknown, not off, when the Dashboard disabled flag is not a boolean', () => {
      const path = 'cluster.addonsConfig.kubernetesDashboard.disabled';
      assert.deepEqual(
        withFields({ addonsConfig: { kubernetesDashboard: { disabled: 'yes' } } }).gke.kubernetesDashboard,
        unknown(`${path} is the string "yes", expected a boolean`, { path, value: 'yes' }),
      );
    });

    it('is unknown, not disabled, when the deprecated Binary Authorization flag is not a boolean', () => {
      assert.deepEqual(
        withFields({ binaryAuthorization: { enabled: 'true' } }).gke.binaryAuthorization,
        unknown(
          'cluster.binaryAuthorization.enabled is the string "true", expected a boolean',
          { path: 'cluster.binaryAuthorization.evaluationMode', value: null },
          { path: 'cluster.binaryAuthorization.enabled', value: 'true' },
        ),
      );
    });

    it('is unknown, not off, when basic auth or client certificate fields have the wrong type', () => {
      // Act
      const posture = withFields({
        masterAuth: { username: 1, clientCertificateConfig: { issueClientCertificate: 'false' } },
      });
      // Assess
      assert.deepEqual(
        [posture.gke.basicAuth, posture.gke.clientCertificate],
        [
          unknown('cluster.masterAuth.username is the number 1, expected a string', {
            path: 'cluster.masterAuth.username',
            value: 1,
          }),
          unknown(
            'cluster.masterAuth.clientCertificateConfig.issueClientCertificate is the string "false", expected a boolean',
            { path: 'cluster.masterAuth.clientCertificateConfig.issueClientCertificate', value: 'false' },
          ),
        ],
      );
    });

    it('is unknown on a pool service account when its OAuth scopes are not a list', () => {
      // Act
      const posture = withFields({
        nodePools: [{ name: 'p', version: '1.33.2-gke.1111000', config: { oauthScopes: 'cloud-platform' } }],
      });
      // Assess
      assert.deepEqual(
        'value' in posture.nodePools ? posture.nodePools.value[0]?.serviceAccount : posture.nodePools,
        unknown(
          'cluster.nodePools[name=p].config.oauthScopes is the string "cloud-platform", expected a list',
          { path: 'cluster.nodePools[name=p].config.serviceAccount', value: null },
          { path: 'cluster.nodePools[name=p].config.oauthScopes', value: 'cloud-platform' },
        ),
      );
    });
  });
});

describe('normaliseGke: control-plane endpoint fields of the wrong type', () => {
  const endpointOf = (fields: Record<string, unknown>) => normalise({ ...MINIMAL, ...fields }).endpoint;
  const IP_ENDPOINTS = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig';

  it('is unknown on public access when ipEndpointsConfig is not an object', () => {
    assert.deepEqual(
      endpointOf({ controlPlaneEndpointsConfig: { ipEndpointsConfig: 'on' } }).publicAccess,
      unknown(`${IP_ENDPOINTS} is the string "on", expected an object`, { path: IP_ENDPOINTS, value: 'on' }),
    );
  });

  it('is unknown on public access when enabled or enablePublicEndpoint is not a boolean', () => {
    // Act
    const readings = [
      endpointOf({ controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: 'false' } } }).publicAccess,
      endpointOf({ controlPlaneEndpointsConfig: { ipEndpointsConfig: { enablePublicEndpoint: 'false' } } })
        .publicAccess,
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown(`${IP_ENDPOINTS}.enabled is the string "false", expected a boolean`, {
        path: `${IP_ENDPOINTS}.enabled`,
        value: 'false',
      }),
      unknown(`${IP_ENDPOINTS}.enablePublicEndpoint is the string "false", expected a boolean`, {
        path: `${IP_ENDPOINTS}.enablePublicEndpoint`,
        value: 'false',
      }),
    ]);
  });

  it('is unknown on public and private access when the deprecated privateClusterConfig flags are not booleans', () => {
    // Act
    const endpoint = endpointOf({
      privateClusterConfig: { enablePrivateEndpoint: 'true', enablePrivateNodes: 1 },
    });
    // Assess
    assert.deepEqual(
      [endpoint.publicAccess, endpoint.privateAccess],
      [
        unknown(
          'cluster.privateClusterConfig.enablePrivateEndpoint is the string "true", expected a boolean',
          {
            path: 'cluster.privateClusterConfig.enablePrivateEndpoint',
            value: 'true',
          },
        ),
        unknown('cluster.privateClusterConfig.enablePrivateNodes is the number 1, expected a boolean', {
          path: 'cluster.privateClusterConfig.enablePrivateNodes',
          value: 1,
        }),
      ],
    );
  });

  describe('authorized networks', () => {
    const CONFIG = 'cluster.masterAuthorizedNetworksConfig';
    const networksOf = (config: unknown) =>
      endpointOf({ masterAuthorizedNetworksConfig: config }).authorizedNetworks;

    it('is unknown when the config is not an object', () => {
      assert.deepEqual(
        networksOf(['10.0.0.0/8']),
        unknown(`${CONFIG} is a list, expected an object`, { path: CONFIG, value: ['10.0.0.0/8'] }),
      );
    });

    it('is unknown when enabled or gcpPublicCidrsAccessEnabled is not a boolean', () => {
      assert.deepEqual(
        [networksOf({ enabled: 'true' }), networksOf({ enabled: true, gcpPublicCidrsAccessEnabled: 'no' })],
        [
          unknown(`${CONFIG}.enabled is the string "true", expected a boolean`, {
            path: `${CONFIG}.enabled`,
            value: 'true',
          }),
          unknown(`${CONFIG}.gcpPublicCidrsAccessEnabled is the string "no", expected a boolean`, {
            path: `${CONFIG}.gcpPublicCidrsAccessEnabled`,
            value: 'no',
          }),
        ],
      );
    });

    it('is unknown, not closed to Google Cloud, when authorized networks are on and gcpPublicCidrsAccessEnabled is absent', () => {
      // Prepare: an older export. The flag is proto3 `optional`, and with it unset authorized
      // networks on older clusters still admit every Google Cloud public IP address.
      const olderExport = {
        enabled: true,
        cidrBlocks: [{ displayName: 'office', cidrBlock: '203.0.113.0/24' }],
      };
      // Act
      const networks = networksOf(olderExport);
      // Assess
      assert.deepEqual(
        networks,
        unknown(
          `${CONFIG}.gcpPublicCidrsAccessEnabled is absent; with authorized networks on, a cluster that leaves it unset may admit every Google Cloud public IP address, so whether this one does is not known (set it with gcloud container clusters update --no-enable-google-cloud-access)`,
          { path: `${CONFIG}.gcpPublicCidrsAccessEnabled`, value: null },
        ),
      );
    });

    it('reads authorized networks that are off as not enforced, without needing gcpPublicCidrsAccessEnabled', () => {
      assert.deepEqual(
        networksOf({ enabled: false }),
        known(
          { enforced: false, cidrs: [], allowsCloudPublicRanges: false },
          { path: CONFIG, value: { enabled: false } },
        ),
      );
    });

    it('is unknown when cidrBlocks is not a list', () => {
      assert.deepEqual(
        networksOf({ enabled: true, gcpPublicCidrsAccessEnabled: false, cidrBlocks: '10.0.0.0/8' }),
        unknown(`${CONFIG}.cidrBlocks is the string "10.0.0.0/8", expected a list`, {
          path: `${CONFIG}.cidrBlocks`,
          value: '10.0.0.0/8',
        }),
      );
    });

    it('is unknown, not an empty allow-list, when a block has no cidrBlock or a wrong-typed one', () => {
      // Prepare
      const nameOnly = {
        enabled: true,
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: [{ displayName: 'office' }],
      };
      const numeric = {
        enabled: true,
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: [{ displayName: 'office', cidrBlock: 10 }],
      };
      // Act
      const readings = [networksOf(nameOnly), networksOf(numeric)];
      // Assess
      assert.deepEqual(readings, [
        unknown(`${CONFIG}.cidrBlocks[0] has no cidrBlock`, { path: CONFIG, value: nameOnly }),
        unknown(`${CONFIG}.cidrBlocks[0].cidrBlock is the number 10, expected a string`, {
          path: CONFIG,
          value: numeric,
        }),
      ]);
    });
  });
});

describe('normaliseGke: secrets, logging, network policy and flows beyond the happy path', () => {
  const withFields = (fields: Record<string, unknown>) => normalise({ ...MINIMAL, ...fields });
  const KEY = 'projects/example-project/locations/europe-north1/keyRings/gke/cryptoKeys/etcd';
  const STATE = 'cluster.databaseEncryption.state';
  const KEY_NAME = 'cluster.databaseEncryption.keyName';

  it('reads ALL_OBJECTS_ENCRYPTION_ENABLED as secrets under the customer key', () => {
    assert.deepEqual(
      withFields({ databaseEncryption: { state: 'ALL_OBJECTS_ENCRYPTION_ENABLED', keyName: KEY } })
        .secretsEncryption,
      known(
        { envelope: true, keyManagedBy: 'customer', keyId: KEY },
        { path: STATE, value: 'ALL_OBJECTS_ENCRYPTION_ENABLED' },
        { path: KEY_NAME, value: KEY },
      ),
    );
  });

  it('is unknown for an encryption state it does not know', () => {
    assert.deepEqual(
      withFields({ databaseEncryption: { state: 'ENCRYPTION_PENDING', keyName: KEY } }).secretsEncryption,
      unknown(
        'cluster.databaseEncryption.state "ENCRYPTION_PENDING" is not a known state',
        { path: STATE, value: 'ENCRYPTION_PENDING' },
        { path: KEY_NAME, value: KEY },
      ),
    );
  });

  describe('audit logs', () => {
    const COMPONENTS = 'cluster.loggingConfig.componentConfig.enableComponents';

    it('is unknown when loggingService is not a string', () => {
      assert.deepEqual(
        withFields({ loggingService: 5 }).auditLogs,
        unknown('cluster.loggingService is the number 5, expected a string', {
          path: 'cluster.loggingService',
          value: 5,
        }),
      );
    });

    it('is unknown when componentConfig is not an object', () => {
      assert.deepEqual(
        withFields({ loggingConfig: { componentConfig: ['APISERVER'] } }).auditLogs,
        unknown('cluster.loggingConfig.componentConfig is a list, expected an object', {
          path: 'cluster.loggingConfig.componentConfig',
          value: ['APISERVER'],
        }),
      );
    });

    it('is unknown when enableComponents is not a list', () => {
      assert.deepEqual(
        withFields({ loggingConfig: { componentConfig: { enableComponents: 'APISERVER' } } }).auditLogs,
        unknown(`${COMPONENTS} is the string "APISERVER", expected a list`, {
          path: COMPONENTS,
          value: 'APISERVER',
        }),
      );
    });

    it('is unknown when a component number is not in the proto', () => {
      assert.deepEqual(
        withFields({ loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 6] } } })
          .auditLogs,
        unknown(`${COMPONENTS}[1] is the number 6, expected a known enum value`, {
          path: COMPONENTS,
          value: ['SYSTEM_COMPONENTS', 6],
        }),
      );
    });
  });

  it('is unknown, not off, when networkPolicy.enabled or the datapath provider is malformed', () => {
    // Act
    const readings = [
      withFields({ networkPolicy: { enabled: 'true' } }).networkPolicy,
      withFields({ networkConfig: { datapathProvider: 7 } }).networkPolicy,
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown('cluster.networkPolicy.enabled is the string "true", expected a boolean', {
        path: 'cluster.networkPolicy.enabled',
        value: 'true',
      }),
      unknown('cluster.networkConfig.datapathProvider is the number 7, expected a known enum value', {
        path: 'cluster.networkConfig.datapathProvider',
        value: 7,
      }),
    ]);
  });

  it('is unknown, not off, when the observability switch is malformed and intranode visibility is off', () => {
    assert.deepEqual(
      withFields({ monitoringConfig: { advancedDatapathObservabilityConfig: { enableMetrics: 'yes' } } })
        .networkFlowLogs,
      unknown(
        `${OBSERVABILITY_METRICS} is the string "yes", expected a boolean`,
        { path: INTRA_NODE, value: null },
        { path: OBSERVABILITY_METRICS, value: 'yes' },
      ),
    );
  });
});

describe('normaliseGke: the API server address for the in-cluster pass', () => {
  const CA = 'LS0tLS1CRUdJTi1FWEFNUExFLS0tLS0=';
  const CA_FIELD = { path: 'cluster.masterAuth.clusterCaCertificate', value: CA };

  it('uses the public endpoint when it is on', () => {
    // Prepare
    const cluster = { ...MINIMAL, endpoint: '34.79.1.2', masterAuth: { clusterCaCertificate: CA } };
    // Act
    const posture = normalise(cluster);
    // Assess
    assert.deepEqual(
      posture.apiServer,
      known(
        { url: 'https://34.79.1.2', caData: CA },
        { path: 'cluster.endpoint', value: '34.79.1.2' },
        CA_FIELD,
      ),
    );
  });

  it('uses ipEndpointsConfig.privateEndpoint when the public endpoint is off', () => {
    const cluster = {
      ...MINIMAL,
      endpoint: '34.79.1.2',
      masterAuth: { clusterCaCertificate: CA },
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
      },
    };
    assert.deepEqual(
      normalise(cluster).apiServer,
      known(
        { url: 'https://10.0.0.2', caData: CA },
        { path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint', value: '10.0.0.2' },
        CA_FIELD,
      ),
    );
  });

  it('is unknown when the public endpoint is off and no private endpoint is given', () => {
    const cluster = {
      ...MINIMAL,
      masterAuth: { clusterCaCertificate: CA },
      privateClusterConfig: { enablePrivateEndpoint: true },
    };
    assert.deepEqual(
      normalise(cluster).apiServer,
      unknown(
        'the public endpoint is off and no private endpoint is in the Cluster resource (controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint, privateClusterConfig.privateEndpoint)',
        { path: 'cluster.privateClusterConfig.privateEndpoint', value: null },
      ),
    );
  });

  it('is unknown without the cluster CA', () => {
    assert.deepEqual(
      normalise({ ...MINIMAL, endpoint: '34.79.1.2' }).apiServer,
      unknown(
        'cluster.masterAuth.clusterCaCertificate absent from the Cluster resource',
        { path: 'cluster.endpoint', value: '34.79.1.2' },
        { path: 'cluster.masterAuth.clusterCaCertificate', value: null },
      ),
    );
  });

  it('is unknown without an endpoint', () => {
    assert.deepEqual(
      normalise(MINIMAL).apiServer,
      unknown('cluster.endpoint absent from the Cluster resource', { path: 'cluster.endpoint', value: null }),
    );
  });
});

describe('normaliseGke: project logging settings (AUD-03 _Default bucket, AUD-04 failed-authentication alerting)', () => {
  const live: PostureOrigin = { kind: 'api', api: 'gke' };
  const PROJECT = 'example-project';
  const FAILED_AUTH = 'resource.type="k8s_cluster" AND protoPayload.status.code=(7 OR 16)';
  const METRIC_TYPE = 'logging.googleapis.com/user/gke-failed-auth';
  const DENIED =
    'monitoring:ListAlertPolicies failed: PERMISSION_DENIED: Required "monitoring.alertPolicies.list"';

  function logging(parts: Partial<GkeProjectLogging> = {}): GkeProjectLogging {
    return {
      defaultBucket: collected({
        name: `projects/${PROJECT}/locations/global/buckets/_Default`,
        retentionDays: 30,
      }),
      logMetrics: collected([]),
      alertPolicies: collected([]),
      ...parts,
    };
  }

  function posture(projectLogging: GkeProjectLogging): GkeClusterPosture {
    return normaliseGke({ cluster: MINIMAL, projectLogging }, live);
  }

  function policy(name: string, fields: Record<string, unknown>): Record<string, unknown> {
    return { name: `projects/${PROJECT}/alertPolicies/${name}`, ...fields };
  }

  function threshold(filter: string): Record<string, unknown> {
    return { displayName: 'count above zero', conditionThreshold: { filter, comparison: 'COMPARISON_GT' } };
  }

  const METRIC = { name: 'gke-failed-auth', filter: FAILED_AUTH };
  const METRIC_FILTER = { path: 'logMetrics[name=gke-failed-auth].filter', value: FAILED_AUTH };
  const ALERT_POLICY = policy('1', {
    displayName: 'GKE failed auth',
    enabled: true,
    conditions: [threshold(`metric.type="${METRIC_TYPE}" AND resource.type="k8s_cluster"`)],
  });

  function listed(metrics: readonly string[] | null, policies: readonly string[]) {
    return [
      { path: 'logMetrics[*].name', value: metrics },
      { path: 'alertPolicies[*].displayName', value: policies },
    ];
  }

  describe('the _Default bucket retention', () => {
    it('is unknown in a --from scan, saying that only a live scan reads it', () => {
      assert.deepEqual(
        normalise(MINIMAL).gke.defaultLogBucketRetentionDays,
        unknown(
          "the _Default log bucket's retention (Cloud Logging GetBucket) is one of the project settings that an export of the Cluster resource does not hold: a live scan reads them",
        ),
      );
    });

    it('reads retentionDays with its evidence path', () => {
      assert.deepEqual(
        posture(logging()).gke.defaultLogBucketRetentionDays,
        known(30, { path: 'logBuckets._Default.retentionDays', value: 30 }),
      );
    });

    it('is unknown with the call’s reason when GetBucket was refused', () => {
      const reason = 'logging:GetBucket failed: PERMISSION_DENIED: Required "logging.buckets.get"';
      assert.deepEqual(
        posture(logging({ defaultBucket: missing(reason) })).gke.defaultLogBucketRetentionDays,
        unknown(reason),
      );
    });

    const malformed: readonly (readonly [string, unknown, string])[] = [
      ['absent', {}, 'logBuckets._Default.retentionDays absent from the LogBucket'],
      ['a string', { retentionDays: '30' }, 'logBuckets._Default.retentionDays "30" is not a number of days'],
      ['zero', { retentionDays: 0 }, 'logBuckets._Default.retentionDays "0" is not a number of days'],
      ['negative', { retentionDays: -1 }, 'logBuckets._Default.retentionDays "-1" is not a number of days'],
      [
        'fractional',
        { retentionDays: 1.5 },
        'logBuckets._Default.retentionDays "1.5" is not a number of days',
      ],
    ];
    for (const [what, bucket, reason] of malformed) {
      it(`is unknown when retentionDays is ${what}`, () => {
        const days = (bucket as { retentionDays?: unknown }).retentionDays;
        assert.deepEqual(
          posture(logging({ defaultBucket: collected(bucket) })).gke.defaultLogBucketRetentionDays,
          unknown(reason, {
            path: 'logBuckets._Default.retentionDays',
            value: days === undefined ? null : (days as number | string),
          }),
        );
      });
    }

    it('is unknown when the bucket is not an object', () => {
      assert.deepEqual(
        posture(logging({ defaultBucket: collected('_Default') })).gke.defaultLogBucketRetentionDays,
        unknown('logBuckets._Default is the string "_Default", expected an object', {
          path: 'logBuckets._Default',
          value: '_Default',
        }),
      );
    });
  });

  describe('failed-authentication alerting', () => {
    it('is unknown in a --from scan, saying that only a live scan reads it', () => {
      assert.deepEqual(
        normalise(MINIMAL).failedAuthAlerting,
        unknown(
          'log-based metrics and alert policies (Cloud Logging ListLogMetrics, Cloud Monitoring ListAlertPolicies) are project settings that an export of the Cluster resource does not hold: a live scan reads them',
        ),
      );
    });

    it('names the enabled policy that alerts on a metric counting the cluster’s failed authentications', () => {
      // Prepare
      const input = logging({ logMetrics: collected([METRIC]), alertPolicies: collected([ALERT_POLICY]) });
      // Act
      const alerting = posture(input).failedAuthAlerting;
      // Assess
      assert.deepEqual(
        alerting,
        known(
          { alerts: ['monitoring-alert-policy:GKE failed auth'], unalerted: [] },
          METRIC_FILTER,
          {
            path: 'alertPolicies[name=projects/example-project/alertPolicies/1].conditions[0].conditionThreshold.filter',
            value: `metric.type="${METRIC_TYPE}" AND resource.type="k8s_cluster"`,
          },
          { path: 'alertPolicies[name=projects/example-project/alertPolicies/1].enabled', value: true },
          ...listed(['gke-failed-auth'], ['GKE failed auth']),
        ),
      );
    });

    it('names a matching metric no policy alerts on, and fails nothing it cannot see', () => {
      assert.deepEqual(
        posture(logging({ logMetrics: collected([METRIC]) })).failedAuthAlerting,
        known(
          { alerts: [], unalerted: ['log-metric:gke-failed-auth'] },
          METRIC_FILTER,
          ...listed(['gke-failed-auth'], []),
        ),
      );
    });

    it('does not count a disabled policy, and keeps the metric as unalerted', () => {
      const disabled = { ...ALERT_POLICY, enabled: false };
      assert.deepEqual(
        posture(logging({ logMetrics: collected([METRIC]), alertPolicies: collected([disabled]) }))
          .failedAuthAlerting,
        known(
          { alerts: [], unalerted: ['log-metric:gke-failed-auth'] },
          METRIC_FILTER,
          ...listed(['gke-failed-auth'], ['GKE failed auth']),
        ),
      );
    });

    it('is unknown when the only policy on the metric does not say whether it is enabled', () => {
      const { enabled: _enabled, ...unset } = ALERT_POLICY;
      const alerting = posture(
        logging({ logMetrics: collected([METRIC]), alertPolicies: collected([unset]) }),
      ).failedAuthAlerting;
      assert.deepEqual(
        alerting,
        unknown(
          'no alert on failed authentications could be confirmed: monitoring-alert-policy:GKE failed auth does not say whether it is enabled',
          METRIC_FILTER,
          ...listed(['gke-failed-auth'], ['GKE failed auth']),
        ),
      );
    });

    it('ignores disabled metrics and metrics that count other clusters or all requests', () => {
      const metrics = [
        { ...METRIC, disabled: true },
        { name: 'staging-denied', filter: `${FAILED_AUTH} AND resource.labels.cluster_name="staging"` },
        { name: 'all-k8s', filter: 'resource.type="k8s_cluster"' },
      ];
      const policies = [
        policy('2', {
          displayName: 'staging',
          enabled: true,
          conditions: [threshold('metric.type="logging.googleapis.com/user/staging-denied"')],
        }),
      ];
      assert.deepEqual(
        posture(logging({ logMetrics: collected(metrics), alertPolicies: collected(policies) }))
          .failedAuthAlerting,
        known(
          { alerts: [], unalerted: [] },
          ...listed(['gke-failed-auth', 'staging-denied', 'all-k8s'], ['staging']),
        ),
      );
    });

    it('counts a metric restricted to this cluster by name', () => {
      const own = { name: 'bare-denied', filter: `${FAILED_AUTH} AND resource.labels.cluster_name="bare"` };
      assert.deepEqual(
        posture(logging({ logMetrics: collected([own]) })).failedAuthAlerting,
        known(
          { alerts: [], unalerted: ['log-metric:bare-denied'] },
          { path: 'logMetrics[name=bare-denied].filter', value: own.filter },
          ...listed(['bare-denied'], []),
        ),
      );
    });

    it('is a decided empty result when the project has neither metrics nor policies', () => {
      assert.deepEqual(
        posture(logging()).failedAuthAlerting,
        known({ alerts: [], unalerted: [] }, ...listed([], [])),
      );
    });

    it('finds the metric in MQL and PromQL conditions, not in a metric whose name merely starts the same', () => {
      const policies = [
        policy('mql', {
          displayName: 'MQL',
          enabled: true,
          conditions: [
            {
              conditionMonitoringQueryLanguage: {
                query: `fetch k8s_cluster | metric '${METRIC_TYPE}' | every 1m`,
              },
            },
          ],
        }),
        policy('promql', {
          displayName: 'PromQL',
          enabled: true,
          conditions: [
            {
              conditionPrometheusQueryLanguage: {
                query: 'sum(rate(logging_googleapis_com:user_gke_failed_auth[5m])) > 0',
              },
            },
          ],
        }),
        policy('other', {
          displayName: 'Longer name',
          enabled: true,
          conditions: [threshold(`metric.type="${METRIC_TYPE}-v2"`)],
        }),
      ];
      const alerting = posture(
        logging({ logMetrics: collected([METRIC]), alertPolicies: collected(policies) }),
      ).failedAuthAlerting;
      assert.deepEqual('value' in alerting && alerting.value, {
        alerts: ['monitoring-alert-policy:MQL', 'monitoring-alert-policy:PromQL'],
        unalerted: [],
      });
    });

    it('does not count a condition that watches the metric on another cluster only', () => {
      const policies = [
        policy('3', {
          displayName: 'staging only',
          enabled: true,
          conditions: [threshold(`metric.type="${METRIC_TYPE}" AND resource.label.cluster_name="staging"`)],
        }),
        policy('4', {
          displayName: 'bare only',
          enabled: true,
          conditions: [threshold(`metric.type="${METRIC_TYPE}" AND resource.labels.cluster_name="bare"`)],
        }),
      ];
      const alerting = posture(
        logging({ logMetrics: collected([METRIC]), alertPolicies: collected(policies) }),
      ).failedAuthAlerting;
      assert.deepEqual('value' in alerting && alerting.value, {
        alerts: ['monitoring-alert-policy:bare only'],
        unalerted: [],
      });
    });

    it('counts a log-match policy over the failed entries, even when metrics cannot be listed', () => {
      const matchedLog = policy('5', {
        displayName: 'Failed auth log match',
        enabled: true,
        conditions: [{ displayName: 'log match', conditionMatchedLog: { filter: FAILED_AUTH } }],
      });
      const reason = 'logging:ListLogMetrics failed: PERMISSION_DENIED: Required "logging.logMetrics.list"';
      assert.deepEqual(
        posture(logging({ logMetrics: missing(reason), alertPolicies: collected([matchedLog]) }))
          .failedAuthAlerting,
        known(
          { alerts: ['monitoring-alert-policy:Failed auth log match'], unalerted: [] },
          {
            path: 'alertPolicies[name=projects/example-project/alertPolicies/5].conditions[0].conditionMatchedLog.filter',
            value: FAILED_AUTH,
          },
          { path: 'alertPolicies[name=projects/example-project/alertPolicies/5].enabled', value: true },
          ...listed(null, ['Failed auth log match']),
        ),
      );
    });

    it('is unknown with the call’s reason when metrics cannot be listed and no alert was found', () => {
      const reason = 'logging:ListLogMetrics failed: PERMISSION_DENIED: Required "logging.logMetrics.list"';
      assert.deepEqual(
        posture(logging({ logMetrics: missing(reason), alertPolicies: collected([ALERT_POLICY]) }))
          .failedAuthAlerting,
        unknown(reason, ...listed(null, ['GKE failed auth'])),
      );
    });

    it('is unknown with the call’s reason when alert policies cannot be listed', () => {
      assert.deepEqual(
        posture(logging({ logMetrics: collected([METRIC]), alertPolicies: missing(DENIED) }))
          .failedAuthAlerting,
        unknown(DENIED),
      );
    });

    it('is unknown when a watched metric’s filter cannot be decided, and decided when nothing watches it', () => {
      const varying = { name: 'errors', filter: `${FAILED_AUTH} AND severity>=ERROR` };
      const sampled = { name: 'sampled', filter: `sample(insertId, 0.5) AND ${FAILED_AUTH}` };
      const watching = policy('6', {
        displayName: 'errors',
        enabled: true,
        conditions: [threshold('metric.type="logging.googleapis.com/user/errors"')],
      });
      const watched = posture(
        logging({ logMetrics: collected([varying, sampled]), alertPolicies: collected([watching]) }),
      ).failedAuthAlerting;
      assert.ok('unknown' in watched);
      assert.match(
        watched.unknown,
        /^no alert on failed authentications could be confirmed: log-metric:errors: its filter depends on fields that vary/,
      );
      assert.deepEqual(
        posture(logging({ logMetrics: collected([varying, sampled]) })).failedAuthAlerting,
        known({ alerts: [], unalerted: [] }, ...listed(['errors', 'sampled'], [])),
      );
    });

    it('is unknown when a log-match policy over the failed entries does not say whether it is enabled', () => {
      const unset = policy('10', {
        displayName: 'log match',
        conditions: [{ conditionMatchedLog: { filter: FAILED_AUTH } }],
      });
      assert.deepEqual(
        posture(logging({ alertPolicies: collected([unset]) })).failedAuthAlerting,
        unknown(
          'no alert on failed authentications could be confirmed: monitoring-alert-policy:log match does not say whether it is enabled',
          ...listed([], ['log match']),
        ),
      );
    });

    it('is unknown when an enabled log-match policy cannot be decided', () => {
      const undecided = policy('7', {
        displayName: 'maybe',
        enabled: true,
        conditions: [{ conditionMatchedLog: { filter: '((resource.type="k8s_cluster"' } }],
      });
      assert.deepEqual(
        posture(logging({ alertPolicies: collected([undecided]) })).failedAuthAlerting,
        unknown(
          'no alert on failed authentications could be confirmed: monitoring-alert-policy:maybe: its filter cannot be read: a parenthesis is not closed',
          ...listed([], ['maybe']),
        ),
      );
    });

    it('keeps hostile names and filters as data', () => {
      // Prepare: regex characters in the metric name, markup in the policy name, a 20,001-character
      // filter, nesting past the parser's limit.
      const name = 'a.b+(c)*[d]';
      const metrics = [
        { name, filter: FAILED_AUTH },
        { name: 'huge', filter: `resource.type="${'k'.repeat(20_001)}"` },
        { name: 'deep', filter: `${'('.repeat(5000)}x` },
      ];
      const policies = [
        policy('8', {
          displayName: '<script>alert(1)</script>',
          enabled: true,
          conditions: [threshold(`metric.type="logging.googleapis.com/user/${name}"`)],
        }),
        policy('9', {
          displayName: '',
          enabled: true,
          conditions: [threshold('metric.type="logging.googleapis.com/user/a.b')],
        }),
      ];
      // Act
      const alerting = posture(
        logging({ logMetrics: collected(metrics), alertPolicies: collected(policies) }),
      ).failedAuthAlerting;
      // Assess
      assert.deepEqual('value' in alerting && alerting.value, {
        alerts: ['monitoring-alert-policy:<script>alert(1)</script>'],
        unalerted: [],
      });
    });

    const malformed: readonly (readonly [string, Partial<GkeProjectLogging>, string])[] = [
      [
        'the metric list is not a list',
        { logMetrics: collected({ metrics: [] }) },
        'logMetrics is an object, expected a list',
      ],
      [
        'a metric has no name',
        { logMetrics: collected([{ filter: FAILED_AUTH }]) },
        'logMetrics[0] has no name',
      ],
      [
        'a metric has no filter',
        { logMetrics: collected([{ name: 'm' }]) },
        'logMetrics[name=m] has no filter',
      ],
      [
        'a metric’s disabled is a string',
        { logMetrics: collected([{ ...METRIC, disabled: 'no' }]) },
        'logMetrics[name=gke-failed-auth].disabled is the string "no", expected a boolean',
      ],
      [
        'the policy list is not a list',
        { alertPolicies: collected('none') },
        'alertPolicies is the string "none", expected a list',
      ],
      [
        'a policy has no name',
        { alertPolicies: collected([{ displayName: 'x' }]) },
        'alertPolicies[0] has no name',
      ],
      [
        'a policy’s enabled is a number',
        { alertPolicies: collected([policy('1', { enabled: 1 })]) },
        'alertPolicies[name=projects/example-project/alertPolicies/1].enabled is the number 1, expected a boolean',
      ],
      [
        'conditions is an object',
        { alertPolicies: collected([policy('1', { conditions: {} })]) },
        'alertPolicies[name=projects/example-project/alertPolicies/1].conditions is an object, expected a list',
      ],
      [
        'a condition block is a string',
        { alertPolicies: collected([policy('1', { conditions: [{ conditionThreshold: 'x' }] })]) },
        'alertPolicies[name=projects/example-project/alertPolicies/1].conditions[0].conditionThreshold is the string "x", expected an object',
      ],
      [
        'a condition filter is a number',
        { alertPolicies: collected([policy('1', { conditions: [{ conditionMatchedLog: { filter: 7 } }] })]) },
        'alertPolicies[name=projects/example-project/alertPolicies/1].conditions[0].conditionMatchedLog.filter is the number 7, expected a string',
      ],
      [
        'a condition beside a watching policy names no filter',
        {
          logMetrics: collected([METRIC]),
          alertPolicies: collected([
            policy('2', {
              enabled: true,
              conditions: [{ conditionThreshold: { comparison: 'COMPARISON_GT' } }],
            }),
            ALERT_POLICY,
          ]),
        },
        'alertPolicies[name=projects/example-project/alertPolicies/2].conditions[0].conditionThreshold.filter is absent',
      ],
    ];
    for (const [what, parts, reason] of malformed) {
      it(`is unknown when ${what}`, () => {
        const alerting = posture(logging(parts)).failedAuthAlerting;
        assert.ok('unknown' in alerting, JSON.stringify(alerting));
        assert.equal(alerting.unknown, reason);
      });
    }
  });
});
