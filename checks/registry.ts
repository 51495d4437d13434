import { auditLogExport } from './audit/auditLogExport.js';
import { auditLogRetention } from './audit/auditLogRetention.js';
import { authenticatorLogExport } from './audit/authenticatorLogExport.js';
import { failedAuthAlerting } from './audit/failedAuthAlerting.js';
import { secretsCustomerKey } from './data-protection/secretsCustomerKey.js';
import { secretsEnvelopeEncryption } from './data-protection/secretsEnvelopeEncryption.js';
import { apiServerNotPublic } from './endpoint/apiServerNotPublic.js';
import { privateEndpointForNodes } from './endpoint/privateEndpointForNodes.js';
import { publicEndpointRestricted } from './endpoint/publicEndpointRestricted.js';
import { anonymousAuthLimited } from './identity/anonymousAuthLimited.js';
import { anonymousBindings } from './identity/anonymousBindings.js';
import { awsAuthMasters } from './identity/awsAuthMasters.js';
import { centralIdentityProvider } from './identity/centralIdentityProvider.js';
import { clusterAdminBindings } from './identity/clusterAdminBindings.js';
import { clusterAdminPrincipals } from './identity/clusterAdminPrincipals.js';
import { eksAccessEntries } from './identity/eksAccessEntries.js';
import { nodeIdentity } from './identity/nodeIdentity.js';
import { noLocalCredentials } from './identity/noLocalCredentials.js';
import { rbacAuthorization } from './identity/rbacAuthorization.js';
import { wildcardRoles } from './identity/wildcardRoles.js';
import { workloadIdentity } from './identity/workloadIdentity.js';
import { namespaceNetworkPolicies } from './network/namespaceNetworkPolicies.js';
import { networkFlowLogging } from './network/networkFlowLogging.js';
import { networkPolicyEnforcement } from './network/networkPolicyEnforcement.js';
import { kubeletAuthentication } from './nodes/kubeletAuthentication.js';
import { kubeletReadOnlyPortDisabled } from './nodes/kubeletReadOnlyPortDisabled.js';
import { nodeSecureBoot } from './nodes/nodeSecureBoot.js';
import { nodeSshAccess } from './nodes/nodeSshAccess.js';
import { nodeVersionSkew } from './nodes/nodeVersionSkew.js';
import { privateNodes } from './nodes/privateNodes.js';
import { legacyFeatures } from './runtime/legacyFeatures.js';
import { podSecurityEnforced } from './runtime/podSecurityEnforced.js';
import { runtimeDetectionAgent } from './runtime/runtimeDetectionAgent.js';
import { runtimeThreatDetection } from './runtime/runtimeThreatDetection.js';
import { trustedImages } from './runtime/trustedImages.js';
import type { Check } from './types.js';
import { automaticUpgrades } from './versions/automaticUpgrades.js';
import { endOfSupportWarning } from './versions/endOfSupportWarning.js';
import { minorVersionLag } from './versions/minorVersionLag.js';
import { paidExtendedSupport } from './versions/paidExtendedSupport.js';
import { standardSupport } from './versions/standardSupport.js';

/** Every check kubeline ships, in catalogue order. An explicit list: bundle-safe, no file scanning. */
export const CHECKS: readonly Check[] = Object.freeze([
  apiServerNotPublic,
  publicEndpointRestricted,
  privateEndpointForNodes,
  centralIdentityProvider,
  noLocalCredentials,
  eksAccessEntries,
  rbacAuthorization,
  auditLogExport,
  authenticatorLogExport,
  secretsEnvelopeEncryption,
  secretsCustomerKey,
  networkPolicyEnforcement,
  privateNodes,
  nodeVersionSkew,
  kubeletReadOnlyPortDisabled,
  standardSupport,
  endOfSupportWarning,
  minorVersionLag,
  clusterAdminPrincipals,
  auditLogRetention,
  networkFlowLogging,
  runtimeThreatDetection,
  anonymousAuthLimited,
  anonymousBindings,
  workloadIdentity,
  nodeIdentity,
  nodeSshAccess,
  nodeSecureBoot,
  paidExtendedSupport,
  automaticUpgrades,
  trustedImages,
  legacyFeatures,
  clusterAdminBindings,
  awsAuthMasters,
  wildcardRoles,
  namespaceNetworkPolicies,
  kubeletAuthentication,
  podSecurityEnforced,
  runtimeDetectionAgent,
  failedAuthAlerting,
]);

/**
 * Ids of renamed checks and the ids they now have. Ids are a contract with users' waivers,
 * dashboards and CI gates: a check is never renamed lightly, and when one is, its old id stays
 * here so configurations that name it keep working. Empty: no check has been renamed.
 */
export const CHECK_ALIASES: Readonly<Record<string, string>> = Object.freeze({});

/** A check id as a user wrote it, resolved: the current id, and the old one when it was an alias. */
export interface ResolvedCheckId {
  readonly id: string;
  readonly renamedFrom?: string;
  /** Says the id was renamed, for the user to update what they wrote; absent for a current id. */
  readonly notice?: string;
}

/** Resolves an alias to the current id; any other id comes back as it is. */
export function resolveCheckId(
  id: string,
  aliases: Readonly<Record<string, string>> = CHECK_ALIASES,
): ResolvedCheckId {
  const current = Object.hasOwn(aliases, id) ? aliases[id] : undefined;
  if (current === undefined) return { id };
  return {
    id: current,
    renamedFrom: id,
    notice: `check ${id} was renamed ${current}; ${id} still works, but write ${current}`,
  };
}

/** The check a user names (an alias included, with its notice), or undefined when no check has that id. */
export function findCheck(
  id: string,
  aliases: Readonly<Record<string, string>> = CHECK_ALIASES,
  checks: readonly Check[] = CHECKS,
): { readonly check: Check; readonly notice?: string } | undefined {
  const resolved = resolveCheckId(id, aliases);
  const check = checks.find((candidate) => candidate.id === resolved.id);
  if (check === undefined) return undefined;
  return resolved.notice === undefined ? { check } : { check, notice: resolved.notice };
}
