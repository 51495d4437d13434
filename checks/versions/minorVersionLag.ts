import { daysBetween } from '../../model/dates.js';
import type { Known, Observed } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { KubernetesVersion } from '../../model/version.js';
import { compareMinor, minorDistance, parseKubernetesVersion } from '../../model/version.js';
import {
  liveSupport,
  notInSupportData,
  predatingSupportData,
  supportWindowOf,
  supportWindows,
} from '../support/supportWindow.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../support/verdict.js';
import { VERSION_REMEDIATION } from '../support/versionRemediation.js';
import type { Check, EvalContext, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['version', 'versionSupport'],
  evaluate: evaluateLag,
};

/** VER-03: the control plane is at most `maxMinorLag` minors behind the newest available version. */
export const minorVersionLag: Check = {
  id: 'VER-03',
  title: 'The control plane is at most the allowed number of minors behind the newest version',
  rationale:
    'Each minor version skipped makes the next upgrade longer and riskier, since minors must be taken one at a time, and newer security features (and fixes only shipped in newer minors) stay out of reach.',
  category: 'versions',
  severity: 'low',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Upgrade the control plane one minor version at a time toward the newest available version, then the node pools.',
    ...VERSION_REMEDIATION,
  },
};

function judgeLag(
  ctx: EvalContext,
  version: Known<KubernetesVersion>,
  newest: KubernetesVersion,
  sourceNote: string,
  basis: readonly Observed<unknown>[],
): Verdict {
  const minor = version.value.minorVersion;
  const newestMinor = newest.minorVersion;
  const lag = minorDistance(newest, version.value);
  const maxLag = ctx.settings.maxMinorLag;
  if (lag <= maxLag) {
    return pass(
      lag <= 0
        ? `Kubernetes ${minor} is the newest available version${sourceNote}.`
        : `Kubernetes ${minor} is ${lag} minor(s) behind the newest available version, ${newestMinor}${sourceNote}.`,
      version,
      ...basis,
    );
  }
  return fail(
    Number.isNaN(lag)
      ? `Kubernetes ${minor} is on a different major version from the newest available version, ${newestMinor}${sourceNote}.`
      : `Kubernetes ${minor} is ${lag} minors behind the newest available version, ${newestMinor} (at most ${maxLag} allowed)${sourceNote}.`,
    version,
    ...basis,
  );
}

function evaluateLag(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const { version } = cluster;
  if (isUnknown(version)) return unknownVerdict('Control-plane version', version);
  const live = liveSupport(cluster);
  if (live) {
    // The provider's own newest version for the cluster's location wins: the calendar cannot know
    // what a region or release channel offers today.
    const newest = parseKubernetesVersion(live.value.newestMinorVersion);
    if (newest) return judgeLag(ctx, version, newest, ` (per ${live.value.source})`, [live]);
  }
  // A minor older than the whole calendar is still measured from the newest: it is far behind.
  const listed =
    supportWindowOf(ctx, cluster.provider, version.value) ??
    predatingSupportData(ctx, cluster, version.value);
  if (!listed) return notInSupportData(ctx, cluster, version);
  const released = supportWindows(ctx, cluster.provider).filter(
    (entry) => daysBetween(entry.window.releaseDate, ctx.asOf) >= 0,
  );
  const newest = released.reduce<(typeof released)[number] | undefined>(
    (best, entry) => (best === undefined || compareMinor(entry.version, best.version) > 0 ? entry : best),
    undefined,
  );
  if (!newest) {
    return {
      status: 'unknown',
      message: `The support calendar dated ${ctx.support.calendarDate} lists no version released by ${ctx.asOf}.`,
      evidence: evidenceOf(version),
    };
  }
  const note = live
    ? ` (${live.value.source} names no usable newest version, ${JSON.stringify(live.value.newestMinorVersion)}; newest from the support calendar dated ${ctx.support.calendarDate})`
    : '';
  return judgeLag(ctx, version, newest.version, note, live ? [live] : []);
}
