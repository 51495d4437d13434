import type { ReportSink } from '../engine/ports.js';

/** Writes every object to several sinks in turn; reads and links come from the first. */
export function fanOut(sinks: readonly [ReportSink, ...ReportSink[]]): ReportSink {
  const [primary] = sinks;
  if (sinks.length === 1) return primary;
  return {
    location: sinks.map((sink) => sink.location).join(', '),
    async put(key, body, contentType) {
      for (const sink of sinks) await sink.put(key, body, contentType);
    },
    get: (key) => primary.get(key),
    locate: (key) => primary.locate(key),
  };
}
