import { daysBetween } from '../../model/dates.js';
import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../verdict.js';
import { notInSupportData, resolveSupportWindow } from './supportWindow.js';

const UPGRADE_CLI = {
  eks: 'aws eks update-cluster-version --name <cluster> --kubernetes-version <next-minor>',
  gke: 'gcloud container clusters upgrade <cluster> --location <location> --master --cluster-version <next-minor>',
  aks: 'az aks upgrade --resource-group <group> --name <cluster> --kubernetes-version <next-version> --control-plane-only',
} as const;

const VERSION_LINKS = [
  'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
  'https://cloud.google.com/kubernetes-engine/docs/release-schedule',
  'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions',
] as const;

/** The control-plane upgrade commands and calendars, shared by the version checks. */
export const VERSION_REMEDIATION = { cli: UPGRADE_CLI, links: VERSION_LINKS } as const;

/** VER-01: the control plane's minor version is in standard support. */
export const standardSupport: Check = {
  id: 'VER-01',
  title: "The control plane's minor version is in standard support",
  rationale:
    'A minor version past standard support gets no more Kubernetes security fixes from the community and, outside paid extended support, none from the provider either; providers then force-upgrade on their schedule.',
  category: 'versions',
  severity: 'high',
  source: 'api',
  applies: {
    eks: { responsibility: 'shared' },
    gke: { responsibility: 'shared' },
    aks: { responsibility: 'shared' },
  },
  remediation: {
    text: 'Upgrade the control plane one minor version at a time to a version in standard support, then the node pools.',
    ...VERSION_REMEDIATION,
  },
  evaluate(cluster, ctx) {
    const { version, supportPlan } = cluster;
    if (isUnknown(version)) return unknownVerdict('Control-plane version', version);
    const resolved = resolveSupportWindow(ctx, cluster, version.value);
    if (!resolved) return notInSupportData(ctx, cluster, version);
    const { window, source, sourceNote, basis } = resolved;
    const minor = version.value.minorVersion;
    if (daysBetween(ctx.asOf, window.endOfStandardSupport) >= 0) {
      return pass(
        `Kubernetes ${minor} is in standard support until ${window.endOfStandardSupport}${sourceNote}.`,
        version,
        ...basis,
      );
    }
    const pastStandard = `Kubernetes ${minor} left standard support on ${window.endOfStandardSupport}`;
    const extendedEnd = window.endOfExtendedSupport;
    if (extendedEnd === null) {
      return {
        ...fail(
          `${pastStandard}; ${source} lists no extended support for it${sourceNote}.`,
          version,
          ...basis,
        ),
        severity: 'critical',
      };
    }
    if (daysBetween(ctx.asOf, extendedEnd) < 0) {
      return {
        ...fail(
          `${pastStandard} and extended support ended on ${extendedEnd}${sourceNote}.`,
          version,
          ...basis,
        ),
        severity: 'critical',
      };
    }
    if (cluster.provider === 'eks') {
      // EKS keeps a cluster past standard support on extended support until it is upgraded.
      return fail(
        `${pastStandard}; it runs on paid extended support until ${extendedEnd}${sourceNote}.`,
        version,
        ...basis,
      );
    }
    // AKS long-term support (and any extended plan elsewhere) covers a version only when the cluster is enrolled in it.
    const plan = cluster.provider === 'aks' ? 'long-term support' : 'extended support';
    if (isUnknown(supportPlan)) {
      return {
        status: 'fail',
        message: `${pastStandard}${sourceNote}; the support plan could not be read (${supportPlan.unknown}), so it may have no support at all.`,
        evidence: evidenceOf(version, ...basis, supportPlan),
        severity: 'critical',
      };
    }
    return supportPlan.value === 'extended'
      ? fail(
          `${pastStandard}; it runs on ${plan} until ${extendedEnd}${sourceNote}.`,
          version,
          ...basis,
          supportPlan,
        )
      : {
          ...fail(
            `${pastStandard} and the cluster is not on the ${plan} plan, so it has no support${sourceNote}.`,
            version,
            ...basis,
            supportPlan,
          ),
          severity: 'critical',
        };
  },
};
