import type { ComplianceRef } from '../../model/finding.js';
import type { Provider } from '../../model/posture.js';
import type { Benchmark } from './benchmark.js';
import { CIS_AKS } from './cisAks.js';
import { CIS_EKS } from './cisEks.js';
import { CIS_GKE } from './cisGke.js';

export type {
  AutomatedControl,
  Benchmark,
  BenchmarkControl,
  CisAssessment,
  ControlCoverage,
  ManualControl,
  ProviderManagedBenchmarkControl,
} from './benchmark.js';
export { CONTROL_COVERAGES } from './benchmark.js';
export { CIS_AKS, CIS_EKS, CIS_GKE };

// Each benchmark lists every item of the published CIS item list. The managed benchmarks carry
// no items for control-plane nodes or etcd: those are in providerManaged.ts. The in-cluster
// checks decide their items only when the optional in-cluster pass runs (or an in-cluster export
// is read); without it they are unknown, never a pass.

export const BENCHMARKS: readonly Benchmark[] = [CIS_EKS, CIS_GKE, CIS_AKS];

/** The benchmark controls a check decides on one provider, from the data above. */
export function complianceFor(checkId: string, provider: Provider): ComplianceRef[] {
  return BENCHMARKS.filter((benchmark) => benchmark.provider === provider).flatMap((benchmark) =>
    benchmark.controls
      .filter((control) => (control.checks as readonly string[]).includes(checkId))
      .map((control) => ({
        framework: benchmark.framework,
        version: benchmark.version,
        control: control.control,
      })),
  );
}

/** The checks that decide at least one control of the benchmark, in catalogue-independent order. */
export function checksOf(benchmark: Benchmark): string[] {
  return [...new Set(benchmark.controls.flatMap((control) => control.checks))];
}
