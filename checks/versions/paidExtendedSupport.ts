import { dayCount, daysBetween } from '../../model/dates.js';
import type { Known, SourceField } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type {
  ClusterPosture,
  EksClusterPosture,
  GkeClusterPosture,
  SupportPlan,
} from '../../model/posture.js';
import { notInSupportData, resolveSupportWindow } from '../support/supportWindow.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, Verdict } from '../types.js';

/** EKS bills extended support at 0.60 USD per cluster-hour against 0.10 in standard support. */
const EKS_EXTRA_USD_PER_HOUR = 0.5;
const HOURS_PER_YEAR = 8760;

/** The extra cost, as evidence beside the fields: what an owner weighs against the upgrade. */
const EKS_EXTRA_COST: readonly SourceField[] = [
  { path: 'pricing.eksExtendedSupport.extraUsdPerClusterHour', value: EKS_EXTRA_USD_PER_HOUR },
  { path: 'pricing.eksExtendedSupport.extraUsdPerYear', value: EKS_EXTRA_USD_PER_HOUR * HOURS_PER_YEAR },
];
/**
 * A function, not a constant: the first toLocaleString of a process loads ICU's locale data (tens
 * of milliseconds), which loading the catalogue (`kubeline checks`, a scan's start) need not pay.
 */
function eksCostNote(): string {
  return ` Extended support costs ${EKS_EXTRA_USD_PER_HOUR.toFixed(2)} USD per cluster-hour more than standard support, ${(EKS_EXTRA_USD_PER_HOUR * HOURS_PER_YEAR).toLocaleString('en-US')} USD a year.`;
}

/** EKS: the extra cost joins every decided verdict. */
function withCost(verdict: Verdict): Verdict {
  return verdict.status !== 'unknown'
    ? {
        ...verdict,
        message: `${verdict.message}${eksCostNote()}`,
        evidence: [...verdict.evidence, ...EKS_EXTRA_COST],
      }
    : verdict;
}

/**
 * The extended plans that bill only past standard support. EKS: "If a cluster merely has the
 * upgrade policy set to enable extended support, and is otherwise in the standard support period,
 * it incurs standard costs" (https://docs.aws.amazon.com/eks/latest/userguide/enable-extended-support.html).
 * GKE: on the Extended channel "an additional cluster management fee applies if the minor version
 * of the cluster is in the extended support period" (https://cloud.google.com/kubernetes-engine/pricing).
 */
const BILLED_PAST_STANDARD = {
  eks: "The upgrade policy is EXTENDED (AWS's default)",
  gke: 'The cluster is on the Extended release channel',
} as const;

/** Why a cluster off the extended plan is never billed for it. */
const NOT_ENROLLED = {
  eks: 'The upgrade policy is STANDARD: EKS upgrades the cluster at the end of standard support instead of billing extended support.',
  gke: 'The cluster is not on the Extended release channel, the only one GKE bills extended support on: GKE upgrades it at the end of standard support.',
  aks: 'The cluster is on the KubernetesOfficial support plan, not long-term support.',
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
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['supportPlan', 'version', 'versionSupport'],
      evaluate: (cluster, ctx) =>
        judgeExtendedPlan(cluster, NOT_ENROLLED.eks, (plan) =>
          withCost(judgeBilledPastStandard(cluster, plan, ctx, BILLED_PAST_STANDARD.eks)),
        ),
    },
    gke: {
      responsibility: 'customer',
      reads: ['supportPlan', 'version', 'versionSupport'],
      evaluate: (cluster, ctx) =>
        judgeExtendedPlan(cluster, NOT_ENROLLED.gke, (plan) =>
          judgeBilledPastStandard(cluster, plan, ctx, BILLED_PAST_STANDARD.gke),
        ),
    },
    aks: {
      responsibility: 'customer',
      reads: ['supportPlan', 'version'],
      // Long-term support needs the Premium tier, billed from enrolment
      // (https://learn.microsoft.com/azure/aks/long-term-support).
      evaluate: (cluster) =>
        judgeExtendedPlan(cluster, NOT_ENROLLED.aks, (plan) =>
          fail(
            'The cluster is on long-term support (supportPlan AKSLongTermSupport), which needs the Premium tier: it is billed from enrolment, whatever the version.',
            plan,
          ),
        ),
    },
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
};

/** The plan first: off the extended plan nothing is billed; on it, `enrolled` judges what it costs. */
function judgeExtendedPlan(
  cluster: ClusterPosture,
  notEnrolled: string,
  enrolled: (supportPlan: Known<SupportPlan>) => Verdict,
): Verdict {
  const { supportPlan } = cluster;
  if (isUnknown(supportPlan)) return unknownVerdict('Support plan', supportPlan, cluster.version);
  if (supportPlan.value === 'standard') return pass(notEnrolled, supportPlan);
  return enrolled(supportPlan);
}

/** An extended plan that bills past standard support: paying now, paying soon, or not yet. */
function judgeBilledPastStandard(
  cluster: EksClusterPosture | GkeClusterPosture,
  supportPlan: Known<SupportPlan>,
  ctx: EvalContext,
  plan: string,
): Verdict {
  const { version } = cluster;
  if (isUnknown(version)) return unknownVerdict('Control-plane version', version, supportPlan);
  const resolved = resolveSupportWindow(ctx, cluster, version.value);
  if (!resolved) return notInSupportData(ctx, cluster, version);
  const { window, source, sourceNote, basis } = resolved;
  const minor = version.value.minorVersion;
  const end = window.endOfStandardSupport;
  const daysLeft = daysBetween(ctx.asOf, end);
  const warningDays = ctx.settings.eosWarningDays;
  const observed = [supportPlan, version, ...basis] as const;
  if (daysLeft > warningDays) {
    return pass(
      `${plan}, which bills extended support only past standard support: Kubernetes ${minor} is in standard support until ${end}, ${dayCount(daysLeft)} away${sourceNote}.`,
      ...observed,
    );
  }
  if (daysLeft >= 0) {
    return fail(
      `${plan}, which bills extended support past standard support: standard support for Kubernetes ${minor} ends on ${end}, in ${dayCount(daysLeft)} (warning period ${dayCount(warningDays)})${sourceNote}.`,
      ...observed,
    );
  }
  const pastStandard = `${plan} and Kubernetes ${minor} left standard support on ${end}`;
  const extendedEnd = window.endOfExtendedSupport;
  if (extendedEnd === null) {
    return fail(
      `${pastStandard}; ${source} lists no extended support for it, so the plan leaves it without support (VER-01)${sourceNote}.`,
      ...observed,
    );
  }
  if (daysBetween(ctx.asOf, extendedEnd) < 0) {
    return fail(
      `${pastStandard} and extended support on ${extendedEnd}: it was billed for extended support until then and has no support left (VER-01)${sourceNote}.`,
      ...observed,
    );
  }
  return fail(
    `${pastStandard}: the cluster is billed for extended support now, until ${extendedEnd}${sourceNote}.`,
    ...observed,
  );
}
