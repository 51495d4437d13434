import { dayCount, daysBetween } from '../../model/dates.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import {
  notInSupportData,
  olderThanCalendar,
  predatingSupportData,
  resolveSupportWindow,
} from '../support/supportWindow.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import { VERSION_REMEDIATION } from '../support/versionRemediation.js';
import type { Check, EvalContext, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'shared',
  reads: ['version', 'versionSupport'],
  evaluate: evaluateWarning,
};

/** VER-02: end of standard support is more than `eosWarningDays` away. */
export const endOfSupportWarning: Check = {
  id: 'VER-02',
  title: 'End of standard support is more than the warning period away',
  rationale:
    'Upgrades need testing and scheduling; a cluster close to the end of standard support is about to lose security fixes or be force-upgraded, leaving no time to plan.',
  category: 'versions',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Plan and run the upgrade to the next minor version before standard support ends.',
    ...VERSION_REMEDIATION,
  },
};

function evaluateWarning(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const { version } = cluster;
  if (isUnknown(version)) return unknownVerdict('Control-plane version', version);
  const resolved = resolveSupportWindow(ctx, cluster, version.value);
  if (!resolved) {
    const predating = predatingSupportData(ctx, cluster, version.value);
    if (!predating) return notInSupportData(ctx, cluster, version);
    return fail(
      `${olderThanCalendar(ctx, version.value, predating.oldest)}: its standard support ended before ${predating.oldest.endOfStandardSupport}.`,
      version,
      ...predating.basis,
    );
  }
  const { window, sourceNote, basis } = resolved;
  const minor = version.value.minorVersion;
  const end = window.endOfStandardSupport;
  const daysLeft = daysBetween(ctx.asOf, end);
  const warningDays = ctx.settings.eosWarningDays;
  if (daysLeft > warningDays) {
    return pass(
      `Standard support for Kubernetes ${minor} ends on ${end}, ${dayCount(daysLeft)} away${sourceNote}.`,
      version,
      ...basis,
    );
  }
  if (daysLeft < 0) {
    return fail(
      `Standard support for Kubernetes ${minor} ended on ${end}, ${dayCount(-daysLeft)} ago${sourceNote}.`,
      version,
      ...basis,
    );
  }
  return fail(
    `Standard support for Kubernetes ${minor} ends on ${end}, in ${dayCount(daysLeft)} (warning period ${dayCount(warningDays)})${sourceNote}.`,
    version,
    ...basis,
  );
}
