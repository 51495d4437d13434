import { daysBetween } from '../../model/dates.js';
import type { SourceField } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { Check, Verdict } from '../types.js';
import { fail, pass, unknownVerdict } from '../verdict.js';
import { notInSupportData, resolveSupportWindow } from './supportWindow.js';

/** EKS bills extended support at 0.60 USD per cluster-hour against 0.10 in standard support. */
const EKS_EXTRA_USD_PER_HOUR = 0.5;
const HOURS_PER_YEAR = 8760;

/** The extra cost, as evidence beside the fields: what an owner weighs against the upgrade. */
const EKS_EXTRA_COST: readonly SourceField[] = [
  { path: 'pricing.eksExtendedSupport.extraUsdPerClusterHour', value: EKS_EXTRA_USD_PER_HOUR },
  { path: 'pricing.eksExtendedSupport.extraUsdPerYear', value: EKS_EXTRA_USD_PER_HOUR * HOURS_PER_YEAR },
];
const EKS_COST_NOTE = ` Extended support costs ${EKS_EXTRA_USD_PER_HOUR.toFixed(2)} USD per cluster-hour more than standard support, ${(EKS_EXTRA_USD_PER_HOUR * HOURS_PER_YEAR).toLocaleString('en-US')} USD a year.`;

function withCost(verdict: Verdict, provider: string): Verdict {
  return provider === 'eks'
    ? {
        ...verdict,
        message: `${verdict.message}${EKS_COST_NOTE}`,
        evidence: [...verdict.evidence, ...EKS_EXTRA_COST],
      }
    : verdict;
}

const PLAN_NAMES = {
  eks: 'the EXTENDED upgrade policy (upgradePolicy.supportType)',
  gke: 'the Extended release channel',
  aks: 'long-term support (supportPlan AKSLongTermSupport, Premium tier)',
} as const;

/** VER-04: the cluster does not run on paid extended or long-term support. */
export const paidExtendedSupport: Check = {
  id: 'VER-04',
  title: 'The cluster does not run on paid extended or long-term support',
  rationale:
    'Extended and long-term support cost extra for every cluster-hour and only postpone an upgrade that grows harder with each skipped minor; they are a bridge to plan, not a place to stay.',
  category: 'versions',
  severity: 'medium',
  source: 'api',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
  },
  remediation: {
    text: 'Upgrade to a minor version in standard support, then leave the extended plan: the STANDARD upgrade policy on EKS, a standard release channel on GKE, the KubernetesOfficial support plan on AKS.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --upgrade-policy supportType=STANDARD',
      gke: 'gcloud container clusters update <cluster> --location <location> --release-channel=regular',
      aks: 'az aks update --resource-group <group> --name <cluster> --k8s-support-plan KubernetesOfficial --tier standard',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html',
      'https://aws.amazon.com/eks/pricing/',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels#extended',
      'https://learn.microsoft.com/azure/aks/long-term-support',
    ],
  },
  evaluate(cluster, ctx) {
    const { version, supportPlan } = cluster;
    const plan = PLAN_NAMES[cluster.provider];
    if (!isUnknown(supportPlan) && supportPlan.value === 'extended') {
      // AKS bills long-term support through the Premium tier from enrolment; EKS and GKE bill from the end of standard support.
      const resolved =
        cluster.provider === 'aks' || isUnknown(version)
          ? undefined
          : resolveSupportWindow(ctx, cluster, version.value);
      if (!resolved || isUnknown(version)) {
        return withCost(fail(`The cluster is enrolled in ${plan}.`, supportPlan), cluster.provider);
      }
      const { window, sourceNote, basis } = resolved;
      const minor = version.value.minorVersion;
      const end = window.endOfStandardSupport;
      const when =
        daysBetween(ctx.asOf, end) < 0
          ? `Kubernetes ${minor} left standard support on ${end}, so it runs on it now`
          : `it applies from ${end}, when standard support for Kubernetes ${minor} ends`;
      return withCost(
        fail(`The cluster is enrolled in ${plan}: ${when}${sourceNote}.`, supportPlan, version, ...basis),
        cluster.provider,
      );
    }
    if (cluster.provider === 'aks') {
      // AKS bills long-term support only on enrolment: a version past community support without it is unsupported, not billed (VER-01).
      if (isUnknown(supportPlan)) return unknownVerdict('Support plan', supportPlan);
      return pass(
        'The cluster is on the KubernetesOfficial support plan, not long-term support.',
        supportPlan,
      );
    }
    if (isUnknown(version)) return unknownVerdict('Control-plane version', version, supportPlan);
    const resolved = resolveSupportWindow(ctx, cluster, version.value);
    if (!resolved) return notInSupportData(ctx, cluster, version);
    const { window, sourceNote, basis } = resolved;
    const minor = version.value.minorVersion;
    const end = window.endOfStandardSupport;
    if (daysBetween(ctx.asOf, end) < 0) {
      const consequence =
        cluster.provider === 'eks'
          ? 'EKS keeps it on paid extended support until it is upgraded'
          : 'outside the Extended channel GKE upgrades it on its own schedule';
      return withCost(
        fail(
          `Kubernetes ${minor} left standard support on ${end}; ${consequence}${sourceNote}.`,
          version,
          ...basis,
          supportPlan,
        ),
        cluster.provider,
      );
    }
    if (isUnknown(supportPlan)) return unknownVerdict('Support plan', supportPlan, version, ...basis);
    return pass(
      `Kubernetes ${minor} is in standard support until ${end} and the cluster is not enrolled in ${plan}${sourceNote}.`,
      version,
      ...basis,
      supportPlan,
    );
  },
};
