/** Lines a handler wrote while `act` ran: Powertools' JSON logs and EMF metrics, parsed. */
export interface Captured<T> {
  readonly result: T | undefined;
  readonly error: unknown;
  readonly lines: readonly Record<string, unknown>[];
  /** Everything written, raw: to prove a secret was never written anywhere. */
  readonly raw: string;
}

/**
 * Runs `act` with standard output and error captured. Powertools' Logger and Metrics write
 * through a console bound to these streams, so this is what CloudWatch would receive.
 */
export async function captureOutput<T>(act: () => Promise<T>): Promise<Captured<T>> {
  const originals = { out: process.stdout.write, err: process.stderr.write };
  let raw = '';
  const capture = ((chunk: string | Uint8Array) => {
    raw += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  let result: T | undefined;
  let error: unknown;
  try {
    result = await act();
  } catch (caught) {
    error = caught;
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
  }
  const lines = raw
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, error, lines, raw };
}

/** The log lines (not the EMF metric documents) among what was captured. */
export function logLines(captured: Captured<unknown>): Record<string, unknown>[] {
  return captured.lines.filter((line) => !('_aws' in line));
}

/** The metric values of the EMF documents among what was captured, by metric name. */
export function metricValues(captured: Captured<unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const line of captured.lines.filter((entry) => '_aws' in entry)) {
    const aws = line._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] };
    for (const directive of aws.CloudWatchMetrics ?? []) {
      for (const metric of directive.Metrics ?? []) values[metric.Name] = line[metric.Name];
    }
  }
  return values;
}
