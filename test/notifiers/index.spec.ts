import assert from 'node:assert/strict';
import { parseConfig } from '../../config/load.js';
import { emailSettingsFrom, notifiersFrom } from '../../notifiers/index.js';

describe('notifiers/index: notifiers from the configuration', () => {
  it('builds none without notify.email', () => {
    assert.deepEqual(notifiersFrom(parseConfig('output: { formats: [html] }\n', 'c.yaml'), {}), []);
  });

  it('builds the SMTP notifier, named after the relay', () => {
    const config = parseConfig(
      'notify:\n  email: { transport: smtp, from: k@acme.example, to: [s@acme.example], smtp: { host: smtp.acme.example, port: 587, secure: starttls } }\n',
      'c.yaml',
    );
    assert.deepEqual(
      notifiersFrom(config, {}).map((notifier) => notifier.name),
      ['smtp smtp.acme.example:587'],
    );
  });

  it('builds the SES notifier in the configured region, else AWS_REGION, else AWS_DEFAULT_REGION', () => {
    const ses = (region: string) =>
      parseConfig(
        `notify:\n  email: { transport: ses, from: k@acme.example, to: [s@acme.example]${region} }\n`,
        'c.yaml',
      );
    assert.deepEqual(
      [
        notifiersFrom(ses(', ses: { region: eu-central-1 }'), { AWS_REGION: 'us-east-1' }),
        notifiersFrom(ses(''), { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }),
        notifiersFrom(ses(''), { AWS_DEFAULT_REGION: 'us-west-2' }),
      ].map(([notifier]) => notifier?.name),
      ['ses eu-central-1', 'ses us-east-1', 'ses us-west-2'],
    );
  });

  it('applies the defaults: subject prefix kubeline, 5 MiB attachments, links for 7 days', () => {
    const config = parseConfig(
      'notify:\n  email: { transport: ses, from: k@acme.example, owners: { tag: team, addresses: { a: a@acme.example, b: [b@acme.example, c@acme.example] } } }\n',
      'c.yaml',
    );
    assert.deepEqual(emailSettingsFrom(config), {
      from: 'k@acme.example',
      to: [],
      subjectPrefix: 'kubeline',
      attachMaxBytes: 5_242_880,
      linkLifetimeSeconds: 604_800,
      owners: { tag: 'team', addresses: { a: ['a@acme.example'], b: ['b@acme.example', 'c@acme.example'] } },
    });
  });

  it('turns output.linkLifetimeDays into seconds', () => {
    const config = parseConfig(
      'output: { linkLifetimeDays: 1 }\nnotify:\n  email: { transport: ses, from: k@acme.example, to: [s@acme.example], subjectPrefix: nightly, attachMaxBytes: 0 }\n',
      'c.yaml',
    );
    assert.deepEqual(emailSettingsFrom(config), {
      from: 'k@acme.example',
      to: ['s@acme.example'],
      subjectPrefix: 'nightly',
      attachMaxBytes: 0,
      linkLifetimeSeconds: 86_400,
    });
  });
});
