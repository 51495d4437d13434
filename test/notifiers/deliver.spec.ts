import assert from 'node:assert/strict';
import type { SendMailOptions } from 'nodemailer';
import { emailNotifier, failureReason, type MailTransport } from '../../notifiers/deliver.js';
import { emailSettings, publishedRun } from './fixtures.js';

/** A transport that records what it is asked to send and refuses the recipients it is told to. */
function recordingTransport(refuse: readonly string[] = []) {
  const sent: SendMailOptions[] = [];
  let closed = 0;
  const transport: MailTransport = {
    sendMail: async (message) => {
      const to = Array.isArray(message.to) ? message.to.map(String) : [String(message.to)];
      if (to.some((address) => refuse.includes(address))) {
        throw Object.assign(new Error(`Can't send mail - all recipients were rejected: 550 ${to[0]}`), {
          code: 'EENVELOPE',
        });
      }
      sent.push(message);
    },
    close: () => {
      closed += 1;
    },
  };
  return { transport, sent, closed: () => closed };
}

describe('notifiers/deliver: failures are results', () => {
  it('puts the error code, or an SDK error name, before the message, on one line', () => {
    const smtp = Object.assign(new Error('Invalid login: 535 Authentication failed'), { code: 'EAUTH' });
    const ses = Object.assign(new Error('Email address not verified'), {
      name: 'MessageRejected',
      code: 'ESES',
    });
    const multiline = new Error('first line\r\nsecond line');
    assert.deepEqual(
      [
        failureReason(smtp),
        failureReason(ses),
        failureReason(multiline),
        failureReason('a string'),
        failureReason(new Error('')),
      ],
      [
        'EAUTH: Invalid login: 535 Authentication failed',
        'MessageRejected: Email address not verified',
        'first line second line',
        'a string',
        'unknown error',
      ],
    );
  });

  it('never repeats a secret it was given', () => {
    const error = new Error('server said: hunter2-password is wrong for hunter2-password');
    assert.equal(
      failureReason(error, ['hunter2-password', '', 'ab']),
      'server said: [redacted] is wrong for [redacted]',
    );
  });

  it('sends every message, records each refusal with its recipients, and closes the transport once', async () => {
    const recording = recordingTransport(['payments@acme.example']);
    const notifier = emailNotifier({
      name: 'test',
      settings: emailSettings({
        owners: {
          tag: 'team',
          addresses: { payments: ['payments@acme.example'], web: ['web@acme.example'] },
        },
      }),
      open: async () => ({ transport: recording.transport, secrets: [] }),
      extra: { ses: { ConfigurationSetName: 'kubeline' } },
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(result, {
      notifier: 'test',
      delivered: 2,
      failures: [
        {
          notifier: 'test',
          recipients: ['payments@acme.example'],
          reason: "EENVELOPE: Can't send mail - all recipients were rejected: 550 payments@acme.example",
        },
      ],
    });
    assert.deepEqual(
      recording.sent.map((message) => ({ to: message.to, ses: message.ses, headers: message.headers })),
      [
        {
          to: ['security@acme.example'],
          ses: { ConfigurationSetName: 'kubeline' },
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Kubeline-Run': '20261129T020000Z-abc123' },
        },
        {
          to: ['web@acme.example'],
          ses: { ConfigurationSetName: 'kubeline' },
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Kubeline-Run': '20261129T020000Z-abc123' },
        },
      ],
    );
    assert.equal(recording.closed(), 1);
  });

  it('fails every message with the reason when the transport cannot be opened', async () => {
    const notifier = emailNotifier({
      name: 'test',
      settings: emailSettings({
        owners: { tag: 'team', addresses: { payments: ['payments@acme.example'] } },
      }),
      open: async () => {
        throw new Error('SMTP user: environment variable SMTP_USER is not set');
      },
    });
    const result = await notifier.notify(publishedRun());
    assert.deepEqual(
      result.failures.map((failure) => [failure.recipients, failure.reason]),
      [
        [['security@acme.example'], 'SMTP user: environment variable SMTP_USER is not set'],
        [['payments@acme.example'], 'SMTP user: environment variable SMTP_USER is not set'],
      ],
    );
  });

  it('fails for every configured recipient when the email cannot be composed', async () => {
    const run = {
      ...publishedRun(),
      renderHtml: () => {
        throw new Error('template broke');
      },
    };
    const notifier = emailNotifier({
      name: 'test',
      settings: emailSettings({
        owners: {
          tag: 'team',
          addresses: { b: ['b@acme.example'], a: ['a@acme.example', 'b@acme.example'] },
        },
      }),
      open: async () => ({ transport: recordingTransport().transport, secrets: [] }),
    });
    const result = await notifier.notify({ ...run, files: [] });
    assert.deepEqual(result, {
      notifier: 'test',
      delivered: 0,
      failures: [
        {
          notifier: 'test',
          recipients: ['security@acme.example'],
          reason: 'cannot compose the email: template broke',
        },
        {
          notifier: 'test',
          recipients: ['a@acme.example', 'b@acme.example'],
          reason: 'cannot compose the email: template broke',
        },
      ],
    });
  });

  it('opens no transport when there is nobody to email', async () => {
    let opened = 0;
    const notifier = emailNotifier({
      name: 'test',
      settings: emailSettings({
        to: [],
        owners: { tag: 'team', addresses: { storage: ['storage@acme.example'] } },
      }),
      open: async () => {
        opened += 1;
        return { transport: recordingTransport().transport, secrets: [] };
      },
    });
    assert.deepEqual(await notifier.notify(publishedRun()), { notifier: 'test', delivered: 0, failures: [] });
    assert.equal(opened, 0);
  });
});
