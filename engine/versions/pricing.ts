import type { Provider } from '../../model/posture.js';

/** The hours a cluster runs in a year, as the providers' yearly figures count them. */
export const HOURS_PER_YEAR = 8760;

/** When a provider starts billing its extended plan. */
export type ExtendedSupportBilling = 'past-standard' | 'from-enrolment';

/** A provider's published price of paid extended support, in integer cents so sums never drift. */
export interface ExtendedSupportPricing {
  readonly provider: Provider;
  readonly plan: string;
  /** Cents per cluster-hour while billed for extended support. */
  readonly extendedCentsPerClusterHour: number;
  /** Cents per cluster-hour in standard support, which the cluster pays anyway. */
  readonly standardCentsPerClusterHour: number;
  readonly billing: ExtendedSupportBilling;
  /** When it bills, in words, for the report. */
  readonly billed: string;
  readonly source: string;
  /** `YYYY-MM-DD`: the day the price was read. */
  readonly checked: string;
}

// Read 2026-12-06. EKS: "$0.10 per cluster per hour" in standard support, "$0.60 per cluster per
// hour" in extended support; an EXTENDED upgrade policy bills only once standard support ends
// (https://docs.aws.amazon.com/eks/latest/userguide/enable-extended-support.html).
// GKE: "The GKE extended period cluster management fee is in addition to the GKE cluster management
// fee at $0.10 per cluster per hour, for a total of $0.60 per cluster per hour", on the Extended
// channel only and only while the minor is in its extended support period. AKS: long-term support
// needs the Premium tier, $0.60 per cluster-hour against $0.10 for the Standard tier, billed from
// enrolment whatever the version (https://learn.microsoft.com/azure/aks/long-term-support). The
// figures were read from quotations of the pricing pages below in stored copies of public documents,
// not from the live pages: check them there when a provider changes its prices.
const PRICES: Readonly<Record<Provider, ExtendedSupportPricing>> = {
  eks: {
    provider: 'eks',
    plan: 'EKS extended support',
    extendedCentsPerClusterHour: 60,
    standardCentsPerClusterHour: 10,
    billing: 'past-standard',
    billed: 'From the end of standard support, when the upgrade policy is EXTENDED (the default)',
    source: 'https://aws.amazon.com/eks/pricing/',
    checked: '2026-12-06',
  },
  gke: {
    provider: 'gke',
    plan: 'GKE extended support period (Extended channel)',
    extendedCentsPerClusterHour: 60,
    standardCentsPerClusterHour: 10,
    billing: 'past-standard',
    billed: 'From the end of standard support, on the Extended release channel only',
    source: 'https://cloud.google.com/kubernetes-engine/pricing',
    checked: '2026-12-06',
  },
  aks: {
    provider: 'aks',
    plan: 'AKS long-term support (Premium tier)',
    extendedCentsPerClusterHour: 60,
    standardCentsPerClusterHour: 10,
    billing: 'from-enrolment',
    billed:
      'From enrolment in long-term support, which needs the Premium tier; the extra is against the Standard tier',
    source: 'https://azure.microsoft.com/pricing/details/kubernetes-service/',
    checked: '2026-12-06',
  },
};

/** The price of a provider's paid extended support. */
export function extendedSupportPricing(provider: Provider): ExtendedSupportPricing {
  return PRICES[provider];
}

/** The extra a cluster pays in a year of extended support over standard support, in cents. */
export function yearlyExtraCents(pricing: ExtendedSupportPricing): number {
  return (pricing.extendedCentsPerClusterHour - pricing.standardCentsPerClusterHour) * HOURS_PER_YEAR;
}

/** Integer cents as a USD amount; exact to the cent. */
export function centsToUsd(cents: number): number {
  return cents / 100;
}
