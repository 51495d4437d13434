import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { catalogueMarkdown, explainCheck } from '../../checks/catalogueDoc.js';
import { CIS_GKE } from '../../checks/frameworks/cis.js';
import { CHECKS } from '../../checks/registry.js';
import { pass } from '../../checks/support/verdict.js';
import type { Check } from '../../checks/types.js';
import { apiCallsFor } from '../../providers/fieldApis.js';
import { kubeline } from '../fixtures/cli.js';

/** A check of no cloud's benchmark, applying to two clouds, with one CLI fix and no links. */
const SYNTHETIC: Check = {
  id: 'TEST-99',
  title: 'A title | with a pipe',
  rationale: 'Why it matters.',
  category: 'network',
  severity: 'low',
  source: 'k8s',
  providers: {
    eks: {
      responsibility: 'shared',
      reads: ['auditLogs', 'nodePools[].publicIps'],
      evaluate: () => pass('ok'),
    },
    gke: { notApplicable: 'GKE does this for you.' },
    aks: { responsibility: 'provider', reads: [], evaluate: () => pass('ok') },
  },
  remediation: { text: 'Fix it.', cli: { aks: 'az aks update --fix' }, links: [] },
};

describe('the check catalogue document and kubeline explain', () => {
  it('docs/checks.md is what the catalogue generates (run npm run docs after changing a check)', async () => {
    // Act
    const committed = await readFile(new URL('../../docs/checks.md', import.meta.url), 'utf8');

    // Assess
    assert.equal(committed, catalogueMarkdown(CHECKS, apiCallsFor));
  });

  it('lists every check once in the table and once as an entry, in catalogue order', () => {
    // Act
    const markdown = catalogueMarkdown(CHECKS, apiCallsFor);

    // Assess
    const rows = [...markdown.matchAll(/^\| \[([A-Z]+-\d+)\]\(#/gm)].map((match) => match[1]);
    const entries = [...markdown.matchAll(/^## ([A-Z]+-\d+)$/gm)].map((match) => match[1]);
    const ids = CHECKS.map((check) => check.id);
    assert.deepEqual(rows, ids);
    assert.deepEqual(entries, ids);
  });

  it('explains a check: sides per cloud, why one does not apply, the fixes it has, no CIS line it lacks', () => {
    // Act
    const text = explainCheck(SYNTHETIC, apiCallsFor);

    // Assess
    assert.equal(
      text,
      [
        'TEST-99: A title | with a pipe',
        '',
        'Severity: low. Category: network. Reads: in-cluster read (the in-cluster pass, or an in-cluster export).',
        '',
        'Why it matters.',
        '',
        '- Amazon EKS: shared side',
        '  - Fields read: auditLogs, nodePools[].publicIps',
        '  - API calls: eks:DescribeCluster, eks:ListNodegroups, eks:DescribeNodegroup, ec2:DescribeSubnets, ec2:DescribeLaunchTemplateVersions',
        '- Google GKE: not applicable: GKE does this for you.',
        '- Azure AKS: provider side',
        '  - Fields read: none',
        '  - API calls: none',
        '',
        'Remediation: Fix it.',
        '- Azure AKS: az aks update --fix',
        '',
      ].join('\n'),
    );
  });

  it('writes table cells on one line with pipes escaped, and each kind of source in words', () => {
    // Act
    const markdown = catalogueMarkdown(
      [
        SYNTHETIC,
        { ...SYNTHETIC, id: 'TEST-98', title: 'Two\nlines', source: 'api' },
        {
          ...SYNTHETIC,
          id: 'TEST-97',
          source: 'api/k8s',
          remediation: { ...SYNTHETIC.remediation, links: ['https://example.com/a'] },
        },
      ],
      apiCallsFor,
    );

    // Assess
    assert.match(
      markdown,
      /^\| \[TEST-99\]\(#test-99\) \| A title \\\| with a pipe \| low \| shared \| n\/a \| provider \| {2}\|$/m,
    );
    assert.match(markdown, /^\| \[TEST-98\]\(#test-98\) \| Two lines \|/m);
    assert.match(markdown, /Reads: cloud management API\.$/m);
    assert.match(
      markdown,
      /Reads: cloud management API, and in-cluster read where the API cannot show it\.$/m,
    );
    assert.match(markdown, /^- Azure AKS: `az aks update --fix`$/m);
    assert.match(markdown, /References:\n- https:\/\/example\.com\/a\n/);
  });

  it('kubeline explain prints one check, takes ids in any case, and names the family on a wrong one', async () => {
    // Act
    const found = await kubeline(['explain', 'rbac-04']);
    const wrong = await kubeline(['explain', 'RBAC-9']);
    const none = await kubeline(['explain']);

    // Assess
    const rbac04 = CHECKS.find((check) => check.id === 'RBAC-04');
    assert.ok(rbac04);
    assert.deepEqual(found, { code: 0, stdout: explainCheck(rbac04, apiCallsFor), stderr: '' });
    assert.deepEqual(wrong, {
      code: 64,
      stdout: '',
      stderr:
        'kubeline: no check "RBAC-9"; RBAC checks are RBAC-01, RBAC-02, RBAC-03, RBAC-04, RBAC-05, RBAC-06\n',
    });
    assert.equal(none.code, 64);
    assert.equal(
      (await kubeline(['explain', 'NOPE'])).stderr,
      'kubeline: no check "NOPE"; kubeline checks lists every id\n',
    );
  });

  it('kubeline checks --framework prints every control of one benchmark with its coverage and checks', async () => {
    // Act
    const table = await kubeline(['checks', '--framework', 'cis-gke']);
    const json = await kubeline(['checks', '--framework', 'cis-gke', '--json']);
    const wrong = await kubeline(['checks', '--framework', 'cis-k8s']);

    // Assess
    const lines = table.stdout.trimEnd().split('\n');
    assert.equal(table.code, 0);
    assert.equal(lines[0], `${CIS_GKE.title} ${CIS_GKE.version}`);
    assert.match(
      lines.find((line) => line.startsWith('4.1.1 ')) ?? '',
      /^4\.1\.1 +Manual +automated +RBAC-04 +Ensure that the cluster-admin role is only used where required$/,
    );
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(CIS_GKE)));
    assert.deepEqual(wrong, {
      code: 64,
      stdout: '',
      stderr: 'kubeline: --framework takes one of cis-eks, cis-gke, cis-aks; got "cis-k8s"\n',
    });
  });
});
