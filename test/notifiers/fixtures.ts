import type { PublishedRun } from '../../engine/ports.js';
import type { ReportModel } from '../../model/reportView.js';
import type { EmailSettings } from '../../notifiers/email.js';
import { buildReportModel, type ReportInput } from '../../report/build.js';
import { renderReports } from '../../report/render.js';
import { reportInput } from '../report/fixtures.js';

export const RUN_FOLDER = 'runs/2026-11-29/20261129T020000Z-abc123';

/** Email settings for tests; override what the test is about. */
export function emailSettings(overrides: Partial<EmailSettings> = {}): EmailSettings {
  return {
    from: 'kubeline@acme.example',
    to: ['security@acme.example'],
    subjectPrefix: 'kubeline',
    attachMaxBytes: 5 * 1024 * 1024,
    linkLifetimeSeconds: 7 * 86_400,
    ...overrides,
  };
}

export interface PublishedRunOptions {
  readonly input?: Partial<ReportInput>;
  /** Which of the run's files were published; default html and json. */
  readonly formats?: readonly ('html' | 'json' | 'md')[];
  readonly link?: (key: string, lifetimeSeconds: number) => Promise<string>;
}

/** A run as the pipeline hands it to notifiers, built from the report fixtures. */
export function publishedRun(options: PublishedRunOptions = {}): PublishedRun & {
  readonly bodies: ReadonlyMap<string, string>;
  readonly renders: { count: number };
} {
  const model: ReportModel = buildReportModel(reportInput(options.input));
  const rendered = renderReports(model, options.formats ?? ['html', 'json']);
  const bodies = new Map(rendered.map((file) => [`${RUN_FOLDER}/${file.name}`, file.body]));
  const renders = { count: 0 };
  return {
    model,
    files: rendered.map((file) => ({
      name: file.name,
      key: `${RUN_FOLDER}/${file.name}`,
      location: `memory://reports/${RUN_FOLDER}/${file.name}`,
      bytes: Buffer.byteLength(file.body, 'utf8'),
    })),
    link: options.link ?? (async (key) => `memory://reports/${key}`),
    renderHtml: () => {
      renders.count += 1;
      return renderReports(model, ['html'])[0]?.body ?? '';
    },
    bodies,
    renders,
  };
}
