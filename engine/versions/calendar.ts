import type { SupportCalendar, VersionSupportWindow } from '../../model/support.js';

// Written from the providers' published support calendars (as collected by endoflife.date,
// checked 2026-08-22), newest first. `endOfExtendedSupport` is EKS extended support, GKE extended
// support on the Extended channel and AKS long-term support.

const EKS_WINDOWS: readonly VersionSupportWindow[] = [
  {
    minorVersion: '1.36',
    releaseDate: '2026-06-02',
    endOfStandardSupport: '2027-08-02',
    endOfExtendedSupport: '2028-08-02',
  },
  {
    minorVersion: '1.35',
    releaseDate: '2026-01-28',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
  },
  {
    minorVersion: '1.34',
    releaseDate: '2025-10-06',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
  },
  {
    minorVersion: '1.33',
    releaseDate: '2025-05-28',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
  },
  {
    minorVersion: '1.32',
    releaseDate: '2025-01-25',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
  },
  {
    minorVersion: '1.31',
    releaseDate: '2024-09-26',
    endOfStandardSupport: '2025-11-26',
    endOfExtendedSupport: '2026-11-26',
  },
  {
    minorVersion: '1.30',
    releaseDate: '2024-05-23',
    endOfStandardSupport: '2025-07-23',
    endOfExtendedSupport: '2026-07-23',
  },
  {
    minorVersion: '1.29',
    releaseDate: '2024-01-23',
    endOfStandardSupport: '2025-03-23',
    endOfExtendedSupport: '2026-03-23',
  },
  {
    minorVersion: '1.28',
    releaseDate: '2023-09-26',
    endOfStandardSupport: '2024-11-26',
    endOfExtendedSupport: '2025-11-26',
  },
  {
    minorVersion: '1.27',
    releaseDate: '2023-05-24',
    endOfStandardSupport: '2024-07-24',
    endOfExtendedSupport: '2025-07-24',
  },
  {
    minorVersion: '1.26',
    releaseDate: '2023-04-11',
    endOfStandardSupport: '2024-06-11',
    endOfExtendedSupport: '2025-06-11',
  },
  {
    minorVersion: '1.25',
    releaseDate: '2023-02-21',
    endOfStandardSupport: '2024-05-01',
    endOfExtendedSupport: '2025-05-01',
  },
  {
    minorVersion: '1.24',
    releaseDate: '2022-11-15',
    endOfStandardSupport: '2024-01-31',
    endOfExtendedSupport: '2025-01-31',
  },
  {
    minorVersion: '1.23',
    releaseDate: '2022-08-11',
    endOfStandardSupport: '2023-10-11',
    endOfExtendedSupport: '2024-10-11',
  },
  {
    minorVersion: '1.22',
    releaseDate: '2022-04-04',
    endOfStandardSupport: '2023-06-04',
    endOfExtendedSupport: '2024-09-01',
  },
  {
    minorVersion: '1.21',
    releaseDate: '2021-07-19',
    endOfStandardSupport: '2023-02-16',
    endOfExtendedSupport: '2024-07-15',
  },
  {
    minorVersion: '1.20',
    releaseDate: '2021-05-18',
    endOfStandardSupport: '2022-11-01',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.19',
    releaseDate: '2021-02-16',
    endOfStandardSupport: '2022-08-01',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.18',
    releaseDate: '2020-10-13',
    endOfStandardSupport: '2022-08-15',
    endOfExtendedSupport: null,
  },
];

// endoflife.date has no GKE extended-support dates. Google's rule, checked 2026-12-06: from 1.27,
// a minor gets up to 24 months of support from its availability in the Regular channel (the
// release date here), the last ~10 on the Extended channel
// (https://cloud.google.com/kubernetes-engine/versioning,
// https://cloud.google.com/blog/products/containers-kubernetes/announcing-gke-extended-support).
// So the end of extended support is the release date plus 24 months from 1.27 on, null before.
const GKE_WINDOWS: readonly VersionSupportWindow[] = [
  {
    minorVersion: '1.36',
    releaseDate: '2026-06-09',
    endOfStandardSupport: '2027-08-09',
    endOfExtendedSupport: '2028-06-09',
  },
  {
    minorVersion: '1.35',
    releaseDate: '2026-02-11',
    endOfStandardSupport: '2027-04-11',
    endOfExtendedSupport: '2028-02-11',
  },
  {
    minorVersion: '1.34',
    releaseDate: '2025-09-30',
    endOfStandardSupport: '2026-10-01',
    endOfExtendedSupport: '2027-09-30',
  },
  {
    minorVersion: '1.33',
    releaseDate: '2025-06-03',
    endOfStandardSupport: '2026-08-03',
    endOfExtendedSupport: '2027-06-03',
  },
  {
    minorVersion: '1.32',
    releaseDate: '2025-02-11',
    endOfStandardSupport: '2026-04-11',
    endOfExtendedSupport: '2027-02-11',
  },
  {
    minorVersion: '1.31',
    releaseDate: '2024-10-25',
    endOfStandardSupport: '2026-01-16',
    endOfExtendedSupport: '2026-10-25',
  },
  {
    minorVersion: '1.30',
    releaseDate: '2024-07-31',
    endOfStandardSupport: '2025-09-30',
    endOfExtendedSupport: '2026-07-31',
  },
  {
    minorVersion: '1.29',
    releaseDate: '2024-01-26',
    endOfStandardSupport: '2025-04-12',
    endOfExtendedSupport: '2026-01-26',
  },
  {
    minorVersion: '1.28',
    releaseDate: '2023-12-04',
    endOfStandardSupport: '2025-02-04',
    endOfExtendedSupport: '2025-12-04',
  },
  {
    minorVersion: '1.27',
    releaseDate: '2023-06-15',
    endOfStandardSupport: '2024-10-01',
    endOfExtendedSupport: '2025-06-15',
  },
  {
    minorVersion: '1.26',
    releaseDate: '2023-03-31',
    endOfStandardSupport: '2024-06-30',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.25',
    releaseDate: '2022-12-14',
    endOfStandardSupport: '2024-03-30',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.24',
    releaseDate: '2022-06-23',
    endOfStandardSupport: '2023-10-31',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.23',
    releaseDate: '2022-05-03',
    endOfStandardSupport: '2023-07-31',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.22',
    releaseDate: '2022-03-07',
    endOfStandardSupport: '2023-04-30',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.21',
    releaseDate: '2021-10-01',
    endOfStandardSupport: '2023-01-31',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.20',
    releaseDate: '2021-06-09',
    endOfStandardSupport: '2022-08-01',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.19',
    releaseDate: '2021-04-14',
    endOfStandardSupport: '2022-06-01',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.18',
    releaseDate: '2021-03-29',
    endOfStandardSupport: '2022-03-01',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.17',
    releaseDate: '2021-03-29',
    endOfStandardSupport: '2021-11-01',
    endOfExtendedSupport: null,
  },
];

const AKS_WINDOWS: readonly VersionSupportWindow[] = [
  {
    minorVersion: '1.36',
    releaseDate: '2026-06-30',
    endOfStandardSupport: '2027-06-30',
    endOfExtendedSupport: '2028-06-30',
  },
  {
    minorVersion: '1.35',
    releaseDate: '2026-03-05',
    endOfStandardSupport: '2027-03-31',
    endOfExtendedSupport: '2028-03-31',
  },
  {
    minorVersion: '1.34',
    releaseDate: '2026-01-04',
    endOfStandardSupport: '2026-11-30',
    endOfExtendedSupport: '2027-11-30',
  },
  {
    minorVersion: '1.33',
    releaseDate: '2025-06-17',
    endOfStandardSupport: '2026-07-31',
    endOfExtendedSupport: '2027-07-31',
  },
  {
    minorVersion: '1.32',
    releaseDate: '2025-04-06',
    endOfStandardSupport: '2026-03-31',
    endOfExtendedSupport: '2027-03-31',
  },
  {
    minorVersion: '1.31',
    releaseDate: '2024-10-25',
    endOfStandardSupport: '2025-11-01',
    endOfExtendedSupport: '2026-11-30',
  },
  {
    minorVersion: '1.30',
    releaseDate: '2024-08-05',
    endOfStandardSupport: '2025-08-22',
    endOfExtendedSupport: '2026-07-31',
  },
  {
    minorVersion: '1.29',
    releaseDate: '2024-03-18',
    endOfStandardSupport: '2025-03-31',
    endOfExtendedSupport: '2026-04-30',
  },
  {
    minorVersion: '1.28',
    releaseDate: '2023-11-07',
    endOfStandardSupport: '2025-01-31',
    endOfExtendedSupport: '2026-02-28',
  },
  {
    minorVersion: '1.27',
    releaseDate: '2023-08-16',
    endOfStandardSupport: '2024-07-31',
    endOfExtendedSupport: '2025-07-31',
  },
  {
    minorVersion: '1.26',
    releaseDate: '2023-04-18',
    endOfStandardSupport: '2024-04-11',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.25',
    releaseDate: '2022-12-14',
    endOfStandardSupport: '2024-01-14',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.24',
    releaseDate: '2022-08-17',
    endOfStandardSupport: '2023-07-31',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.23',
    releaseDate: '2022-04-26',
    endOfStandardSupport: '2023-04-02',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.22',
    releaseDate: '2022-01-10',
    endOfStandardSupport: '2022-12-04',
    endOfExtendedSupport: null,
  },
  {
    minorVersion: '1.21',
    releaseDate: '2021-08-18',
    endOfStandardSupport: '2022-07-31',
    endOfExtendedSupport: null,
  },
];

/** The bundled calendar: the fallback when a provider's live version API is not read. */
export const SUPPORT_CALENDAR: SupportCalendar = {
  calendarDate: '2026-08-22',
  sources: {
    eks: 'Amazon EKS Kubernetes release calendar (standard and extended support)',
    gke: 'GKE release schedule (end of standard support); end of extended support: Regular-channel release plus 24 months, per GKE versioning and support',
    aks: 'AKS Kubernetes release calendar (community support and long-term support)',
  },
  windows: { eks: EKS_WINDOWS, gke: GKE_WINDOWS, aks: AKS_WINDOWS },
};
