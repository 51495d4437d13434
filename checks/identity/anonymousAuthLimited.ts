import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, notApplicable, pass, unknownVerdict } from '../verdict.js';

// EKS and AKS set the API server's --anonymous-auth themselves and expose no setting for it; what
// anonymous requests may reach there shows only in-cluster, which kubeline does not read yet.
const EKS_NOT_EXPOSED =
  'EKS sets anonymous authentication on the API server itself and exposes no setting for it; what anonymous requests can reach needs in-cluster read access, which is not read.';
const AKS_NOT_EXPOSED =
  'AKS sets anonymous authentication on the API server itself and exposes no setting for it.';

/** AUTH-04: anonymous requests are limited to health endpoints. */
export const anonymousAuthLimited: Check = {
  id: 'AUTH-04',
  title: 'Anonymous requests are limited to health endpoints',
  rationale:
    'With anonymous authentication on every endpoint, one RoleBinding to system:anonymous or system:unauthenticated (a typo, a copied manifest) hands cluster access to anyone who can reach the API server.',
  category: 'identity',
  severity: 'high',
  source: 'api',
  applies: {
    eks: { notApplicable: EKS_NOT_EXPOSED },
    gke: { responsibility: 'customer' },
    aks: { notApplicable: AKS_NOT_EXPOSED },
  },
  remediation: {
    text: 'On GKE limit anonymous authentication to the health-check endpoints (/healthz, /livez, /readyz).',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --anonymous-authentication-config=LIMITED',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict-anon-access',
    ],
  },
  evaluate(cluster) {
    switch (cluster.provider) {
      case 'eks':
        return notApplicable(EKS_NOT_EXPOSED);
      case 'aks':
        return notApplicable(AKS_NOT_EXPOSED);
      case 'gke': {
        const { anonymousAuthentication: mode } = cluster.gke;
        if (isUnknown(mode)) return unknownVerdict('Anonymous authentication mode', mode);
        if (mode.value === 'LIMITED') {
          return pass('Anonymous requests reach only the health-check endpoints (mode LIMITED).', mode);
        }
        // MODE_UNSPECIFIED is what a cluster that never set the mode returns: GKE then allows anonymous requests everywhere.
        return fail(
          `Anonymous requests are authenticated as system:anonymous on every endpoint (mode ${mode.value}).`,
          mode,
        );
      }
    }
  },
};
