import type { ComplianceRef, Framework } from '../../model/finding.js';
import type { Provider } from '../../model/posture.js';

/** How a benchmark control is covered by kubeline. */
export type ControlCoverage =
  /** Decided by the checks listed in `checks`. */
  | 'automated'
  /** Secured by the provider on a managed control plane; listed in the report, not evaluated. */
  | 'provider-managed'
  /** Needs in-cluster or node access, or human judgement; not evaluated from the cloud APIs. */
  | 'not-automated';

export interface BenchmarkControl {
  readonly control: string;
  readonly title: string;
  readonly coverage: ControlCoverage;
  /** Check ids that decide this control. */
  readonly checks: readonly string[];
}

export interface Benchmark {
  readonly framework: Framework;
  readonly provider: Provider;
  readonly version: string;
  readonly title: string;
  readonly controls: readonly BenchmarkControl[];
}

/** CIS Amazon EKS Benchmark 1.8.0: the controls kubeline evaluates or attributes to the provider. */
export const CIS_EKS: Benchmark = {
  framework: 'cis-eks',
  provider: 'eks',
  version: '1.8.0',
  title: 'CIS Amazon EKS Benchmark',
  controls: [
    {
      control: '5.4.2',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01'],
    },
  ],
};

/** CIS Google Kubernetes Engine (GKE) Benchmark 1.9.0. */
export const CIS_GKE: Benchmark = {
  framework: 'cis-gke',
  provider: 'gke',
  version: '1.9.0',
  title: 'CIS Google Kubernetes Engine (GKE) Benchmark',
  controls: [
    {
      control: '5.6.4',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01'],
    },
  ],
};

/** CIS Azure Kubernetes Service (AKS) Benchmark 1.8.0. */
export const CIS_AKS: Benchmark = {
  framework: 'cis-aks',
  provider: 'aks',
  version: '1.8.0',
  title: 'CIS Azure Kubernetes Service (AKS) Benchmark',
  controls: [
    {
      control: '5.4.2',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01'],
    },
  ],
};

export const BENCHMARKS: readonly Benchmark[] = [CIS_EKS, CIS_GKE, CIS_AKS];

/** The benchmark controls a check satisfies on one provider, from the data above. */
export function complianceFor(checkId: string, provider: Provider): ComplianceRef[] {
  return BENCHMARKS.filter((benchmark) => benchmark.provider === provider).flatMap((benchmark) =>
    benchmark.controls
      .filter((control) => control.checks.includes(checkId))
      .map((control) => ({ framework: benchmark.framework, version: benchmark.version, control: control.control })),
  );
}
