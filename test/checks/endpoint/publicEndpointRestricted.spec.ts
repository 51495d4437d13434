import assert from 'node:assert/strict';
import { publicEndpointRestricted } from '../../../checks/endpoint/publicEndpointRestricted.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_PUBLIC = 'cluster.resourcesVpcConfig.endpointPublicAccess';
const EKS_CIDRS = 'cluster.resourcesVpcConfig.publicAccessCidrs';
const GKE_LEGACY_PRIVATE = 'cluster.privateClusterConfig.enablePrivateEndpoint';
const GKE_PUBLIC = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint';
const GKE_NETWORKS = 'cluster.masterAuthorizedNetworksConfig';
const GKE_DNS_EXTERNAL = 'cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic';
const GKE_IP_NETWORKS = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig';
const AKS_PRIVATE = 'properties.apiServerAccessProfile.enablePrivateCluster';
const AKS_RANGES = 'properties.apiServerAccessProfile.authorizedIPRanges';

/** An EKS cluster with both endpoints on and the public one open to `cidrs`. */
function eksPublic(cidrs: readonly string[]) {
  return eksFromWire({
    resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: cidrs },
  });
}

function eksPublicEvidence(cidrs: readonly string[]) {
  return [
    { path: EKS_PUBLIC, value: true },
    { path: EKS_CIDRS, value: cidrs },
  ];
}

describe('EP-02 A public API endpoint admits only allow-listed networks', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the public endpoint admits only narrow ranges, naming them', () => {
      // Prepare
      const cidrs = ['203.0.113.0/24', '198.51.100.7/32'];
      // Act
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(cidrs), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: eksPublicEvidence(cidrs) });
      assert.equal(
        verdict.message,
        'The public endpoint admits only 2 allow-listed range(s): 203.0.113.0/24, 198.51.100.7/32.',
      );
    });

    it('fails when 0.0.0.0/0, the API default, is allowed next to the private endpoint', () => {
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(['0.0.0.0/0']), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: eksPublicEvidence(['0.0.0.0/0']) });
      assert.equal(
        verdict.message,
        "The public endpoint's allow-list is too open: it admits the whole internet (0.0.0.0/0).",
      );
    });

    it('fails when ::/0 is allowed beside a narrow IPv4 range (dual stack)', () => {
      const cidrs = ['203.0.113.0/24', '::/0'];
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(cidrs), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: eksPublicEvidence(cidrs) });
      assert.match(verdict.message, /the whole internet \(::\/0\)/);
    });

    it('fails when an IPv4 range is a /4, broader than the /8 minimum', () => {
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(['16.0.0.0/4']), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: eksPublicEvidence(['16.0.0.0/4']) });
      assert.equal(
        verdict.message,
        "The public endpoint's allow-list is too open: it admits ranges broader than /8 for IPv4 or /32 for IPv6 (16.0.0.0/4).",
      );
    });

    it('passes when an IPv4 range is exactly the /8 minimum', () => {
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, eksPublic(['10.0.0.0/8']), ctx)), {
        status: 'pass',
        evidence: eksPublicEvidence(['10.0.0.0/8']),
      });
    });

    it('fails when an IPv6 range is shorter than four times the IPv4 minimum, and passes at it', () => {
      assert.deepEqual(
        [
          outcome(evaluateCheck(publicEndpointRestricted, eksPublic(['2001:db8::/31']), ctx)),
          outcome(evaluateCheck(publicEndpointRestricted, eksPublic(['2001:db8::/32']), ctx)),
        ],
        [
          { status: 'fail', evidence: eksPublicEvidence(['2001:db8::/31']) },
          { status: 'pass', evidence: eksPublicEvidence(['2001:db8::/32']) },
        ],
      );
    });

    it('fails when a range is broader than a configured minimum prefix', () => {
      const strict = evalContext({ settings: { minPublicPrefix: 16 } });
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(['10.0.0.0/8']), strict);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: eksPublicEvidence(['10.0.0.0/8']) });
      assert.match(verdict.message, /broader than \/16 for IPv4 or \/64 for IPv6 \(10\.0\.0\.0\/8\)/);
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, eksPublic(['10.1.0.0/16']), strict)), {
        status: 'pass',
        evidence: eksPublicEvidence(['10.1.0.0/16']),
      });
    });

    it('fails when entries are not valid CIDR blocks, naming them', () => {
      const cidrs = ['203.0.113.0/24', '10.0.0.0/33', 'office'];
      const verdict = evaluateCheck(publicEndpointRestricted, eksPublic(cidrs), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: eksPublicEvidence(cidrs) });
      assert.equal(
        verdict.message,
        "The public endpoint's allow-list is too open: it holds entries that are not valid CIDR blocks (10.0.0.0/33, office).",
      );
    });

    it('is not applicable when the public endpoint is off', () => {
      const cluster = eksFromWire({
        resourcesVpcConfig: {
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
          publicAccessCidrs: [],
        },
      });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'not_applicable',
        evidence: [{ path: EKS_PUBLIC, value: false }],
      });
    });

    it('is unknown when the public access flag is absent from the export', () => {
      const verdict = evaluateCheck(publicEndpointRestricted, eksFromWire({ resourcesVpcConfig: {} }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: EKS_PUBLIC, value: null }],
      });
      assert.equal(
        verdict.message,
        'Public endpoint setting could not be read: cluster.resourcesVpcConfig.endpointPublicAccess absent from DescribeCluster output',
      );
    });

    it('is unknown when the public endpoint is on but its allow-list is absent from the export', () => {
      const cluster = eksFromWire({
        resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false },
      });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: EKS_CIDRS, value: null },
          { path: EKS_PUBLIC, value: true },
        ],
      });
    });
  });

  describe('on GKE', () => {
    it('passes when authorized networks admit only narrow ranges', () => {
      // Prepare
      const networks = {
        enabled: true,
        cidrBlocks: [{ displayName: 'office', cidrBlock: '203.0.113.0/24' }],
        gcpPublicCidrsAccessEnabled: false,
      };
      // Act
      const verdict = evaluateCheck(
        publicEndpointRestricted,
        gkeFromWire({ masterAuthorizedNetworksConfig: networks }),
        ctx,
      );
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_LEGACY_PRIVATE, value: null },
          { path: GKE_NETWORKS, value: networks },
        ],
      });
    });

    it('passes when authorized networks are on with no blocks, naming none', () => {
      const networks = { enabled: true, gcpPublicCidrsAccessEnabled: false };
      const verdict = evaluateCheck(
        publicEndpointRestricted,
        gkeFromWire({ masterAuthorizedNetworksConfig: networks }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_LEGACY_PRIVATE, value: null },
          { path: GKE_NETWORKS, value: networks },
        ],
      });
      assert.equal(
        verdict.message,
        'The public endpoint admits no outside network: its allow-list is enforced and empty.',
      );
    });

    it('fails when authorized networks are not configured, the API default', () => {
      const verdict = evaluateCheck(publicEndpointRestricted, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_LEGACY_PRIVATE, value: null },
          { path: GKE_NETWORKS, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'The public endpoint has no allow-list: any address on the internet can reach it.',
      );
    });

    it('fails when every Google Cloud public address may connect through the IP endpoint', () => {
      // Prepare: controlPlaneEndpointsConfig holds the allow-list on current clusters.
      const networks = {
        enabled: true,
        cidrBlocks: [{ cidrBlock: '203.0.113.0/24' }],
        gcpPublicCidrsAccessEnabled: true,
      };
      const cluster = gkeFromWire({
        controlPlaneEndpointsConfig: {
          ipEndpointsConfig: {
            enabled: true,
            enablePublicEndpoint: true,
            authorizedNetworksConfig: networks,
          },
        },
      });
      // Act
      const verdict = evaluateCheck(publicEndpointRestricted, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_PUBLIC, value: true },
          { path: GKE_IP_NETWORKS, value: networks },
        ],
      });
      assert.equal(
        verdict.message,
        "The public endpoint's allow-list is too open: it admits every Google Cloud public IP address (gcpPublicCidrsAccessEnabled).",
      );
    });

    it('is not applicable without a public IP endpoint, naming an open DNS endpoint, which no allow-list filters', () => {
      // Prepare
      const cluster = gkeFromWire({
        controlPlaneEndpointsConfig: {
          dnsEndpointConfig: { allowExternalTraffic: true },
          ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false },
        },
      });
      // Act
      const verdict = evaluateCheck(publicEndpointRestricted, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'not_applicable',
        evidence: [
          { path: GKE_PUBLIC, value: false },
          { path: 'cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic', value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'The API server has no public IP endpoint, so there is no allow-list to check; its DNS endpoint accepts traffic from the internet, which Google Cloud IAM gates instead of an allow-list (EP-01).',
      );
    });

    it('is not applicable when the legacy private endpoint is on', () => {
      const cluster = gkeFromWire({
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
      });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'not_applicable',
        evidence: [{ path: GKE_LEGACY_PRIVATE, value: true }],
      });
    });

    it('is not applicable without a public IP endpoint, naming the DNS endpoint open to the internet', () => {
      // Prepare
      const cluster = gkeFromWire({
        controlPlaneEndpointsConfig: {
          ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
          dnsEndpointConfig: { endpoint: 'gke-0123.europe-west1.gke.goog', allowExternalTraffic: true },
        },
      });
      // Act
      const verdict = evaluateCheck(publicEndpointRestricted, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'not_applicable',
        evidence: [
          { path: GKE_PUBLIC, value: false },
          { path: GKE_DNS_EXTERNAL, value: true },
        ],
      });
      assert.match(verdict.message, /its DNS endpoint accepts traffic from the internet/);
    });

    it('is not applicable without a public IP endpoint, citing no DNS field when its flag is malformed', () => {
      const cluster = gkeFromWire({
        controlPlaneEndpointsConfig: {
          ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false },
          dnsEndpointConfig: { allowExternalTraffic: 'yes' },
        },
      });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'not_applicable',
        evidence: [{ path: GKE_PUBLIC, value: false }],
      });
    });

    it('is unknown when the authorized networks config is malformed', () => {
      const networks = { enabled: true, gcpPublicCidrsAccessEnabled: false, cidrBlocks: [{}] };
      const cluster = gkeFromWire({ masterAuthorizedNetworksConfig: networks });
      const verdict = evaluateCheck(publicEndpointRestricted, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: GKE_NETWORKS, value: networks },
          { path: GKE_LEGACY_PRIVATE, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'Public endpoint allow-list could not be read: cluster.masterAuthorizedNetworksConfig.cidrBlocks[0] has no cidrBlock',
      );
    });
  });

  describe('on AKS', () => {
    it('passes when authorized IP ranges admit only narrow ranges', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] } });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_RANGES, value: ['203.0.113.0/24'] },
        ],
      });
    });

    it('fails when authorized IP ranges are empty, which AKS reads as no restriction', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { authorizedIPRanges: [] } });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_RANGES, value: [] },
        ],
      });
    });

    it('fails when the cluster has no API server access profile, the ARM default', () => {
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, aksFromWire({}), ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_RANGES, value: null },
        ],
      });
    });

    it('fails when 0.0.0.0/0 is among the ranges', () => {
      const cidrs = ['203.0.113.0/24', '0.0.0.0/0'];
      const cluster = aksFromWire({ apiServerAccessProfile: { authorizedIPRanges: cidrs } });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_RANGES, value: cidrs },
        ],
      });
    });

    it('is not applicable for a private cluster', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { enablePrivateCluster: true } });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'not_applicable',
        evidence: [{ path: AKS_PRIVATE, value: true }],
      });
    });

    it('is unknown when the private cluster flag is malformed', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { enablePrivateCluster: 'true' } });
      assert.deepEqual(outcome(evaluateCheck(publicEndpointRestricted, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_PRIVATE, value: 'true' }],
      });
    });
  });
});
