import { daysBetween } from '../../model/dates.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import {
  notInSupportData,
  olderThanCalendar,
  predatingSupportData,
  resolveSupportWindow,
} from '../support/supportWindow.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../support/verdict.js';
import { VERSION_REMEDIATION } from '../support/versionRemediation.js';
import type { Check, EvalContext, SharedRule, Verdict } from '../types.js';

/** What a cluster past standard support has, by provider, with and without the extended plan. */
const SUPPORT_PLANS = {
  eks: {
    enrolled: 'paid extended support (upgrade policy EXTENDED)',
    notEnrolled:
      'the upgrade policy is STANDARD, so it gets no extended support and EKS upgrades it automatically',
  },
  gke: {
    enrolled: 'extended support on the Extended channel',
    notEnrolled:
      'the cluster is not on the Extended channel, so it gets no extended support and GKE upgrades it automatically',
  },
  aks: {
    enrolled: 'long-term support',
    notEnrolled: 'the cluster is not on the long-term support plan, so it has no support',
  },
} as const;

const RULE: SharedRule = {
  responsibility: 'shared',
  reads: ['version', 'versionSupport', 'supportPlan'],
  evaluate: evaluateSupport,
};

/** VER-01: the control plane's minor version is in standard support. */
export const standardSupport: Check = {
  id: 'VER-01',
  title: "The control plane's minor version is in standard support",
  rationale:
    'A minor version past standard support gets no more Kubernetes security fixes from the community and, outside paid extended support, none from the provider either; providers then force-upgrade on their schedule.',
  category: 'versions',
  severity: 'high',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Upgrade the control plane one minor version at a time to a version in standard support, then the node pools.',
    ...VERSION_REMEDIATION,
  },
};

/** A verdict raised to critical: the minor has no support left (CHECKS.md VER-01). */
function critical(verdict: Verdict): Verdict {
  return { ...verdict, severity: 'critical' };
}

function evaluateSupport(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const { version, supportPlan } = cluster;
  if (isUnknown(version)) return unknownVerdict('Control-plane version', version);
  const resolved = resolveSupportWindow(ctx, cluster, version.value);
  if (!resolved) {
    const predating = predatingSupportData(ctx, cluster, version.value);
    if (!predating) return notInSupportData(ctx, cluster, version);
    return critical(
      fail(
        `${olderThanCalendar(ctx, version.value, predating.oldest)}: it is past every support window.`,
        version,
        ...predating.basis,
      ),
    );
  }
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
  const plan = SUPPORT_PLANS[cluster.provider];
  // Extended support covers a cluster only when it is enrolled in the plan: the plan comes first.
  // A cluster known not to be enrolled has no support left (critical); one whose plan could not
  // be read fails at the check's own severity below, since critical would rest on unread data.
  if (!isUnknown(supportPlan) && supportPlan.value === 'standard') {
    return critical(
      fail(`${pastStandard}; ${plan.notEnrolled}${sourceNote}.`, version, ...basis, supportPlan),
    );
  }
  const extendedEnd = window.endOfExtendedSupport;
  if (extendedEnd === null) {
    return critical(
      fail(
        `${pastStandard}; ${source} lists no extended support for it${sourceNote}.`,
        version,
        ...basis,
        supportPlan,
      ),
    );
  }
  if (daysBetween(ctx.asOf, extendedEnd) < 0) {
    return critical(
      fail(
        `${pastStandard} and extended support ended on ${extendedEnd}${sourceNote}.`,
        version,
        ...basis,
        supportPlan,
      ),
    );
  }
  if (isUnknown(supportPlan)) {
    return {
      status: 'fail',
      message: `${pastStandard}${sourceNote}; the support plan could not be read (${supportPlan.unknown}), so it may not be covered by extended support until ${extendedEnd}.`,
      evidence: evidenceOf(version, ...basis, supportPlan),
    };
  }
  return fail(
    `${pastStandard}; it runs on ${plan.enrolled} until ${extendedEnd}${sourceNote}.`,
    version,
    ...basis,
    supportPlan,
  );
}
