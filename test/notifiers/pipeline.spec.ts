import assert from 'node:assert/strict';
import { exitCodeFor, type PipelineDeps, runScan } from '../../engine/pipeline.js';
import type { Notifier, PostureSource } from '../../engine/ports.js';
import { smtpNotifier } from '../../notifiers/smtp.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { pipelineDeps } from '../fixtures/pipelineDeps.js';
import { eksPosture, gkePosture } from '../fixtures/postures.js';
import { emailSettings } from './fixtures.js';
import { type SmtpPeer, startSmtpPeer } from './smtpPeer.js';

const USERS = { 'kubeline-mailer': 'the-right-password' };

const source: PostureSource = {
  name: 'fixture',
  collect: async () => ({
    postures: [eksPosture({ id: 'eks-a', name: 'prod-a' }), gkePosture({ id: 'gke-b', name: 'web-b' })],
    scopes: [{ provider: 'snapshot', scope: 'fixture.json', status: 'ok', clusters: 2 }],
    problems: [],
  }),
};

function deps(sink: MemorySink, notifiers: readonly Notifier[], start: string, runId: string): PipelineDeps {
  return pipelineDeps({ sources: [source], sink, start, runId, notifiers });
}

function mailer(port: number, password: string): Notifier {
  return smtpNotifier({
    email: emailSettings(),
    smtp: { host: '127.0.0.1', port, secure: 'none', userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD' },
    env: { SMTP_USER: 'kubeline-mailer', SMTP_PASSWORD: password },
  });
}

const REPORT_KEYS = ['runs/2026-11-29/run-1/report.html', 'runs/2026-11-29/run-1/report.json'];

describe('notifiers in the pipeline: runScan with a MemorySink and SMTP', function () {
  this.timeout(30_000);
  let smtp: SmtpPeer;

  beforeEach(async () => {
    smtp = await startSmtpPeer({ users: USERS });
  });
  afterEach(async () => {
    await smtp?.stop();
  });

  it('emails after the files are written, records the delivery in the manifest and exits 0', async () => {
    const sink = new MemorySink();
    const outcome = await runScan(
      deps(sink, [mailer(smtp.port, 'the-right-password')], '2026-11-29T02:00:00Z', 'run-1'),
      {
        trigger: 'schedule',
        formats: ['html', 'json'],
      },
    );
    const notification = { notifier: `smtp 127.0.0.1:${smtp.port}`, delivered: 1, failures: [] };
    assert.deepEqual(outcome.notifications, [notification]);
    const manifest = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/manifest.json') ?? '{}');
    assert.deepEqual(manifest.notifications, [notification]);
    assert.equal(exitCodeFor(outcome, 'none'), 0);
    assert.deepEqual(
      smtp.received.map((mail) =>
        mail.parsed.attachments.map((attachment) => attachment.content.toString('utf8')),
      ),
      [[sink.objects.get('runs/2026-11-29/run-1/report.html')]],
    );
  });

  for (const [name, notifier] of [
    ['a refused login', (port: number) => mailer(port, 'a-wrong-password')],
    ['a server that is down', (port: number) => mailer(port, 'the-right-password')],
  ] as const) {
    it(`keeps the report published, records ${name} in the manifest and exits 2`, async () => {
      const sink = new MemorySink();
      const down = await startSmtpPeer();
      await down.stop();
      const port = name === 'a refused login' ? smtp.port : down.port;
      const outcome = await runScan(deps(sink, [notifier(port)], '2026-11-29T02:00:00Z', 'run-1'), {
        trigger: 'schedule',
        formats: ['html', 'json'],
      });
      for (const key of [...REPORT_KEYS, 'runs/2026-11-29/run-1/manifest.json', 'latest.json']) {
        assert.ok(sink.objects.has(key), `${key} is published`);
      }
      const manifest = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/manifest.json') ?? '{}');
      assert.deepEqual(manifest.notifications, outcome.notifications);
      const [result] = outcome.notifications;
      assert.deepEqual(
        result?.failures.map((failure) => failure.recipients),
        [['security@acme.example']],
      );
      assert.match(
        result?.failures[0]?.reason ?? '',
        /^(EAUTH: Invalid login: 535|ESOCKET: connect ECONNREFUSED)/,
      );
      assert.equal(JSON.stringify(manifest).includes('the-right-password'), false);
      assert.equal(exitCodeFor(outcome, 'none'), 2);
    });
  }

  it('sends nothing with notify: false (--no-notify)', async () => {
    const sink = new MemorySink();
    const outcome = await runScan(
      deps(sink, [mailer(smtp.port, 'the-right-password')], '2026-11-29T02:00:00Z', 'run-1'),
      {
        trigger: 'cli',
        formats: ['json'],
        notify: false,
      },
    );
    assert.deepEqual([outcome.notifications, smtp.received], [[], []]);
  });

  it("tells the next day's readers what is new since yesterday", async () => {
    const sink = new MemorySink();
    const notifiers = [mailer(smtp.port, 'the-right-password')];
    await runScan(deps(sink, notifiers, '2026-11-28T02:00:00Z', 'run-0'), {
      trigger: 'schedule',
      formats: ['json'],
    });
    await runScan(deps(sink, notifiers, '2026-11-29T02:00:00Z', 'run-1'), {
      trigger: 'schedule',
      formats: ['json'],
    });
    const subjects = smtp.received.map((mail) => mail.parsed.subject ?? '');
    assert.match(subjects[0] ?? '', /^kubeline: \d+ failing — 2 clusters$/);
    assert.match(subjects[1] ?? '', /^kubeline: \d+ failing \(0 new since yesterday\) — 2 clusters$/);
  });
});
