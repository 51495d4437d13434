import { BENCHMARKS, type Benchmark, checksOf } from '../checks/frameworks/cis.js';
import type { PipelineDeps } from '../engine/pipeline.js';
import type { PostureSource } from '../engine/ports.js';
import { FRAMEWORKS } from '../model/finding.js';
import { PROVIDER_NAMES, type Provider } from '../model/posture.js';
import { UsageError } from './errors.js';

/** The benchmark `--framework` names; bad usage (exit 64) with the allowed values otherwise. */
export function benchmarkFor(framework: string): Benchmark {
  const benchmark = BENCHMARKS.find((candidate) => candidate.framework === framework);
  if (benchmark === undefined) {
    throw new UsageError(
      `--framework takes one of ${FRAMEWORKS.join(', ')}; got ${JSON.stringify(framework)}`,
    );
  }
  return benchmark;
}

/**
 * The providers a `scan --framework` reads live: the benchmark's own, if `--provider` (else the
 * configured targets, else nothing with `--from`) includes it.
 */
export function liveProvidersFor(
  benchmark: Benchmark,
  candidates: readonly Provider[],
  explicit: boolean,
): Provider[] {
  if (candidates.includes(benchmark.provider)) return [benchmark.provider];
  if (explicit) {
    throw new UsageError(
      `--framework ${benchmark.framework} covers ${PROVIDER_NAMES[benchmark.provider]} clusters only; --provider ${candidates.join(',')} leaves nothing to scan`,
    );
  }
  return [];
}

/**
 * A source that keeps only one provider's clusters. Scopes of other providers go, and so does an
 * exported file that held only their clusters; a file that could not be read stays (it may have
 * held this provider's clusters, and the run is then incomplete), as do all problems.
 */
export function limitToProvider(source: PostureSource, provider: Provider): PostureSource {
  return {
    name: source.name,
    async collect() {
      const result = await source.collect();
      const postures = result.postures.filter((posture) => posture.provider === provider);
      const others = new Set(
        result.postures.filter((posture) => posture.provider !== provider).map((posture) => posture.id),
      );
      const perFile = new Map<string, number>();
      for (const posture of postures) {
        if (posture.origin.kind === 'snapshot') {
          perFile.set(posture.origin.file, (perFile.get(posture.origin.file) ?? 0) + 1);
        }
      }
      const scopes = result.scopes.flatMap((scope) => {
        if (scope.provider !== 'snapshot') return scope.provider === provider ? [scope] : [];
        if (scope.status === 'error') return [scope];
        const clusters = perFile.get(scope.scope) ?? 0;
        return clusters > 0 ? [{ ...scope, clusters }] : [];
      });
      return {
        ...result,
        postures,
        scopes,
        ...(result.notices === undefined
          ? {}
          : { notices: result.notices.filter((notice) => !others.has(notice.cluster)) }),
      };
    },
    ...(source.close === undefined ? {} : { close: source.close.bind(source) }),
  };
}

/**
 * The pipeline of a `scan --framework` run: only the benchmark's provider's clusters, only the
 * checks its controls map (less any the configuration disables), and a report that leads with it.
 */
export function limitToBenchmark(deps: PipelineDeps, benchmark: Benchmark): PipelineDeps {
  const mapped = new Set(checksOf(benchmark));
  return {
    ...deps,
    sources: deps.sources.map((source) => limitToProvider(source, benchmark.provider)),
    checks: deps.checks.filter((check) => mapped.has(check.id)),
    benchmarks: [benchmark],
    frameworkView: benchmark.framework,
  };
}

/** `kubeline checks --framework cis-gke`: every control of the benchmark, its coverage and what decides it. */
export function benchmarkMapping(benchmark: Benchmark): string {
  const count = (coverage: string) =>
    benchmark.controls.filter((control) => control.coverage === coverage).length;
  const rows = benchmark.controls.map(
    (control) =>
      `${control.control.padEnd(8)} ${(control.assessment ?? '-').padEnd(10)} ${control.coverage.padEnd(16)} ${(control.checks.join(',') || '-').padEnd(22)} ${control.title}`,
  );
  const byHand = benchmark.controls.flatMap((control) =>
    control.coverage === 'manual' ? [`${control.control.padEnd(8)} ${control.verify}`] : [],
  );
  const provider = benchmark.controls.flatMap((control) =>
    control.coverage === 'provider-managed' ? [`${control.control.padEnd(8)} ${control.note}`] : [],
  );
  return [
    `${benchmark.title} ${benchmark.version}`,
    `${benchmark.controls.length} controls: ${count('automated')} automated, ${count('provider-managed')} provider-managed, ${count('manual')} manual`,
    '',
    `${'CONTROL'.padEnd(8)} ${'CIS'.padEnd(10)} ${'COVERAGE'.padEnd(16)} ${'CHECKS'.padEnd(22)} TITLE`,
    ...rows,
    ...(byHand.length > 0 ? ['', 'Verify by hand (manual controls):', ...byHand] : []),
    ...(provider.length > 0 ? ['', 'Secured by the provider (provider-managed controls):', ...provider] : []),
    '',
  ].join('\n');
}
