import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import type { AddressObject } from 'mailparser';
import { parseConfig } from '../../config/load.js';
import type { NotificationResult } from '../../engine/ports.js';
import { notifiersFrom } from '../../notifiers/index.js';
import { smtpNotifier } from '../../notifiers/smtp.js';
import { eksPosture, gkePosture } from '../fixtures/postures.js';
import { generatePeerTls, type PeerTls } from '../peers/azure/tls.js';
import { finding } from '../report/fixtures.js';
import { emailSettings, publishedRun } from './fixtures.js';
import { type LinkServer, startLinkServer } from './linkServer.js';
import { type SmtpPeer, type SmtpPeerOptions, startSmtpPeer } from './smtpPeer.js';

const PASSWORD = 'correct horse battery staple';
const USERS = { 'kubeline-mailer': PASSWORD };
const ENV = { SMTP_USER: 'kubeline-mailer', SMTP_PASSWORD: PASSWORD };

function recipientsOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? ''));
}

/** The URLs of the "THE REPORT" section of a text part, by file name. */
function linksIn(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^ {2}([\w.]+): (http:\/\/\S+)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}

function smtpConfig(port: number, smtp: string, email = ''): string {
  return `notify:\n  email:\n    transport: smtp\n    from: kubeline@acme.example\n    to: [security@acme.example, platform@acme.example]\n    smtp: { host: 127.0.0.1, port: ${port}, ${smtp} }\n${email}`;
}

describe('notifiers/smtp: nodemailer against an in-process SMTP server', function () {
  this.timeout(30_000);
  let tls: PeerTls;
  const stops: (() => Promise<void>)[] = [];

  before(async () => {
    tls = await generatePeerTls();
  });
  after(async () => {
    await tls?.remove();
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  async function peer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
    const started = await startSmtpPeer(options);
    stops.push(started.stop);
    return started;
  }

  async function linkServer(run: ReturnType<typeof publishedRun>): Promise<LinkServer> {
    const started = await startLinkServer(run.bodies);
    stops.push(started.stop);
    return started;
  }

  /** A run whose links are signed URLs of a local store that serves its files. */
  async function runWithLinks() {
    let server: LinkServer | undefined;
    const run = publishedRun({
      link: (key, lifetime) => (server ? server.link(key, lifetime) : Promise.reject(new Error('no server'))),
    });
    server = await linkServer(run);
    return run;
  }

  it('delivers one message per run with both parts, the attachment and links that fetch the files', async () => {
    // Prepare
    const smtp = await peer();
    const run = await runWithLinks();
    const [notifier] = notifiersFrom(parseConfig(smtpConfig(smtp.port, 'secure: none'), 'c.yaml'), {});
    // Act
    const result = await notifier?.notify(run);
    // Assess
    assert.deepEqual(result, { notifier: `smtp 127.0.0.1:${smtp.port}`, delivered: 1, failures: [] });
    assert.equal(smtp.received.length, 1);
    const [mail] = smtp.received;
    const html = run.bodies.get(run.files[0]?.key ?? '') ?? '';
    assert.deepEqual(
      {
        mailFrom: mail?.mailFrom,
        rcptTo: mail?.rcptTo,
        secure: mail?.secure,
        subject: mail?.parsed.subject,
        to: recipientsOf(mail?.parsed.to),
        autoSubmitted: mail?.parsed.headers.get('auto-submitted'),
        run: mail?.parsed.headers.get('x-kubeline-run'),
        attachments: mail?.parsed.attachments.map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          size: attachment.size,
          content: attachment.content.toString('utf8') === html,
        })),
      },
      {
        mailFrom: 'kubeline@acme.example',
        rcptTo: ['security@acme.example', 'platform@acme.example'],
        secure: false,
        subject: 'kubeline: 3 failing — 3 clusters',
        to: ['security@acme.example', 'platform@acme.example'],
        autoSubmitted: 'auto-generated',
        run: '20261129T020000Z-abc123',
        attachments: [
          { filename: 'report.html', contentType: 'text/html', size: Buffer.byteLength(html), content: true },
        ],
      },
    );
    assert.match(
      mail?.parsed.text ?? '',
      /^kubeline: 3 failing — 3 clusters\n\nKubernetes control-plane report\n/,
    );
    assert.match(mail?.parsed.html || '', /<h1 style="[^"]*">Kubernetes control-plane report<\/h1>/);
    const links = linksIn(mail?.parsed.text ?? '');
    assert.deepEqual([...links.keys()], ['report.html', 'report.json']);
    for (const file of run.files) {
      const response = await fetch(links.get(file.name) ?? '');
      assert.deepEqual([response.status, await response.text()], [200, run.bodies.get(file.key)]);
      assert.match(
        mail?.parsed.html || '',
        new RegExp(
          `<a href="http://127\\.0\\.0\\.1:\\d+/[^"]+" style="color:#0b57d0;">${file.name.replace('.', '\\.')}</a>`,
        ),
      );
    }
    const forged = (links.get('report.json') ?? '').replace('report.json', 'report.html');
    assert.equal((await fetch(forged)).status, 403, 'the store serves signed links only');
  });

  for (const method of ['PLAIN', 'LOGIN']) {
    it(`logs in with AUTH ${method} after STARTTLS, trusting the private CA of caFile`, async () => {
      const smtp = await peer({ tls, users: USERS, authMethods: [method] });
      const config = smtpConfig(
        smtp.port,
        `secure: starttls, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, caFile: ${JSON.stringify(tls.caFile)}`,
      );
      const [notifier] = notifiersFrom(parseConfig(config, 'c.yaml'), ENV);
      const result = await notifier?.notify(publishedRun());
      assert.deepEqual(result?.failures, []);
      assert.deepEqual(
        smtp.received.map((mail) => ({ secure: mail.secure, user: mail.user })),
        [{ secure: true, user: 'kubeline-mailer' }],
      );
    });
  }

  it('speaks implicit TLS with secure: tls', async () => {
    const smtp = await peer({ tls, implicitTls: true, users: USERS });
    const config = smtpConfig(
      smtp.port,
      `secure: tls, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, caFile: ${JSON.stringify(tls.caFile)}`,
    );
    const [notifier] = notifiersFrom(parseConfig(config, 'c.yaml'), ENV);
    const result = await notifier?.notify(publishedRun());
    assert.deepEqual([result?.delivered, smtp.received[0]?.secure], [1, true]);
  });

  it('refuses a server certificate that no trusted CA signed', async () => {
    const smtp = await peer({ tls, users: USERS });
    const config = smtpConfig(smtp.port, 'secure: starttls, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD');
    const [notifier] = notifiersFrom(parseConfig(config, 'c.yaml'), ENV);
    const result = await notifier?.notify(publishedRun());
    assert.deepEqual(
      result?.failures.map((failure) => failure.recipients),
      [['security@acme.example', 'platform@acme.example']],
    );
    assert.match(
      result?.failures[0]?.reason ?? '',
      /^ESOCKET: .*(self-signed|unable to verify|certificate)/i,
    );
    assert.deepEqual([smtp.received, smtp.failedLogins], [[], []], 'no password was sent to the impostor');
  });

  it('refuses to go on in clear text when STARTTLS is required and the server does not offer it', async () => {
    const smtp = await peer({ users: USERS });
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: 'starttls',
        userEnv: 'SMTP_USER',
        passwordEnv: 'SMTP_PASSWORD',
      },
      env: ENV,
    });
    const result = await notifier.notify(publishedRun());
    assert.equal(result.delivered, 0);
    assert.match(result.failures[0]?.reason ?? '', /^ETLS: .*STARTTLS/);
    assert.deepEqual(smtp.failedLogins, []);
  });

  it('reports a refused login in one line that never holds the password', async () => {
    const smtp = await peer({ users: USERS });
    const wrong = `${PASSWORD} but wrong`;
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: 'none',
        userEnv: 'SMTP_USER',
        passwordEnv: 'SMTP_PASSWORD',
      },
      env: { SMTP_USER: 'kubeline-mailer', SMTP_PASSWORD: wrong },
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(result, {
      notifier: `smtp 127.0.0.1:${smtp.port}`,
      delivered: 0,
      failures: [
        {
          notifier: `smtp 127.0.0.1:${smtp.port}`,
          recipients: ['security@acme.example'],
          reason: 'EAUTH: Invalid login: 535 Invalid username or password',
        },
      ],
    });
    assert.deepEqual(smtp.failedLogins, ['kubeline-mailer']);
    assert.equal(JSON.stringify(result).includes(wrong), false);
  });

  it('reports a server that is down', async () => {
    const closed = await peer();
    await closed.stop();
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: { host: '127.0.0.1', port: closed.port, secure: 'none' },
      env: {},
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(result.failures, [
      {
        notifier: `smtp 127.0.0.1:${closed.port}`,
        recipients: ['security@acme.example'],
        reason: `ESOCKET: connect ECONNREFUSED 127.0.0.1:${closed.port}`,
      },
    ]);
  });

  it('gives up on a server that accepts the connection and never greets, within the greeting timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          silent.close(() => resolve());
          silent.unref();
        }),
    );
    const { port } = silent.address() as AddressInfo;
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: { host: '127.0.0.1', port, secure: 'none' },
      env: {},
      timeouts: { connectionMs: 1_000, greetingMs: 200, socketMs: 1_000 },
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(
      result.failures.map((failure) => failure.reason),
      ['ETIMEDOUT: Greeting never received'],
    );
  });

  it('says which environment variable is missing, and sends nothing', async () => {
    const smtp = await peer({ users: USERS });
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: 'none',
        userEnv: 'SMTP_USER',
        passwordEnv: 'SMTP_PASSWORD',
      },
      env: { SMTP_USER: 'kubeline-mailer' },
    });
    const result: NotificationResult = await notifier.notify(publishedRun());
    assert.deepEqual(
      result.failures.map((failure) => failure.reason),
      ['SMTP password: environment variable SMTP_PASSWORD is not set'],
    );
    assert.deepEqual(smtp.received, []);
  });

  it('says when the CA file cannot be read', async () => {
    const smtp = await peer({ tls });
    const notifier = smtpNotifier({
      email: emailSettings(),
      smtp: { host: '127.0.0.1', port: smtp.port, secure: 'starttls', caFile: '/nonexistent/ca.pem' },
      env: {},
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(
      result.failures.map((failure) => failure.reason),
      ['notify.email.smtp.caFile /nonexistent/ca.pem: cannot read (ENOENT)'],
    );
  });

  it('delivers to each owner only the findings of their clusters', async () => {
    const smtp = await peer();
    const clusters = [
      eksPosture({ id: 'eks-pay', name: 'pay-prod', tags: { team: 'payments' } }),
      gkePosture({ id: 'gke-web', name: 'web-prod', tags: { team: 'web' } }),
      gkePosture({ id: 'gke-lab', name: 'lab' }),
    ];
    const findings = clusters.map((cluster) =>
      finding({ checkId: 'EP-01', clusterId: cluster.id, provider: cluster.provider, status: 'fail' }),
    );
    const config = smtpConfig(
      smtp.port,
      'secure: none',
      '    owners: { tag: team, addresses: { payments: payments@acme.example, web: [web@acme.example] } }\n',
    );
    const [notifier] = notifiersFrom(parseConfig(config, 'c.yaml'), {});
    const result = await notifier?.notify(publishedRun({ input: { clusters, findings } }));
    assert.deepEqual([result?.delivered, result?.failures], [3, []]);
    const byRecipient = smtp.received.map((mail) => ({
      rcptTo: mail.rcptTo,
      subject: mail.parsed.subject,
      clusters: ['pay-prod', 'web-prod', 'lab'].filter((name) => mail.parsed.text?.includes(name)),
      attachments: mail.parsed.attachments.length,
    }));
    assert.deepEqual(byRecipient, [
      {
        rcptTo: ['security@acme.example', 'platform@acme.example'],
        subject: 'kubeline: 3 failing — 3 clusters',
        clusters: ['pay-prod', 'web-prod', 'lab'],
        attachments: 1,
      },
      {
        rcptTo: ['payments@acme.example'],
        subject: 'kubeline: 1 failing — team payments, 1 cluster',
        clusters: ['pay-prod'],
        attachments: 0,
      },
      {
        rcptTo: ['web@acme.example'],
        subject: 'kubeline: 1 failing — team web, 1 cluster',
        clusters: ['web-prod'],
        attachments: 0,
      },
    ]);
  });

  it('keeps hostile cluster names and tags escaped in HTML, plain in text and out of the headers', async () => {
    const smtp = await peer();
    const hostile = `<script>alert("x")</script>{{constructor}} & 'q'\r\nBcc: evil@attacker.example\r\n\r\n<b>`;
    const clusters = [eksPosture({ id: 'eks-1', name: hostile, tags: { team: hostile } })];
    const findings = [finding({ checkId: 'EP-01', clusterId: 'eks-1', status: 'fail', message: hostile })];
    const notifier = smtpNotifier({
      email: emailSettings({
        subjectPrefix: 'kubeline acme',
        owners: { tag: 'team', addresses: { [hostile]: ['owner@acme.example'] } },
      }),
      smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
      env: {},
    });
    const result = await notifier.notify(publishedRun({ input: { clusters, findings } }));
    assert.deepEqual([result.delivered, result.failures], [2, []]);
    const [, owner] = smtp.received;
    assert.deepEqual(
      smtp.received.map((mail) => ({
        rcptTo: mail.rcptTo,
        bcc: mail.parsed.bcc,
        subject: mail.parsed.subject,
      })),
      [
        {
          rcptTo: ['security@acme.example'],
          bcc: undefined,
          subject: 'kubeline acme: 1 failing — 1 cluster',
        },
        {
          rcptTo: ['owner@acme.example'],
          bcc: undefined,
          subject: `kubeline acme: 1 failing — team <script>alert("x")</script>{{constructor}} & 'q' Bcc: evil@attacker.example <b>, 1 cluster`,
        },
      ],
    );
    for (const mail of smtp.received) {
      const html = mail.parsed.html || '';
      assert.equal(/<script>|<b>/.test(html), false);
      assert.match(
        html,
        /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\{\{constructor\}\} &amp; &#x27;q&#x27; Bcc: evil@attacker\.example &lt;b&gt;/,
      );
      assert.equal(/&(amp|lt|gt|quot|#x27);/.test(mail.parsed.text ?? ''), false);
      assert.equal(/^Bcc:/m.test(mail.parsed.text ?? ''), false);
    }
    assert.match(
      owner?.parsed.text ?? '',
      /<script>alert\("x"\)<\/script>\{\{constructor\}\} & 'q' Bcc: evil@attacker\.example <b>/,
    );
  });
});
