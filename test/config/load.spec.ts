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

  it('refuses output.linkLifetimeDays, which nothing reads yet, instead of ignoring it', () => {
    assert.throws(() => parseConfig('output:\n  linkLifetimeDays: 7\n', 'c.yaml'), {
      name: 'ConfigError',
      message:
        'c.yaml: output.linkLifetimeDays: signed report links are not available yet in this version of kubeline; remove the key',
    });
  });

  it('refuses the notify section (notify.email), which nothing sends yet, instead of ignoring it', () => {
    const config = 'notify:\n  email: { transport: smtp, from: a@acme.example, to: [b@acme.example] }\n';
    assert.throws(() => parseConfig(config, 'c.yaml'), {
      name: 'ConfigError',
      message:
        'c.yaml: notify: notifications are not available yet in this version of kubeline; remove the notify section (reports are written to output.sinks)',
    });
  });

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
