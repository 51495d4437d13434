import type { Provider } from './posture.js';

/** Support window of one Kubernetes minor version on one provider. Dates are `YYYY-MM-DD`. */
export interface VersionSupportWindow {
  /** `1.33`. */
  readonly minorVersion: string;
  readonly releaseDate: string;
  readonly endOfStandardSupport: string;
  /** End of paid extended support (EKS, GKE Extended channel) or long-term support (AKS); null where the provider offers none. */
  readonly endOfExtendedSupport: string | null;
}

/** Version support data the version checks evaluate against. */
export interface SupportCalendar {
  /** The day the data was last checked against the providers' published calendars, `YYYY-MM-DD`. */
  readonly calendarDate: string;
  /** Where the dates come from, for the report. */
  readonly sources: Readonly<Record<Provider, string>>;
  readonly windows: Readonly<Record<Provider, readonly VersionSupportWindow[]>>;
}
