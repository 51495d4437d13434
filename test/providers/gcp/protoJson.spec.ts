import assert from 'node:assert/strict';
import { toProto3Json } from '../../../providers/gcp/protoJson.js';

describe('toProto3Json: GKE client objects as the API’s proto3 JSON', () => {
  it('drops the defaults the client fills in, keeps set optional fields even when false', () => {
    const sdkObject = {
      name: 'c',
      description: '',
      legacyAbac: { enabled: false },
      binaryAuthorization: null,
      resourceLabels: {},
      locations: [],
      currentNodeCount: 0,
      releaseChannel: { channel: 'UNSPECIFIED' },
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          enablePublicEndpoint: false,
          _enablePublicEndpoint: 'enablePublicEndpoint',
          globalAccess: undefined,
        },
        dnsEndpointConfig: null,
      },
    };
    assert.deepEqual(toProto3Json('google.container.v1.Cluster', sdkObject), {
      name: 'c',
      legacyAbac: {},
      releaseChannel: {},
      controlPlaneEndpointsConfig: { ipEndpointsConfig: { enablePublicEndpoint: false } },
    });
  });

  it('writes enums by name, 64-bit integers as strings, timestamps and durations as strings, maps as objects', () => {
    const sdkObject = {
      databaseEncryption: { state: 1 },
      defaultMaxPodsConstraint: { maxPodsPerNode: 110 },
      resourceLabels: { team: 'payments', empty: '' },
      maintenancePolicy: {
        window: {
          maintenanceExclusions: {
            freeze: {
              startTime: { seconds: '1767225600', nanos: 500000000 },
              endTime: { seconds: '1767312000', nanos: 0 },
            },
          },
        },
      },
      secretManagerConfig: { rotationConfig: { rotationInterval: { seconds: '3600', nanos: 0 } } },
    };
    assert.deepEqual(toProto3Json('google.container.v1.Cluster', sdkObject), {
      databaseEncryption: { state: 'ENCRYPTED' },
      defaultMaxPodsConstraint: { maxPodsPerNode: '110' },
      resourceLabels: { team: 'payments', empty: '' },
      maintenancePolicy: {
        window: {
          maintenanceExclusions: {
            freeze: { startTime: '2026-01-01T00:00:00.500Z', endTime: '2026-01-02T00:00:00Z' },
          },
        },
      },
      secretManagerConfig: { rotationConfig: { rotationInterval: '3600s' } },
    });
  });

  it('reads the Cloud Logging and Cloud Monitoring messages too: wrappers as values, defaults dropped', () => {
    assert.deepEqual(
      toProto3Json('google.logging.v2.LogMetric', {
        name: 'm',
        filter: 'f',
        disabled: false,
        bucketName: '',
        labelExtractors: {},
        metricDescriptor: null,
      }),
      { name: 'm', filter: 'f' },
    );
    assert.deepEqual(
      toProto3Json('google.monitoring.v3.AlertPolicy', {
        name: 'projects/p/alertPolicies/1',
        enabled: { value: false },
        combiner: 'COMBINE_UNSPECIFIED',
        conditions: [
          {
            displayName: 'c',
            conditionThreshold: { filter: 'metric.type="x"', duration: { seconds: '60', nanos: 0 } },
            conditionAbsent: null,
            condition: 'conditionThreshold',
          },
        ],
      }),
      {
        name: 'projects/p/alertPolicies/1',
        enabled: false,
        conditions: [
          { displayName: 'c', conditionThreshold: { filter: 'metric.type="x"', duration: '60s' } },
        ],
      },
    );
  });
});
