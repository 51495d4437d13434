import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSettingsFrom, waiversFrom } from '../../config/domain.js';
import { ConfigError, loadConfig, parseConfig, validateConfigReferences } from '../../config/load.js';

const IDS = ['EP-01', 'EP-02', 'VER-05'];

describe('config: parse and validate', () => {
  it('accepts the documented example shape and maps settings and waivers to domain types', () => {
    const config = parseConfig(
      `
targets:
  eks: { regions: [us-east-1], accounts: [{ id: "111111111111", roleArn: "arn:aws:iam::111111111111:role/kubeline-read" }] }
  gke: { projects: [acme-prod] }
  aks: { subscriptions: ["00000000-0000-0000-0000-000000000001"] }
checks:
  settings: { maxMinorLag: 2 }
  disable: [VER-05]
  severity: { EP-02: medium }
waivers:
  - check: EP-01
    clusters: { provider: eks, name: "legacy-*" }
    reason: VPN migration
    owner: platform@acme.example
    expires: 2027-03-01
output: { sinks: [./reports], formats: [html, json] }
`,
      'test.yaml',
    );
    assert.equal(checkSettingsFrom(config).maxMinorLag, 2);
    assert.equal(checkSettingsFrom(config).eosWarningDays, 90);
    assert.deepEqual(waiversFrom(config), [
      {
        check: 'EP-01',
        clusters: { provider: 'eks', name: 'legacy-*' },
        reason: 'VPN migration',
        owner: 'platform@acme.example',
        expires: '2027-03-01',
      },
    ]);
    validateConfigReferences(config, IDS, '2026-11-29', 'test.yaml');
  });

  it('rejects unknown keys, naming the path', () => {
    assert.throws(() => parseConfig('checks:\n  setings: {}\n', 'c.yaml'), {
      name: 'ConfigError',
      message: 'c.yaml: checks: Unrecognized key: "setings"',
    });
  });

  it('accepts notify.email and output.linkLifetimeDays as documented', () => {
    const config = parseConfig(
      `
output: { linkLifetimeDays: 3 }
notify:
  email:
    transport: smtp
    from: kubeline@acme.example
    to: [security@acme.example]
    subjectPrefix: kubeline acme prod
    attachMaxBytes: 1048576
    smtp: { host: smtp.acme.example, port: 587, secure: starttls, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, caFile: /etc/ssl/acme-ca.pem }
    owners: { tag: team, addresses: { payments: payments@acme.example, web: [web@acme.example, web-lead@acme.example] } }
`,
      'c.yaml',
    );
    assert.deepEqual(config, {
      output: { linkLifetimeDays: 3 },
      notify: {
        email: {
          transport: 'smtp',
          from: 'kubeline@acme.example',
          to: ['security@acme.example'],
          subjectPrefix: 'kubeline acme prod',
          attachMaxBytes: 1_048_576,
          smtp: {
            host: 'smtp.acme.example',
            port: 587,
            secure: 'starttls',
            userEnv: 'SMTP_USER',
            passwordEnv: 'SMTP_PASSWORD',
            caFile: '/etc/ssl/acme-ca.pem',
          },
          owners: {
            tag: 'team',
            addresses: {
              payments: 'payments@acme.example',
              web: ['web@acme.example', 'web-lead@acme.example'],
            },
          },
        },
      },
    });
  });

  it('accepts SES with a password-free configuration and owners only', () => {
    const config = parseConfig(
      'notify:\n  email: { transport: ses, from: kubeline@acme.example, ses: { region: eu-west-1, configurationSet: kubeline }, owners: { tag: team, addresses: { data: data@acme.example } } }\n',
      'c.yaml',
    );
    assert.deepEqual(config.notify?.email?.ses, { region: 'eu-west-1', configurationSet: 'kubeline' });
  });

  const email = (fields: string) =>
    `notify:\n  email: { transport: smtp, from: kubeline@acme.example, to: [security@acme.example], ${fields} }\n`;
  const smtp = (fields: string) => email(`smtp: { host: smtp.acme.example, port: 587, ${fields} }`);
  for (const [name, text, message] of [
    [
      'a link lifetime over 7 days',
      'output: { linkLifetimeDays: 8 }\n',
      'output.linkLifetimeDays: Too big: expected number to be <=7',
    ],
    [
      'a link lifetime under a day',
      'output: { linkLifetimeDays: 0 }\n',
      'output.linkLifetimeDays: Too small: expected number to be >=1',
    ],
    [
      'smtp transport without smtp settings',
      email(''),
      'notify.email.smtp: transport smtp needs the smtp settings (host, port, secure)',
    ],
    [
      'a password written in the file',
      smtp('secure: starttls, userEnv: U, password: hunter2'),
      'notify.email.smtp.password: never write a password in the configuration: use passwordEnv or passwordSecret',
    ],
    [
      'clear text to a host that is not loopback',
      smtp('secure: none'),
      'notify.email.smtp.secure: secure: none sends mail and credentials in clear text: only for a loopback host; use tls or starttls',
    ],
    [
      'two password sources',
      smtp(
        'secure: tls, userEnv: U, passwordEnv: P, passwordSecret: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:smtp-AbCdEf"',
      ),
      'notify.email.smtp: give either passwordEnv or passwordSecret, not both',
    ],
    [
      'a user without a password',
      smtp('secure: tls, userEnv: U'),
      'notify.email.smtp: authentication needs both userEnv and a password (passwordEnv or passwordSecret); give both or neither',
    ],
    [
      'a secret that is not a Secrets Manager ARN',
      smtp('secure: tls, userEnv: U, passwordSecret: smtp-password'),
      'notify.email.smtp.passwordSecret: expected the ARN of an AWS Secrets Manager secret',
    ],
    [
      'an environment variable name with a space',
      smtp('secure: tls, userEnv: "SMTP USER", passwordEnv: P'),
      'notify.email.smtp.userEnv: expected the name of an environment variable',
    ],
    [
      'a recipient that is not an address',
      'notify:\n  email: { transport: ses, from: kubeline@acme.example, to: [security] }\n',
      'notify.email.to.0: expected an email address',
    ],
    [
      'a line break in the subject prefix',
      'notify:\n  email: { transport: ses, from: kubeline@acme.example, to: [a@acme.example], subjectPrefix: "kubeline\\r\\nBcc: x@evil.example" }\n',
      'notify.email.subjectPrefix: must be one line without control characters',
    ],
    [
      'owner values that differ only in case',
      'notify:\n  email: { transport: ses, from: kubeline@acme.example, owners: { tag: team, addresses: { Web: a@acme.example, web: b@acme.example } } }\n',
      'notify.email.owners.addresses: two tag values differ only in case; values are matched ignoring case',
    ],
    [
      'nobody to email',
      'notify:\n  email: { transport: ses, from: kubeline@acme.example }\n',
      'notify.email: nobody to email: give to, owners, or both',
    ],
    [
      'ses settings with the smtp transport',
      email('smtp: { host: 127.0.0.1, port: 25, secure: none }, ses: { region: eu-west-1 }'),
      'notify.email.ses: ses settings are only read with transport ses',
    ],
    [
      'smtp settings with the ses transport',
      'notify:\n  email: { transport: ses, from: kubeline@acme.example, to: [a@acme.example], smtp: { host: 127.0.0.1, port: 25, secure: none } }\n',
      'notify.email.smtp: smtp settings are only read with transport smtp',
    ],
    [
      'an attachment limit over 25 MiB',
      email('smtp: { host: 127.0.0.1, port: 25, secure: none }, attachMaxBytes: 26214401'),
      'notify.email.attachMaxBytes: Too big: expected number to be <=26214400',
    ],
  ] as const) {
    it(`rejects ${name}, naming the key`, () => {
      assert.throws(() => parseConfig(text, 'c.yaml'), {
        name: 'ConfigError',
        message: `c.yaml: ${message}`,
      });
    });
  }

  it('rejects malformed YAML with the line', () => {
    assert.throws(
      () => parseConfig('checks: [\n', 'c.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^c\.yaml: not valid YAML at line \d+/);
        return true;
      },
    );
  });

  it('rejects a waiver without expiry and one that selects no clusters', () => {
    assert.throws(
      () => parseConfig('waivers:\n  - { check: EP-01, clusters: {}, reason: r, owner: o }\n', 'c.yaml'),
      /waivers\.0\.clusters: a waiver must select clusters.*waivers\.0\.expires: Invalid input/,
    );
  });

  it('rejects unknown check ids and waivers more than a year ahead', () => {
    const config = parseConfig(
      'checks: { disable: [NOPE-1] }\nwaivers:\n  - { check: EP-01, clusters: { name: x }, reason: r, owner: o, expires: 2028-01-01 }\n',
      'c.yaml',
    );
    assert.throws(() => validateConfigReferences(config, IDS, '2026-11-29', 'c.yaml'), {
      message:
        'c.yaml: checks.disable.0: unknown check id "NOPE-1"; waivers.0.expires: 2028-01-01 is more than a year after 2026-11-29; waivers must be renewed yearly',
    });
  });

  it('rejects a day that does not exist', () => {
    const config = parseConfig(
      'waivers:\n  - { check: EP-01, clusters: { name: x }, reason: r, owner: o, expires: 2027-02-30 }\n',
      'c.yaml',
    );
    assert.throws(
      () => validateConfigReferences(config, IDS, '2026-11-29', 'c.yaml'),
      /2027-02-30 is not a calendar day/,
    );
  });

  it('reads KUBELINE_CONFIG inline, or as a path, and defaults to an empty config', async () => {
    const inline = await loadConfig(undefined, { KUBELINE_CONFIG: 'checks:\n  disable: [EP-01]\n' });
    assert.deepEqual(inline, { config: { checks: { disable: ['EP-01'] } }, source: 'KUBELINE_CONFIG' });
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-config-'));
    const file = join(folder, 'k.yaml');
    await writeFile(file, 'output: { formats: [json] }\n');
    assert.deepEqual(await loadConfig(undefined, { KUBELINE_CONFIG: file }), {
      config: { output: { formats: ['json'] } },
      source: file,
    });
    assert.deepEqual((await loadConfig(undefined, {})).config, {});
  });

  it('reports a missing --config file as a ConfigError', async () => {
    await assert.rejects(loadConfig('/nonexistent/kubeline.yaml', {}), {
      name: 'ConfigError',
      message: '/nonexistent/kubeline.yaml: cannot read the file (ENOENT)',
    });
  });
});

describe('config: JSON Schema for editors', () => {
  it('is committed and up to date with the validator (run npm run schema after changing config/schema.ts)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { configJsonSchemaText } = await import('../../config/jsonSchema.js');
    const committed = await readFile(
      new URL('../../config/kubeline.config.schema.json', import.meta.url),
      'utf8',
    );
    assert.equal(committed, configJsonSchemaText());
  });
});
