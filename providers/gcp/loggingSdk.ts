/*
 * The Cloud Logging and Monitoring clients, loaded on first use (GcpClients.logging()). They are
 * imported here by name rather than by `import('@google-cloud/logging-api')` at the call site:
 * those packages are CommonJS, whose names esbuild cannot see through a dynamic import, so the
 * Lambda bundle would hand the caller only a default export.
 */
import { ConfigServiceV2Client, MetricsServiceV2Client } from '@google-cloud/logging-api';
import { AlertPolicyServiceClient } from '@google-cloud/monitoring';

export { AlertPolicyServiceClient, ConfigServiceV2Client, MetricsServiceV2Client };
