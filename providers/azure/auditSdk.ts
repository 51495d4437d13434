/*
 * The Azure Monitor, Log Analytics and Defender for Cloud clients, loaded when a subscription's
 * clusters need them (AzureSubscriptionClients). Imported here by name rather than by a dynamic
 * `import()` of each package: @azure/arm-operationalinsights and @azure/arm-security are
 * CommonJS for Node, whose names esbuild cannot see through a dynamic import, so the Lambda
 * bundle would hand the caller only a default export.
 */
import { MonitorClient } from '@azure/arm-monitor';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { SecurityCenter } from '@azure/arm-security';

export { MonitorClient, OperationalInsightsManagementClient, SecurityCenter };
