import assert from 'node:assert/strict';
import { publicEndpointRestricted } from '../../../checks/endpoint/publicEndpointRestricted.js';
import { unknown } from '../../../model/observed.js';
import type { AuthorizedNetworks } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_PUBLIC = 'cluster.resourcesVpcConfig.endpointPublicAccess';
const EKS_CIDRS = 'cluster.resourcesVpcConfig.publicAccessCidrs';
const GKE_PUBLIC = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint';
const GKE_NETWORKS = 'cluster.masterAuthorizedNetworksConfig';
const AKS_PRIVATE = 'properties.apiServerAccessProfile.enablePrivateCluster';
const AKS_RANGES = 'properties.apiServerAccessProfile.authorizedIPRanges';

function eksPublic(cidrs: string[]) {
  return eksPosture({
    endpoint: {
      publicAccess: at(EKS_PUBLIC, true),
      privateAccess: at('cluster.resourcesVpcConfig.endpointPrivateAccess', true),
      authorizedNetworks: at<AuthorizedNetworks>(
        EKS_CIDRS,
        { enforced: true, cidrs, allowsCloudPublicRanges: false },
        cidrs,
      ),
    },
  });
}

describe('EP-02 A public API endpoint admits only allow-listed networks', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the public endpoint admits only narrow ranges', () => {
      // Prepare
      const cluster = eksPublic(['203.0.113.0/24', '198.51.100.7/32']);
      // Act
      const verdict = publicEndpointRestricted.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_PUBLIC, value: true },
          { path: EKS_CIDRS, value: ['203.0.113.0/24', '198.51.100.7/32'] },
        ],
      });
    });

    it('fails when 0.0.0.0/0 is allowed next to the private endpoint', () => {
      const verdict = publicEndpointRestricted.evaluate(eksPublic(['0.0.0.0/0']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: EKS_PUBLIC, value: true },
          { path: EKS_CIDRS, value: ['0.0.0.0/0'] },
        ],
      });
      assert.match(verdict.message, /whole internet \(0\.0\.0\.0\/0\)/);
    });

    it('fails when ::/0 is allowed beside a narrow IPv4 range (dual stack)', () => {
      const verdict = publicEndpointRestricted.evaluate(eksPublic(['203.0.113.0/24', '::/0']), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /\(::\/0\)/);
    });

    it('fails when an IPv4 range is a /4, broader than the /8 minimum', () => {
      const verdict = publicEndpointRestricted.evaluate(eksPublic(['16.0.0.0/4']), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /broader than \/8 for IPv4 or \/32 for IPv6 \(16\.0\.0\.0\/4\)/);
    });

    it('passes when an IPv4 range is exactly the /8 minimum', () => {
      assert.equal(publicEndpointRestricted.evaluate(eksPublic(['10.0.0.0/8']), ctx).status, 'pass');
    });

    it('fails when an IPv6 range is shorter than four times the IPv4 minimum', () => {
      assert.equal(publicEndpointRestricted.evaluate(eksPublic(['2001:db8::/31']), ctx).status, 'fail');
      assert.equal(publicEndpointRestricted.evaluate(eksPublic(['2001:db8::/32']), ctx).status, 'pass');
    });

    it('fails when a range is broader than a configured minimum prefix', () => {
      const strict = evalContext({ settings: { minPublicPrefix: 16 } });
      assert.equal(publicEndpointRestricted.evaluate(eksPublic(['10.0.0.0/8']), strict).status, 'fail');
      assert.equal(publicEndpointRestricted.evaluate(eksPublic(['10.1.0.0/16']), strict).status, 'pass');
    });

    it('fails when entries are not valid CIDR blocks, naming them', () => {
      const verdict = publicEndpointRestricted.evaluate(
        eksPublic(['203.0.113.0/24', '10.0.0.0/33', 'office']),
        ctx,
      );
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /not valid CIDR blocks \(10\.0\.0\.0\/33, office\)/);
    });

    it('is not applicable when the public endpoint is off', () => {
      const cluster = eksPosture({ endpoint: { publicAccess: at(EKS_PUBLIC, false) } });
      assert.deepEqual(outcome(publicEndpointRestricted.evaluate(cluster, ctx)), {
        status: 'not_applicable',
        evidence: [{ path: EKS_PUBLIC, value: false }],
      });
    });

    it('is unknown when the public access flag could not be read', () => {
      const cluster = eksPosture({ endpoint: { publicAccess: unknown('field absent from the export') } });
      const verdict = publicEndpointRestricted.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'Public endpoint setting could not be read: field absent from the export',
        },
      );
    });

    it('is unknown when the allow-list could not be read', () => {
      const cluster = eksPosture({
        endpoint: {
          publicAccess: at(EKS_PUBLIC, true),
          authorizedNetworks: unknown('publicAccessCidrs malformed', { path: EKS_CIDRS, value: 'x' }),
        },
      });
      assert.deepEqual(outcome(publicEndpointRestricted.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: EKS_CIDRS, value: 'x' },
          { path: EKS_PUBLIC, value: true },
        ],
      });
    });
  });

  describe('on GKE', () => {
    function gkePublic(networks: AuthorizedNetworks) {
      return gkePosture({
        endpoint: {
          publicAccess: at(GKE_PUBLIC, true),
          authorizedNetworks: at(GKE_NETWORKS, networks, {
            enabled: networks.enforced,
            cidrBlocks: [...networks.cidrs],
          }),
        },
      });
    }

    it('passes when authorized networks admit only narrow ranges', () => {
      const verdict = publicEndpointRestricted.evaluate(
        gkePublic({ enforced: true, cidrs: ['203.0.113.0/24'], allowsCloudPublicRanges: false }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_PUBLIC, value: true },
          { path: GKE_NETWORKS, value: { enabled: true, cidrBlocks: ['203.0.113.0/24'] } },
        ],
      });
    });

    it('passes when authorized networks are on with no entries, which admits no outside network', () => {
      const verdict = publicEndpointRestricted.evaluate(
        gkePublic({ enforced: true, cidrs: [], allowsCloudPublicRanges: false }),
        ctx,
      );
      assert.equal(verdict.status, 'pass');
    });

    it('fails when authorized networks are off', () => {
      const verdict = publicEndpointRestricted.evaluate(
        gkePublic({ enforced: false, cidrs: [], allowsCloudPublicRanges: false }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_PUBLIC, value: true },
          { path: GKE_NETWORKS, value: { enabled: false, cidrBlocks: [] } },
        ],
      });
    });

    it('fails when every Google Cloud public address may connect', () => {
      const verdict = publicEndpointRestricted.evaluate(
        gkePublic({ enforced: true, cidrs: ['203.0.113.0/24'], allowsCloudPublicRanges: true }),
        ctx,
      );
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /gcpPublicCidrsAccessEnabled/);
    });

    it('is not applicable when the public endpoint is off', () => {
      const cluster = gkePosture({ endpoint: { publicAccess: at(GKE_PUBLIC, false) } });
      assert.equal(publicEndpointRestricted.evaluate(cluster, ctx).status, 'not_applicable');
    });

    it('is unknown when the authorized networks config could not be read', () => {
      const cluster = gkePosture({
        endpoint: { publicAccess: at(GKE_PUBLIC, true), authorizedNetworks: unknown('malformed cidrBlocks') },
      });
      assert.equal(publicEndpointRestricted.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    function aksPublic(cidrs: string[]) {
      return aksPosture({
        endpoint: {
          publicAccess: at(AKS_PRIVATE, true, false),
          authorizedNetworks: at<AuthorizedNetworks>(
            AKS_RANGES,
            { enforced: cidrs.length > 0, cidrs, allowsCloudPublicRanges: false },
            cidrs,
          ),
        },
      });
    }

    it('passes when authorized IP ranges admit only narrow ranges', () => {
      assert.deepEqual(outcome(publicEndpointRestricted.evaluate(aksPublic(['203.0.113.0/24']), ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_PRIVATE, value: false },
          { path: AKS_RANGES, value: ['203.0.113.0/24'] },
        ],
      });
    });

    it('fails when there are no authorized IP ranges', () => {
      assert.deepEqual(outcome(publicEndpointRestricted.evaluate(aksPublic([]), ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE, value: false },
          { path: AKS_RANGES, value: [] },
        ],
      });
    });

    it('fails when the range list is empty even if marked enforced, since AKS reads empty as open', () => {
      const cluster = aksPosture({
        endpoint: {
          publicAccess: at(AKS_PRIVATE, true, false),
          authorizedNetworks: at<AuthorizedNetworks>(
            AKS_RANGES,
            { enforced: true, cidrs: [], allowsCloudPublicRanges: false },
            [],
          ),
        },
      });
      assert.equal(publicEndpointRestricted.evaluate(cluster, ctx).status, 'fail');
    });

    it('fails when 0.0.0.0/0 is among the ranges', () => {
      assert.equal(
        publicEndpointRestricted.evaluate(aksPublic(['203.0.113.0/24', '0.0.0.0/0']), ctx).status,
        'fail',
      );
    });

    it('is not applicable for a private cluster', () => {
      const cluster = aksPosture({ endpoint: { publicAccess: at(AKS_PRIVATE, false, true) } });
      assert.equal(publicEndpointRestricted.evaluate(cluster, ctx).status, 'not_applicable');
    });

    it('is unknown when the access profile could not be read', () => {
      const cluster = aksPosture({ endpoint: { publicAccess: unknown('access denied') } });
      assert.equal(publicEndpointRestricted.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
