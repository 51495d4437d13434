import type { Known } from '../../model/observed.js';
import type { Provider } from '../../model/posture.js';
import type { VersionSupportWindow } from '../../model/support.js';
import type { KubernetesVersion } from '../../model/version.js';
import { compareMinor, parseKubernetesVersion } from '../../model/version.js';
import type { EvalContext, Verdict } from '../types.js';
import { evidenceOf } from '../verdict.js';

/** A support window with its minor version parsed, so versions compare as numbers (1.30 is not 1.3). */
export interface ParsedWindow {
  readonly window: VersionSupportWindow;
  readonly version: KubernetesVersion;
}

/** The provider's support windows whose minor version parses, in the calendar's order. */
export function supportWindows(ctx: EvalContext, provider: Provider): ParsedWindow[] {
  return ctx.support.windows[provider].flatMap((window) => {
    const version = parseKubernetesVersion(window.minorVersion);
    return version ? [{ window, version }] : [];
  });
}

/** The support window of a version's minor, if the calendar lists it. */
export function supportWindowOf(
  ctx: EvalContext,
  provider: Provider,
  version: KubernetesVersion,
): VersionSupportWindow | undefined {
  return supportWindows(ctx, provider).find((entry) => compareMinor(entry.version, version) === 0)?.window;
}

/** The verdict for a version the calendar does not know: never a pass. */
export function notInCalendar(ctx: EvalContext, version: Known<KubernetesVersion>): Verdict {
  return {
    status: 'unknown',
    message: `Kubernetes ${version.value.minorVersion} is not in the support calendar dated ${ctx.support.calendarDate}.`,
    evidence: evidenceOf(version),
  };
}
