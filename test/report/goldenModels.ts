import type { ReportModel } from '../../model/reportView.js';
import { buildReportModel } from '../../report/build.js';
import { eksPosture } from '../fixtures/postures.js';
import { CLUSTERS, EKS_ID, FINDINGS, finding, reportInput } from './fixtures.js';

// Markup, Markdown, template code, quotes, pipes, formula starts and line breaks, as a cloud could send them.
const MARKUP = '<script>alert(1)</script> "q" \'a\' & `b` | *c* {{d}} ]]> [e](https://evil.example)';
const FORMULA = '=HYPERLINK("https://evil.example","x")';

/**
 * The models whose reports `test/report/golden/` holds, as the formats were written before they
 * were streamed: a complete three-cloud run, and an incomplete one full of hostile text.
 */
export const GOLDEN_MODELS: Readonly<Record<string, () => ReportModel>> = {
  complete: () => buildReportModel(reportInput()),
  incomplete: () =>
    buildReportModel(
      reportInput({
        clusters: [
          eksPosture({
            id: EKS_ID,
            name: MARKUP,
            scope: '111111111111',
            location: 'eu-west-1',
            tags: { [MARKUP]: FORMULA },
          }),
          ...CLUSTERS.filter((cluster) => cluster.id !== EKS_ID),
        ],
        findings: [
          ...FINDINGS.filter((entry) => entry.clusterId !== EKS_ID),
          finding({
            checkId: 'EP-01',
            clusterId: EKS_ID,
            status: 'fail',
            message: `${FORMULA}\nsecond line\r\nthird ${MARKUP}`,
            evidence: [{ path: MARKUP, value: { [MARKUP]: [FORMULA, 1, null] } }],
          }),
          finding({
            checkId: 'AUD-01',
            clusterId: EKS_ID,
            status: 'waived',
            message: MARKUP,
            waiver: { reason: MARKUP, owner: FORMULA, expires: '2026-12-05', originalStatus: 'unknown' },
          }),
        ],
        scopes: [
          {
            provider: 'eks',
            scope: '111111111111',
            region: 'eu-west-1',
            status: 'error',
            error: MARKUP,
            clusters: 1,
          },
          { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
        ],
        problems: [{ file: `${MARKUP}.json`, reason: MARKUP }],
        notices: [{ files: [`${MARKUP}.json`, 'b.json'], cluster: EKS_ID, message: MARKUP }],
      }),
    ),
};

/** The formats kept as goldens, by the extension of their file (each ends `.golden`, which no linter reads). */
export const GOLDEN_FORMATS = { md: 'md', csv: 'csv', junit: 'xml', ocsf: 'ocsf.json' } as const;
