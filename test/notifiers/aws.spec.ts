import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { parseConfig } from '../../config/load.js';
import { notifiersFrom } from '../../notifiers/index.js';
import { passwordOf } from '../../notifiers/secrets.js';
import { sesNotifier } from '../../notifiers/ses.js';
import { findMotoPython, type MotoProcess, startMoto } from '../peers/aws/motoProcess.js';
import { emailSettings, publishedRun } from './fixtures.js';
import { type SmtpPeer, startSmtpPeer } from './smtpPeer.js';

const REGION = 'eu-west-1';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** What moto's `/moto-api/data.json` holds of SES: raw messages as sent. */
interface MotoSesDump {
  readonly ses?: { readonly RawMessage?: readonly { readonly source: string; readonly raw_data: string }[] };
}

describe('notifiers/ses and the SMTP password secret, against moto', function () {
  this.timeout(60_000);
  let moto: MotoProcess;
  let env: Record<string, string>;

  before(async () => {
    moto = await startMoto(await findMotoPython());
    env = { AWS_ENDPOINT_URL: `http://127.0.0.1:${moto.port}`, AWS_REGION: REGION };
  });
  after(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  const client = <T>(Client: new (config: object) => T): T =>
    new Client({ region: REGION, endpoint: env.AWS_ENDPOINT_URL, credentials: TEST_CREDENTIALS });

  async function verifySender(identity: string): Promise<void> {
    const ses = client(SESv2Client);
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: identity }));
    ses.destroy();
  }

  async function sentRawMessages() {
    const response = await fetch(`${env.AWS_ENDPOINT_URL}/moto-api/data.json`);
    const dump = (await response.json()) as MotoSesDump;
    return Promise.all((dump.ses?.RawMessage ?? []).map((message) => simpleParser(message.raw_data)));
  }

  it('sends the run email as a raw SES v2 message with both parts and the attachment', async () => {
    // Prepare
    await verifySender('acme.example');
    const config = parseConfig(
      `notify:\n  email:\n    transport: ses\n    from: kubeline@acme.example\n    to: [security@acme.example]\n    ses: { region: ${REGION} }\n`,
      'c.yaml',
    );
    const [notifier] = notifiersFrom(config, { AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL });
    const run = publishedRun();
    // Act
    const result = await notifier?.notify(run);
    // Assess
    assert.deepEqual(result, { notifier: `ses ${REGION}`, delivered: 1, failures: [] });
    const sent = await sentRawMessages();
    const html = run.bodies.get(run.files[0]?.key ?? '') ?? '';
    assert.deepEqual(
      sent.map((mail) => ({
        subject: mail.subject,
        from: mail.from?.text,
        to: mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined,
        text: /^kubeline: 3 failing — 3 clusters\n/.test(mail.text ?? ''),
        html: (mail.html || '').includes(
          '<h1 style="font-size:20px;margin:0 0 4px;">Kubernetes control-plane report</h1>',
        ),
        attachments: mail.attachments.map((attachment) => [
          attachment.filename,
          attachment.contentType,
          attachment.content.toString('utf8') === html,
        ]),
      })),
      [
        {
          subject: 'kubeline: 3 failing — 3 clusters',
          from: 'kubeline@acme.example',
          to: 'security@acme.example',
          text: true,
          html: true,
          attachments: [['report.html', 'text/html', true]],
        },
      ],
    );
  });

  /** Forwards every request to moto and keeps its path and body, to see what the SDK put on the wire. */
  async function recordingProxy(): Promise<{
    url: string;
    requests: { path: string; body: string }[];
    server: Server;
  }> {
    const requests: { path: string; body: string }[] = [];
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      requests.push({ path: request.url ?? '', body: body.toString('utf8') });
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: moto.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.writeHead(502).end());
      upstream.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
  }

  it('sends with the configured configuration set, as Raw content', async () => {
    await verifySender('acme.example');
    const proxy = await recordingProxy();
    try {
      const notifier = sesNotifier({
        email: emailSettings(),
        ses: { region: REGION, configurationSet: 'kubeline-reports' },
        env: { AWS_ENDPOINT_URL: proxy.url },
      });
      const result = await notifier.notify(publishedRun());
      assert.equal(result.delivered, 1);
      const sends = proxy.requests.filter((request) => request.path === '/v2/email/outbound-emails');
      assert.deepEqual(
        sends.map((request) => {
          const body = JSON.parse(request.body);
          return { configurationSet: body.ConfigurationSetName, raw: typeof body.Content?.Raw?.Data };
        }),
        [{ configurationSet: 'kubeline-reports', raw: 'string' }],
      );
    } finally {
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    }
  });

  it('takes the region from AWS_REGION when the configuration names none', async () => {
    await verifySender('kubeline@acme.example');
    const notifier = sesNotifier({ email: emailSettings(), ses: {}, env });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual([result.notifier, result.delivered], [`ses ${REGION}`, 1]);
  });

  it('reports a sender SES has not verified, with the SES error', async () => {
    const notifier = sesNotifier({ email: emailSettings(), ses: { region: REGION }, env });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(result.failures, [
      {
        notifier: `ses ${REGION}`,
        recipients: ['security@acme.example'],
        reason: 'MessageRejected: Did not have authority to send from email kubeline@acme.example',
      },
    ]);
  });

  it('reports a missing region instead of guessing one', async () => {
    const notifier = sesNotifier({
      email: emailSettings(),
      ses: {},
      env: { AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? '' },
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(result, {
      notifier: 'ses (no region)',
      delivered: 0,
      failures: [
        {
          notifier: 'ses (no region)',
          recipients: ['security@acme.example'],
          reason: 'no AWS region for SES: set notify.email.ses.region or AWS_REGION',
        },
      ],
    });
  });

  describe('SMTP password from AWS Secrets Manager', () => {
    let smtp: SmtpPeer;
    const password = 'from-the-secret-store-0123';
    beforeEach(async () => {
      smtp = await startSmtpPeer({ users: { 'kubeline-mailer': password } });
    });
    afterEach(async () => {
      await smtp?.stop();
    });

    async function secretArn(value: string): Promise<string> {
      const secrets = client(SecretsManagerClient);
      const created = await secrets.send(
        new CreateSecretCommand({ Name: 'kubeline/smtp', SecretString: value }),
      );
      secrets.destroy();
      return created.ARN ?? '';
    }

    function smtpConfig(arn: string): string {
      return `notify:\n  email:\n    transport: smtp\n    from: kubeline@acme.example\n    to: [security@acme.example]\n    smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: none, userEnv: SMTP_USER, passwordSecret: "${arn}" }\n`;
    }

    for (const [shape, value] of [
      ['the whole secret string', password],
      ['the password key of a JSON secret', JSON.stringify({ username: 'ignored', password })],
    ] as const) {
      it(`logs in with ${shape}`, async () => {
        const arn = await secretArn(value);
        const [notifier] = notifiersFrom(parseConfig(smtpConfig(arn), 'c.yaml'), {
          ...env,
          SMTP_USER: 'kubeline-mailer',
        });
        const result = await notifier?.notify(publishedRun());
        assert.deepEqual(
          [result?.delivered, result?.failures, smtp.received[0]?.user],
          [1, [], 'kubeline-mailer'],
        );
      });
    }

    it('reports a secret that cannot be read, naming it', async () => {
      const arn = `arn:aws:secretsmanager:${REGION}:123456789012:secret:kubeline/missing-AbCdEf`;
      const [notifier] = notifiersFrom(parseConfig(smtpConfig(arn), 'c.yaml'), {
        ...env,
        SMTP_USER: 'kubeline-mailer',
      });
      const result = await notifier?.notify(publishedRun());
      assert.equal(result?.delivered, 0);
      assert.match(
        result?.failures[0]?.reason ?? '',
        new RegExp(`^cannot read the SMTP password from ${arn}: ResourceNotFoundException: `),
      );
      assert.deepEqual(smtp.received, []);
    });
  });

  it('reads a password from a plain or JSON secret string', () => {
    assert.deepEqual(
      [
        passwordOf('plain'),
        passwordOf('{"password":"json"}'),
        passwordOf('{"user":"x"}'),
        passwordOf('{"password":42}'),
        passwordOf('["password"]'),
      ],
      ['plain', 'json', '{"user":"x"}', '{"password":42}', '["password"]'],
    );
  });
});
