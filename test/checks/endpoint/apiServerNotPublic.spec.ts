import assert from 'node:assert/strict';
import { apiServerNotPublic } from '../../../checks/endpoint/apiServerNotPublic.js';
import { unknown } from '../../../model/observed.js';
import type { GkeClusterPosture } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture } from '../../fixtures/postures.js';
import { gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_PUBLIC = 'cluster.resourcesVpcConfig.endpointPublicAccess';
const EKS_PRIVATE = 'cluster.resourcesVpcConfig.endpointPrivateAccess';
const GKE_PUBLIC_IP = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint';
const GKE_PRIVATE_NODES = 'cluster.privateClusterConfig.enablePrivateNodes';
const GKE_PRIVATE_IP = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint';
const GKE_LEGACY_PRIVATE_IP = 'cluster.privateClusterConfig.privateEndpoint';
const GKE_DNS = 'cluster.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic';
const AKS_PRIVATE_CLUSTER = 'properties.apiServerAccessProfile.enablePrivateCluster';

/** A GKE posture as a scan builds it from a Cluster resource with the given endpoint configuration. */
function gkeCluster(controlPlaneEndpointsConfig: unknown): GkeClusterPosture {
  return gkeFromWire({ controlPlaneEndpointsConfig });
}

/** IP endpoints with only a private address, and the DNS endpoint set as given. */
function privateIpWithDns(allowExternalTraffic?: unknown) {
  return {
    dnsEndpointConfig: {
      endpoint: 'gke-0123456789abcdef.us-central1.gke.goog',
      ...(allowExternalTraffic === undefined ? {} : { allowExternalTraffic }),
    },
    ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
  };
}

const GKE_PRIVATE_EVIDENCE = [
  { path: GKE_PRIVATE_NODES, value: null },
  { path: GKE_PRIVATE_IP, value: '10.0.0.2' },
  { path: GKE_LEGACY_PRIVATE_IP, value: null },
];

describe('EP-01 API server has no public endpoint', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when public access is off and the private endpoint is on', () => {
      // Prepare
      const cluster = eksPosture({
        endpoint: { publicAccess: at(EKS_PUBLIC, false), privateAccess: at(EKS_PRIVATE, true) },
      });
      // Act
      const verdict = evaluateCheck(apiServerNotPublic, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_PUBLIC, value: false },
          { path: EKS_PRIVATE, value: true },
        ],
      });
    });

    it('fails when public and private are both on (public is public, whatever the CIDRs)', () => {
      const cluster = eksPosture({
        endpoint: { publicAccess: at(EKS_PUBLIC, true), privateAccess: at(EKS_PRIVATE, true) },
      });
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: EKS_PUBLIC, value: true },
          { path: EKS_PRIVATE, value: true },
        ],
      });
    });

    it('fails when public access is off but the private endpoint is off too', () => {
      const cluster = eksPosture({
        endpoint: { publicAccess: at(EKS_PUBLIC, false), privateAccess: at(EKS_PRIVATE, false) },
      });
      const verdict = evaluateCheck(apiServerNotPublic, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: EKS_PUBLIC, value: false },
          { path: EKS_PRIVATE, value: false },
        ],
      });
      assert.equal(verdict.message, 'Public access is off but the private endpoint is off too.');
    });

    it('is unknown when public access is off and the private endpoint flag could not be read', () => {
      const cluster = eksPosture({
        endpoint: {
          publicAccess: at(EKS_PUBLIC, false),
          privateAccess: unknown(`${EKS_PRIVATE} absent from DescribeCluster output`, {
            path: EKS_PRIVATE,
            value: null,
          }),
        },
      });
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: EKS_PRIVATE, value: null },
          { path: EKS_PUBLIC, value: false },
        ],
      });
    });

    it('is unknown when the public access flag could not be read', () => {
      const cluster = eksPosture({
        endpoint: {
          publicAccess: unknown('field absent from the export', { path: EKS_PUBLIC, value: null }),
        },
      });
      const verdict = evaluateCheck(apiServerNotPublic, cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: EKS_PUBLIC, value: null }],
          message: 'Public endpoint setting could not be read: field absent from the export',
        },
      );
    });
  });

  describe('on GKE', () => {
    it('passes when the public IP endpoint is off and the DNS endpoint takes no outside traffic', () => {
      // Act
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster(privateIpWithDns(false)), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_PUBLIC_IP, value: false },
          ...GKE_PRIVATE_EVIDENCE,
          { path: GKE_DNS, value: false },
        ],
      });
      assert.equal(verdict.message, 'The API server is reachable only through its private endpoint.');
    });

    it('passes when allowExternalTraffic is unset, the API default', () => {
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, gkeCluster(privateIpWithDns()), ctx)), {
        status: 'pass',
        evidence: [
          { path: GKE_PUBLIC_IP, value: false },
          ...GKE_PRIVATE_EVIDENCE,
          { path: GKE_DNS, value: null },
        ],
      });
    });

    it('fails, not passes, when the DNS endpoint accepts traffic from the internet, saying it is IAM-gated', () => {
      // Act
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster(privateIpWithDns(true)), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_PUBLIC_IP, value: false },
          ...GKE_PRIVATE_EVIDENCE,
          { path: GKE_DNS, value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'The API server has a public endpoint: its DNS endpoint accepts traffic from the internet (dnsEndpointConfig.allowExternalTraffic). Google Cloud IAM authenticates every request before it reaches the API server, so only principals with container.clusters.connect get through, but the endpoint is reachable from anywhere.',
      );
    });

    it('fails when the public IP endpoint is on, and names an open DNS endpoint too', () => {
      // Prepare
      const config = {
        ...privateIpWithDns(true),
        ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true },
      };
      // Act
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster(config), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_PUBLIC_IP, value: true },
          { path: GKE_PRIVATE_NODES, value: null },
          { path: GKE_PRIVATE_IP, value: null },
          { path: GKE_LEGACY_PRIVATE_IP, value: null },
          { path: GKE_DNS, value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'The API server has a public endpoint. Its DNS endpoint also accepts traffic from the internet, gated by Google Cloud IAM.',
      );
    });

    it('fails when the public IP endpoint is on and the DNS endpoint is closed', () => {
      const config = {
        ...privateIpWithDns(false),
        ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true },
      };
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster(config), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_PUBLIC_IP, value: true },
          { path: GKE_PRIVATE_NODES, value: null },
          { path: GKE_PRIVATE_IP, value: null },
          { path: GKE_LEGACY_PRIVATE_IP, value: null },
          { path: GKE_DNS, value: false },
        ],
      });
      assert.equal(verdict.message, 'The API server has a public endpoint.');
    });

    it('is unknown, not a pass, when allowExternalTraffic could not be read', () => {
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster(privateIpWithDns('yes')), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: GKE_DNS, value: 'yes' },
          { path: GKE_PUBLIC_IP, value: false },
          ...GKE_PRIVATE_EVIDENCE,
        ],
      });
      assert.match(verdict.message, /^The DNS endpoint setting could not be read: /);
    });

    it('is unknown when the endpoint configuration could not be read', () => {
      const verdict = evaluateCheck(apiServerNotPublic, gkeCluster({ ipEndpointsConfig: 'public' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig', value: 'public' }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes for a private cluster', () => {
      const cluster = aksPosture({ endpoint: { publicAccess: at(AKS_PRIVATE_CLUSTER, false, true) } });
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_PRIVATE_CLUSTER, value: true },
          { path: 'endpoint.privateAccess', value: true },
        ],
      });
    });

    it('fails for a public cluster', () => {
      const cluster = aksPosture({ endpoint: { publicAccess: at(AKS_PRIVATE_CLUSTER, true, null) } });
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE_CLUSTER, value: null },
          { path: 'endpoint.privateAccess', value: true },
        ],
      });
    });

    it('is unknown when the access profile could not be read', () => {
      const cluster = aksPosture({
        endpoint: { publicAccess: unknown('access denied', { path: AKS_PRIVATE_CLUSTER, value: 'yes' }) },
      });
      assert.deepEqual(outcome(evaluateCheck(apiServerNotPublic, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_PRIVATE_CLUSTER, value: 'yes' }],
      });
    });
  });
});
