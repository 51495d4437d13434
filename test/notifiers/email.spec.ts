import assert from 'node:assert/strict';
import type { RunDiff } from '../../model/runDiff.js';
import {
  composeRunEmails,
  EMAIL_ROWS_SHOWN,
  emailAudiences,
  emailSubject,
  oneLine,
  type SubjectFacts,
  sinceLabel,
  sizeLabel,
} from '../../notifiers/email.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';
import {
  AKS_ID,
  CHECKS,
  CLUSTERS,
  check,
  EKS_ID,
  FINDINGS,
  finding,
  GKE_ID,
  RUN,
} from '../report/fixtures.js';
import { emailSettings, publishedRun } from './fixtures.js';

/** A diff against yesterday's run: EP-01 on the EKS cluster is new, AUD-01 on AKS persists. */
function diffSince(
  startedAt: string,
  overrides: Partial<Extract<RunDiff, { previousRun: object }>> = {},
): RunDiff {
  return {
    previousRun: { id: 'previous', startedAt, folder: 'runs/previous' },
    new: [{ checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'fail', previousStatus: 'pass' }],
    fixed: [],
    persisting: [
      {
        checkId: 'AUD-01',
        clusterId: AKS_ID,
        severity: 'critical',
        status: 'fail',
        previousStatus: 'fail',
        firstSeenFailing: '2026-11-20',
      },
    ],
    newlyUnknown: [],
    clustersAdded: [],
    clustersRemoved: [],
    clustersNotRead: [],
    scopesLost: [],
    notices: [],
    ...overrides,
  };
}

const YESTERDAY = '2026-11-28T02:00:00.000Z';

function facts(overrides: Partial<SubjectFacts>): SubjectFacts {
  return {
    prefix: 'kubeline',
    clusters: 15,
    failing: 0,
    unknown: 0,
    newFailures: null,
    since: '',
    complete: true,
    owner: null,
    ...overrides,
  };
}

describe('notifiers/email: the subject says the outcome at a glance', () => {
  const cases: readonly [string, Partial<SubjectFacts>, string][] = [
    ['everything passes', {}, 'kubeline: all passing — 15 clusters'],
    ['failures, no previous run', { failing: 12 }, 'kubeline: 12 failing — 15 clusters'],
    [
      'failures, new since yesterday',
      { failing: 12, newFailures: 3, since: 'yesterday' },
      'kubeline: 12 failing (3 new since yesterday) — 15 clusters',
    ],
    [
      'failures, none new',
      { failing: 12, newFailures: 0, since: 'yesterday' },
      'kubeline: 12 failing (0 new since yesterday) — 15 clusters',
    ],
    [
      'incomplete with new failures',
      { failing: 12, newFailures: 3, since: 'yesterday', complete: false, prefix: 'kubeline acme prod' },
      'kubeline acme prod: 12 failing (3 new since yesterday), INCOMPLETE — 15 clusters',
    ],
    ['nothing failing, some unknown', { unknown: 4 }, 'kubeline: nothing failing, 4 unknown — 15 clusters'],
    [
      'no cluster read',
      { clusters: 0, complete: false },
      'kubeline: no clusters read, INCOMPLETE — 0 clusters',
    ],
    [
      'an owner',
      { failing: 1, clusters: 1, owner: 'team payments' },
      'kubeline: 1 failing — team payments, 1 cluster',
    ],
    [
      'a fix brings no new count',
      { newFailures: 0, since: 'yesterday' },
      'kubeline: all passing — 15 clusters',
    ],
  ];
  for (const [name, given, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      assert.equal(emailSubject(facts(given)), expected);
    });
  }

  it('never carries a line break, whatever the parts hold', () => {
    assert.equal(
      emailSubject(facts({ owner: 'team a\r\nBcc: evil@attacker.example' })),
      'kubeline: all passing — team a Bcc: evil@attacker.example, 15 clusters',
    );
  });

  it('names the previous run by its day relative to this one', () => {
    assert.deepEqual(
      [
        sinceLabel('2026-11-28T23:59:00Z', '2026-11-29T00:01:00Z'),
        sinceLabel('2026-11-29T01:00:00Z', '2026-11-29T02:00:00Z'),
        sinceLabel('2026-11-25T02:00:00Z', '2026-11-29T02:00:00Z'),
        sinceLabel('2028-02-28T02:00:00Z', '2028-02-29T02:00:00Z'),
      ],
      ['yesterday', 'the run earlier today', '2026-11-25', 'yesterday'],
    );
  });

  it('counts failing (fail and error) findings and new failures of the run', async () => {
    const run = publishedRun({ input: { diff: diffSince(YESTERDAY) } });
    const [message] = await composeRunEmails(run, emailSettings());
    assert.equal(message?.subject, 'kubeline: 3 failing (1 new since yesterday) — 3 clusters');
  });

  it('leaves a new failure that is waived out of the new count: the risk was accepted', async () => {
    const diff = diffSince(YESTERDAY, {
      new: [
        { checkId: 'EP-01', clusterId: AKS_ID, severity: 'high', status: 'waived', previousStatus: 'pass' },
      ],
    });
    const [message] = await composeRunEmails(publishedRun({ input: { diff } }), emailSettings());
    assert.equal(message?.subject, 'kubeline: 3 failing (0 new since yesterday) — 3 clusters');
  });

  it('says INCOMPLETE when a scope could not be read, and lists what was not read', async () => {
    const run = publishedRun({
      input: {
        run: { ...RUN, complete: false },
        scopes: [
          {
            provider: 'eks',
            scope: '222222222222',
            region: 'us-east-1',
            status: 'error',
            error: 'AccessDenied',
            clusters: 0,
          },
        ],
        problems: [{ file: 'exports/bad.json', reason: 'not valid JSON' }],
      },
    });
    const [message] = await composeRunEmails(run, emailSettings());
    assert.equal(message?.subject, 'kubeline: 3 failing, INCOMPLETE — 3 clusters');
    assert.match(
      message?.text ?? '',
      /NOT READ \(the run is incomplete\)\n {2}- Amazon EKS 222222222222 us-east-1: AccessDenied\n {2}- File exports\/bad\.json: not valid JSON\n/,
    );
  });

  it('says why there is no comparison when there was no previous run', async () => {
    const diff: RunDiff = {
      previousRun: null,
      unavailable: 'no previous complete run (no latest.json)',
      notices: [],
    };
    const [message] = await composeRunEmails(publishedRun({ input: { diff } }), emailSettings());
    assert.equal(message?.subject, 'kubeline: 3 failing — 3 clusters');
    assert.match(
      message?.text ?? '',
      /SINCE THE PREVIOUS RUN\nNo comparison with a previous run: no previous complete run \(no latest\.json\)\n/,
    );
  });
});

describe('notifiers/email: owner routing', () => {
  const tagged = [
    eksPosture({ id: 'eks-pay', name: 'pay-prod', tags: { Team: 'Payments' } }),
    gkePosture({ id: 'gke-pay', name: 'pay-gke', tags: { team: 'payments' } }),
    gkePosture({ id: 'gke-web', name: 'web', tags: { team: 'web' } }),
    aksPosture({ id: 'aks-data', name: 'data', tags: { team: 'data' } }),
    aksPosture({ id: 'aks-none', name: 'untagged' }),
  ];
  const routing = {
    tag: 'team',
    addresses: {
      payments: ['payments@acme.example', 'payments-oncall@acme.example'],
      web: ['web@acme.example', 'frontend-lead@acme.example'],
      frontend: ['frontend-lead@acme.example'],
      storage: ['storage@acme.example'],
    },
  };

  it('gives each owner only their clusters, ignoring case, and the main recipients every cluster', () => {
    const { model } = publishedRun({ input: { clusters: tagged, findings: [] } });
    const audiences = emailAudiences(model, emailSettings({ owners: routing }));
    assert.deepEqual(
      audiences.map((audience) => ({
        recipients: audience.recipients,
        clusters: audience.clusterIds === null ? null : [...audience.clusterIds],
        ownerValues: audience.ownerValues,
      })),
      [
        { recipients: ['security@acme.example'], clusters: null, ownerValues: [] },
        {
          recipients: ['payments-oncall@acme.example', 'payments@acme.example'],
          clusters: ['eks-pay', 'gke-pay'],
          ownerValues: ['payments'],
        },
        {
          recipients: ['frontend-lead@acme.example', 'web@acme.example'],
          clusters: ['gke-web'],
          ownerValues: ['web'],
        },
      ],
    );
  });

  it('merges the clusters of every value an address is routed from into one message', () => {
    const clusters = [...tagged, gkePosture({ id: 'gke-frontend', name: 'spa', tags: { team: 'frontend' } })];
    const { model } = publishedRun({ input: { clusters, findings: [] } });
    const owners = emailAudiences(model, emailSettings({ to: [], owners: routing })).map((audience) => ({
      recipients: audience.recipients,
      clusters: [...(audience.clusterIds ?? [])],
      ownerValues: audience.ownerValues,
    }));
    assert.deepEqual(owners, [
      {
        recipients: ['frontend-lead@acme.example'],
        clusters: ['gke-frontend', 'gke-web'],
        ownerValues: ['frontend', 'web'],
      },
      {
        recipients: ['payments-oncall@acme.example', 'payments@acme.example'],
        clusters: ['eks-pay', 'gke-pay'],
        ownerValues: ['payments'],
      },
      { recipients: ['web@acme.example'], clusters: ['gke-web'], ownerValues: ['web'] },
    ]);
  });

  it("puts only the owner's findings in the owner's message, without the report's links or attachment", async () => {
    const findings = [
      finding({ checkId: 'EP-01', clusterId: 'eks-pay', status: 'fail' }),
      finding({ checkId: 'EP-01', clusterId: 'gke-web', provider: 'gke', status: 'fail' }),
      finding({ checkId: 'EP-01', clusterId: 'aks-none', provider: 'aks', status: 'fail' }),
    ];
    const run = publishedRun({ input: { clusters: tagged, findings } });
    const messages = await composeRunEmails(run, emailSettings({ owners: routing }));
    const payments = messages.find((message) => message.to.includes('payments@acme.example'));
    assert.equal(payments?.subject, 'kubeline: 1 failing — team payments, 2 clusters');
    assert.match(payments?.text ?? '', / {2}- \[High\] EP-01 Title of EP-01: 1 cluster \(pay-prod\)\n/);
    for (const other of ['untagged', 'web (', 'runs/2026-11-29']) {
      assert.equal(payments?.text.includes(other), false, `${other} is not for payments`);
      assert.equal(payments?.html.includes(other), false, `${other} is not for payments`);
    }
    assert.deepEqual(payments?.attachments, []);
    const main = messages[0];
    assert.equal(main?.subject, 'kubeline: 3 failing — 5 clusters');
    assert.match(main?.text ?? '', /EP-01 Title of EP-01: 3 clusters \(untagged, pay-prod, web\)/);
  });

  it('lists to an owner only the expiring waivers that cover their findings', async () => {
    const run = publishedRun({
      input: {
        clusters: CLUSTERS.map((cluster) =>
          cluster.id === AKS_ID ? { ...cluster, tags: { team: 'ops' } } : cluster,
        ),
      },
    });
    const messages = await composeRunEmails(
      run,
      emailSettings({
        owners: { tag: 'team', addresses: { ops: ['ops@acme.example'], web: ['web@acme.example'] } },
      }),
    );
    const [ops, web] = messages.slice(1);
    assert.deepEqual([ops?.to, web?.to], [['ops@acme.example'], ['web@acme.example']]);
    assert.match(
      ops?.text ?? '',
      /WAIVERS EXPIRING OR EXPIRED\n {2}- EP-01 Title of EP-01 for provider aks, name aks\*, owner platform@acme\.example: expires in 6 days \(VPN migration\)\n\n/,
    );
    assert.equal(web?.text.includes('WAIVERS'), false);
  });

  it('sends owners nothing when no cluster carries a configured value', async () => {
    const run = publishedRun();
    const messages = await composeRunEmails(
      run,
      emailSettings({ to: [], owners: { tag: 'team', addresses: { storage: ['storage@acme.example'] } } }),
    );
    assert.deepEqual(messages, []);
  });
});

describe('notifiers/email: links and the attachment', () => {
  it('attaches the HTML report under the limit and links every file for the configured lifetime', async () => {
    const asked: [string, number][] = [];
    const run = publishedRun({
      link: async (key, lifetime) => {
        asked.push([key, lifetime]);
        return `https://reports.acme.example/${key}?X-Amz-Expires=${lifetime}`;
      },
    });
    const [message] = await composeRunEmails(run, emailSettings({ linkLifetimeSeconds: 2 * 86_400 }));
    const html = run.bodies.get(run.files[0]?.key ?? '');
    assert.deepEqual(message?.attachments, [
      { filename: 'report.html', contentType: 'text/html; charset=utf-8', content: html },
    ]);
    assert.deepEqual(
      asked,
      run.files.map((file) => [file.key, 172_800]),
    );
    assert.match(
      message?.text ?? '',
      /THE REPORT \(links work for 2 days\)\n {2}report\.html: https:\/\/reports\.acme\.example\/runs\/2026-11-29\/20261129T020000Z-abc123\/report\.html\?X-Amz-Expires=172800\n/,
    );
    assert.match(
      message?.html ?? '',
      /<a href="https:\/\/reports\.acme\.example\/runs\/2026-11-29\/20261129T020000Z-abc123\/report\.html\?X-Amz-Expires&#x3D;172800" style="color:#0b57d0;">report\.html<\/a>/,
    );
    assert.match(message?.text ?? '', /The HTML report \(\d+ KiB\) is attached\./);
  });

  it('does not attach a report over the limit, and says so', async () => {
    const run = publishedRun();
    const [message] = await composeRunEmails(run, emailSettings({ attachMaxBytes: 1000 }));
    const bytes = run.files[0]?.bytes ?? 0;
    assert.deepEqual(message?.attachments, []);
    assert.equal(run.renders.count, 0, 'the size comes from the published file, not a second render');
    assert.match(
      message?.text ?? '',
      new RegExp(
        `The HTML report \\(${sizeLabel(bytes)}\\) is over the 1000 bytes attachment limit: open it from the link\\.`,
      ),
    );
  });

  it('never attaches with attachMaxBytes 0', async () => {
    const run = publishedRun();
    const [message] = await composeRunEmails(run, emailSettings({ attachMaxBytes: 0 }));
    assert.deepEqual([message?.attachments, run.renders.count], [[], 0]);
    assert.match(
      message?.text ?? '',
      /The HTML report is not attached \(attachMaxBytes is 0\): use the link\./,
    );
  });

  it('renders the HTML report once to measure it when the run did not publish one', async () => {
    const run = publishedRun({ formats: ['json'] });
    const [message] = await composeRunEmails(run, emailSettings());
    assert.equal(run.renders.count, 1);
    assert.equal(message?.attachments[0]?.filename, 'report.html');
  });

  it('prints a link that is not http(s) (a local folder) as text, never as an href', async () => {
    const run = publishedRun({ link: async (key) => `javascript:alert(1)//${key}` });
    const [message] = await composeRunEmails(run, emailSettings());
    assert.equal(message?.html.includes('href="javascript'), false);
    assert.match(message?.html ?? '', /report\.html: <code>javascript:alert\(1\)\/\/runs/);
  });

  it('keeps the message when a link cannot be made, saying why in its place', async () => {
    const run = publishedRun({
      link: async () => {
        throw new Error('AccessDenied: kms:Decrypt');
      },
    });
    const [message] = await composeRunEmails(run, emailSettings());
    assert.match(message?.text ?? '', / {2}report\.html: \(no link: AccessDenied: kms:Decrypt\)\n/);
  });

  it('labels sizes in bytes, KiB and MiB', () => {
    assert.deepEqual(
      [sizeLabel(1), sizeLabel(1023), sizeLabel(2048), sizeLabel(5 * 1024 * 1024), sizeLabel(1_500_000)],
      ['1 byte', '1023 bytes', '2 KiB', '5.0 MiB', '1.4 MiB'],
    );
  });
});

describe('notifiers/email: what the message says', () => {
  it('lists new failures, clusters leaving standard support and expiring waivers', async () => {
    const run = publishedRun({
      input: {
        checks: [...CHECKS, check('VER-02', { severity: 'medium', category: 'versions' })],
        findings: [
          ...FINDINGS,
          finding({
            checkId: 'VER-02',
            clusterId: GKE_ID,
            provider: 'gke',
            status: 'fail',
            severity: 'medium',
            message: 'Standard support of 1.31 ends on 2026-12-20, within 90 days.',
          }),
        ],
        diff: diffSince(YESTERDAY),
      },
    });
    const [message] = await composeRunEmails(run, emailSettings());
    const text = message?.text ?? '';
    assert.match(
      text,
      /New failures since yesterday:\n {2}- \[High\] EP-01 Title of EP-01: prod \(Amazon EKS 111111111111 eu-west-1\)\n {4}The API server has a public endpoint\.\n/,
    );
    assert.match(
      text,
      /LEAVING STANDARD SUPPORT SOON \(VER-02\)\n {2}- web \(Google GKE acme-prod europe-west1\): Standard support of 1\.31 ends on 2026-12-20, within 90 days\.\n/,
    );
    assert.match(text, /expires in 6 days \(VPN migration\)/);
    assert.match(text, /expired 9 days ago \(Diagnostic settings rollout\)/);
  });

  it(`shows the first ${EMAIL_ROWS_SHOWN} rows of a long list and how many more the report has`, async () => {
    const clusters = Array.from({ length: EMAIL_ROWS_SHOWN + 5 }, (_, index) =>
      eksPosture({ id: `eks-${String(index).padStart(2, '0')}`, name: `c${index}` }),
    );
    const findings = clusters.map((cluster) =>
      finding({ checkId: 'EP-01', clusterId: cluster.id, status: 'fail' }),
    );
    const diff = diffSince(YESTERDAY, {
      new: findings.map((item) => ({
        checkId: item.checkId,
        clusterId: item.clusterId,
        severity: 'high' as const,
        status: 'fail' as const,
        previousStatus: 'pass' as const,
      })),
      persisting: [],
    });
    const [message] = await composeRunEmails(
      publishedRun({ input: { clusters, findings, diff } }),
      emailSettings(),
    );
    const rows = (message?.text ?? '').split('\n').filter((line) => line.startsWith('  - [High] EP-01'));
    assert.equal(rows.length, EMAIL_ROWS_SHOWN + 1, `${EMAIL_ROWS_SHOWN} new failures and one failing check`);
    assert.match(message?.text ?? '', /\n {2}…and 5 more in the report\.\n/);
  });

  it('keeps hostile cluster names escaped in HTML, on one line and free of entities in text', async () => {
    const hostile = `<script>alert("x")</script>{{constructor}} & 'q'\r\nBcc: evil@attacker.example`;
    const clusters = [eksPosture({ id: EKS_ID, name: hostile, tags: { team: hostile } })];
    const findings = [
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail', message: `${hostile} is public` }),
    ];
    const run = publishedRun({
      input: { clusters, findings, checks: CHECKS, diff: diffSince(YESTERDAY) },
    });
    const [message] = await composeRunEmails(run, emailSettings());
    const html = message?.html ?? '';
    const text = message?.text ?? '';
    assert.equal(html.includes('<script>'), false);
    assert.match(
      html,
      /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\{\{constructor\}\} &amp; &#x27;q&#x27; Bcc: evil@attacker\.example/,
    );
    assert.equal(/&(amp|lt|gt|quot|#x27|#x3D);/.test(text), false, 'no HTML entities in the text part');
    assert.match(
      text,
      /: <script>alert\("x"\)<\/script>\{\{constructor\}\} & 'q' Bcc: evil@attacker\.example \(Amazon EKS/,
    );
    assert.equal(text.includes('\r'), false);
    assert.equal(/\nBcc:/.test(text), false);
  });

  it('turns every control character into a space', () => {
    assert.equal(oneLine('a\r\nb\tc\u0000d\u2028e'), 'a b c d e');
  });
});
