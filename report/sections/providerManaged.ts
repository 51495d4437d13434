import type { Benchmark } from '../../checks/frameworks/cis.js';
import { PROVIDER_NAMES, type Provider } from '../../model/posture.js';
import type { ProviderManagedControls, ReportProviderManaged } from '../../model/reportView.js';
import { compareControls } from '../compliance.js';
import { complianceLabel, reportCompliance } from './labels.js';
import { link } from './links.js';

/** What the provider-managed section is built from. */
export interface ProviderManagedInput {
  readonly providerManaged: ProviderManagedControls;
  readonly sharedResponsibilityPages: Readonly<Partial<Record<Provider, string>>>;
  readonly benchmarks: readonly Benchmark[];
}

/** Per provider in the run, the controls it secures and the benchmark controls it is given. */
export function buildProviderManaged(
  input: ProviderManagedInput,
  providers: readonly Provider[],
): ReportProviderManaged[] {
  return providers.map((provider) => {
    const benchmarkControls = input.benchmarks
      .filter((benchmark) => benchmark.provider === provider)
      .flatMap((benchmark) =>
        benchmark.controls
          .filter((control) => control.coverage === 'provider-managed')
          .map((control) => ({ benchmark, control })),
      )
      .sort((a, b) => compareControls(a.control.control, b.control.control))
      .map(({ benchmark, control }) => ({
        label: complianceLabel({
          framework: benchmark.framework,
          version: benchmark.version,
          control: control.control,
        }),
        title: control.title,
      }));
    const controls = (input.providerManaged[provider] ?? []).map((control) => ({
      title: control.title,
      description: control.description,
      compliance: reportCompliance(control.compliance ?? []),
      reference: link(control.reference),
    }));
    const page = input.sharedResponsibilityPages[provider];
    return {
      provider,
      providerName: PROVIDER_NAMES[provider],
      sharedResponsibility: page === undefined ? null : link(page),
      controls,
      benchmarkControls,
      empty: controls.length === 0 && benchmarkControls.length === 0,
    };
  });
}
