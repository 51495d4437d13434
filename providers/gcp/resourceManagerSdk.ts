/*
 * Resource Manager's clients, loaded on first use (GcpClients.resourceManager()); imported here by
 * name for the reason loggingSdk.ts gives: a CommonJS package imported dynamically loses its
 * names in the Lambda bundle.
 */
import { FoldersClient, ProjectsClient } from '@google-cloud/resource-manager';

export { FoldersClient, ProjectsClient };
