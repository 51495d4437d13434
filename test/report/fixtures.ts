import type { Benchmark } from '../../checks/frameworks/cis.js';
import type { Check, SharedRule } from '../../checks/types.js';
import type { Finding } from '../../model/finding.js';
import type { ProviderManagedControls } from '../../model/reportView.js';
import type { RunInfo } from '../../model/run.js';
import type { ReportInput } from '../../report/build.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';

/** A rule for report tests; the report stage never evaluates. */
const NEVER_EVALUATED: SharedRule = {
  responsibility: 'customer',
  reads: [],
  evaluate: () => {
    throw new Error('the report stage never evaluates');
  },
};

/** A catalogue entry for report tests; `evaluate` is never called by the report stage. */
export function check(id: string, overrides: Partial<Check> = {}): Check {
  return {
    id,
    title: `Title of ${id}`,
    rationale: `Why ${id} matters.`,
    category: 'endpoint',
    severity: 'high',
    source: 'api',
    providers: { eks: NEVER_EVALUATED, gke: NEVER_EVALUATED, aks: NEVER_EVALUATED },
    remediation: {
      text: `Fix ${id}.`,
      cli: { eks: `aws eks fix-${id} --name <cluster>`, gke: `gcloud container fix-${id} <cluster>` },
      links: ['https://docs.example/fix', 'javascript:alert(1)'],
    },
    ...overrides,
  };
}

export const EKS_ID = 'arn:aws:eks:eu-west-1:111111111111:cluster/prod';
export const GKE_ID = 'projects/acme-prod/locations/europe-west1/clusters/web';
export const AKS_ID =
  '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1';

export const CLUSTERS = [
  gkePosture({
    id: GKE_ID,
    name: 'web',
    scope: 'acme-prod',
    location: 'europe-west1',
    tags: { team: 'web' },
  }),
  eksPosture({
    id: EKS_ID,
    name: 'prod',
    scope: '111111111111',
    location: 'eu-west-1',
    tags: { team: 'payments', env: 'prod' },
  }),
  aksPosture({ id: AKS_ID, name: 'aks1', scope: '0000', location: 'westeurope' }),
];

/** A finding as the engine emits it; override what the test is about. */
export function finding(overrides: Partial<Finding> & Pick<Finding, 'checkId' | 'clusterId'>): Finding {
  return {
    provider: 'eks',
    status: 'pass',
    severity: 'high',
    responsibility: 'customer',
    message: `${overrides.checkId} message`,
    evidence: [{ path: 'cluster.field', value: true }],
    compliance: [],
    ...overrides,
  };
}

export const FINDINGS: readonly Finding[] = [
  finding({
    checkId: 'EP-01',
    clusterId: EKS_ID,
    status: 'fail',
    message: 'The API server has a public endpoint.',
    evidence: [
      { path: 'cluster.resourcesVpcConfig.endpointPublicAccess', value: true },
      { path: 'cluster.resourcesVpcConfig.publicAccessCidrs', value: ['0.0.0.0/0'] },
    ],
    compliance: [{ framework: 'cis-eks', version: '1.8.0', control: '5.4.2' }],
  }),
  finding({
    checkId: 'EP-01',
    clusterId: GKE_ID,
    provider: 'gke',
    status: 'pass',
    compliance: [{ framework: 'cis-gke', version: '1.9.0', control: '5.6.4' }],
  }),
  finding({
    checkId: 'EP-01',
    clusterId: AKS_ID,
    provider: 'aks',
    status: 'waived',
    waiver: {
      reason: 'VPN migration',
      owner: 'platform@acme.example',
      expires: '2026-12-05',
      originalStatus: 'fail',
    },
  }),
  finding({
    checkId: 'AUD-01',
    clusterId: EKS_ID,
    status: 'unknown',
    severity: 'high',
    responsibility: 'shared',
  }),
  finding({
    checkId: 'AUD-01',
    clusterId: GKE_ID,
    provider: 'gke',
    status: 'pass',
    responsibility: 'shared',
  }),
  finding({
    checkId: 'AUD-01',
    clusterId: AKS_ID,
    provider: 'aks',
    status: 'fail',
    severity: 'critical',
    responsibility: 'shared',
  }),
  finding({ checkId: 'AUTH-03', clusterId: EKS_ID, status: 'error', severity: 'medium' }),
  finding({
    checkId: 'AUTH-03',
    clusterId: GKE_ID,
    provider: 'gke',
    status: 'not_applicable',
    severity: 'medium',
    message: 'GKE has no aws-auth ConfigMap.',
  }),
  finding({
    checkId: 'RBAC-01',
    clusterId: EKS_ID,
    status: 'pass',
    severity: 'critical',
    responsibility: 'provider',
  }),
];

export const CHECKS: readonly Check[] = [
  check('AUTH-03', { severity: 'medium', category: 'identity' }),
  check('RBAC-01', { severity: 'critical', category: 'identity' }),
  check('EP-01'),
  check('AUD-01', { category: 'audit' }),
  check('NET-02', { severity: 'medium', category: 'network', source: 'k8s' }),
];

export const BENCHMARKS: readonly Benchmark[] = [
  {
    framework: 'cis-eks',
    provider: 'eks',
    version: '1.8.0',
    title: 'CIS Amazon EKS Benchmark',
    controls: [
      {
        control: '5.4.2',
        title: 'Private endpoint',
        assessment: 'Manual',
        coverage: 'automated',
        checks: ['EP-01'],
      },
      {
        control: '5.10.1',
        title: 'Later control',
        assessment: 'Automated',
        coverage: 'manual',
        checks: [],
        verify: 'Look at the later setting: compliant when it is on.',
      },
      {
        control: '2.1.1',
        title: 'Audit logs',
        assessment: null,
        coverage: 'automated',
        checks: ['AUD-01'],
      },
      {
        control: '1.1.1',
        title: 'Control plane files',
        assessment: 'Automated',
        coverage: 'provider-managed',
        checks: [],
        note: 'The provider owns the control-plane nodes.',
      },
    ],
  },
  {
    framework: 'cis-gke',
    provider: 'gke',
    version: '1.9.0',
    title: 'CIS GKE Benchmark',
    controls: [
      {
        control: '5.6.4',
        title: 'Private endpoint',
        assessment: 'Automated',
        coverage: 'automated',
        checks: ['EP-01'],
      },
    ],
  },
];

export const PROVIDER_MANAGED: ProviderManagedControls = {
  eks: [
    {
      title: 'etcd encryption at rest',
      description: 'EKS encrypts the etcd volumes.',
      reference: 'https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html',
    },
  ],
  aks: [],
};

export const SHARED_RESPONSIBILITY_PAGES = {
  eks: 'https://docs.aws.amazon.com/eks/latest/best-practices/security.html',
  aks: 'https://learn.microsoft.com/azure/aks/concepts-security',
} as const;

export const RUN: RunInfo = {
  id: '20261129T020000Z-abc123',
  trigger: 'schedule',
  startedAt: '2026-11-29T02:00:00.000Z',
  finishedAt: '2026-11-29T02:04:12.000Z',
  asOf: '2026-11-29',
  complete: true,
  apiCalls: { calls: 1204, retries: 3, failures: 1 },
  calendarDate: '2026-11-01',
};

/** A complete three-cloud run; override what the test is about. */
export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    tool: { name: 'kubeline', version: '0.1.0' },
    run: RUN,
    scopes: [
      { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
      { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 },
      { provider: 'aks', scope: '0000', status: 'ok', clusters: 1 },
    ],
    clusters: CLUSTERS,
    findings: FINDINGS,
    checks: CHECKS,
    benchmarks: BENCHMARKS,
    waiverNotices: {
      expired: [
        {
          check: 'AUD-01',
          selector: 'provider aks',
          owner: 'ops@acme.example',
          reason: 'Diagnostic settings rollout',
          expires: '2026-11-20',
        },
      ],
      expiringSoon: [
        {
          check: 'EP-01',
          selector: 'provider aks, name aks*',
          owner: 'platform@acme.example',
          reason: 'VPN migration',
          expires: '2026-12-05',
        },
      ],
    },
    providerManaged: PROVIDER_MANAGED,
    sharedResponsibilityPages: SHARED_RESPONSIBILITY_PAGES,
    problems: [],
    notices: [],
    ...overrides,
  };
}
