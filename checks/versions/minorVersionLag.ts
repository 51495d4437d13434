import { daysBetween } from '../../model/dates.js';
import { isUnknown } from '../../model/observed.js';
import { compareMinor, minorDistance } from '../../model/version.js';
import type { Check } from '../types.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../verdict.js';
import { VERSION_REMEDIATION } from './standardSupport.js';
import { notInCalendar, supportWindowOf, supportWindows } from './supportWindow.js';

/** VER-03: the control plane is at most `maxMinorLag` minors behind the newest available version. */
export const minorVersionLag: Check = {
  id: 'VER-03',
  title: 'The control plane is at most the allowed number of minors behind the newest version',
  rationale:
    'Each minor version skipped makes the next upgrade longer and riskier, since minors must be taken one at a time, and newer security features (and fixes only shipped in newer minors) stay out of reach.',
  category: 'versions',
  severity: 'low',
  source: 'api',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
  },
  remediation: {
    text: 'Upgrade the control plane one minor version at a time toward the newest available version, then the node pools.',
    ...VERSION_REMEDIATION,
  },
  evaluate(cluster, ctx) {
    const { version } = cluster;
    if (isUnknown(version)) return unknownVerdict('Control-plane version', version);
    if (!supportWindowOf(ctx, cluster.provider, version.value)) return notInCalendar(ctx, version);
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
    const minor = version.value.minorVersion;
    const newestMinor = newest.version.minorVersion;
    const lag = minorDistance(newest.version, version.value);
    const maxLag = ctx.settings.maxMinorLag;
    if (lag <= maxLag) {
      return pass(
        lag <= 0
          ? `Kubernetes ${minor} is the newest available version.`
          : `Kubernetes ${minor} is ${lag} minor(s) behind the newest available version, ${newestMinor}.`,
        version,
      );
    }
    return fail(
      Number.isNaN(lag)
        ? `Kubernetes ${minor} is on a different major version from the newest available version, ${newestMinor}.`
        : `Kubernetes ${minor} is ${lag} minors behind the newest available version, ${newestMinor} (at most ${maxLag} allowed).`,
      version,
    );
  },
};
