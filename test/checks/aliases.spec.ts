import assert from 'node:assert/strict';
import { CHECK_ALIASES, CHECKS, findCheck, resolveCheckId } from '../../checks/registry.js';
import { parseConfig, validateConfigReferences } from '../../config/load.js';

/** A renaming that never happened: EP-01 was once EP-00, and KUBELET-01 once KUBE-01. */
const RENAMED: Readonly<Record<string, string>> = { 'EP-00': 'EP-01', 'KUBE-01': 'KUBELET-01' };

describe('check id aliases', () => {
  it('renames no check today, and would map only old ids that are free to current ids', () => {
    // Prepare
    const ids = new Set(CHECKS.map((check) => check.id));
    // Assess
    assert.deepEqual(CHECK_ALIASES, {});
    for (const [old, current] of Object.entries(CHECK_ALIASES)) {
      assert.ok(!ids.has(old), `${old} is still a check id`);
      assert.ok(ids.has(current), `${current} is no check id`);
    }
  });

  it('resolves an alias to the current id with a notice, and leaves every other id as it is', () => {
    assert.deepEqual(resolveCheckId('EP-00', RENAMED), {
      id: 'EP-01',
      renamedFrom: 'EP-00',
      notice: 'check EP-00 was renamed EP-01; EP-00 still works, but write EP-01',
    });
    assert.deepEqual(resolveCheckId('EP-02', RENAMED), { id: 'EP-02' });
    assert.deepEqual(resolveCheckId('NOPE-1', RENAMED), { id: 'NOPE-1' });
    // Only the table's own entries are aliases, not what every object inherits.
    assert.deepEqual(resolveCheckId('constructor', RENAMED), { id: 'constructor' });
    assert.deepEqual(resolveCheckId('EP-00'), { id: 'EP-00' });
  });

  it('finds a check by its id or an alias, the alias with its notice (kubeline explain)', () => {
    const current = findCheck('EP-01', RENAMED);
    const renamed = findCheck('KUBE-01', RENAMED);
    assert.equal(current?.check.id, 'EP-01');
    assert.equal(current?.notice, undefined);
    assert.equal(renamed?.check.id, 'KUBELET-01');
    assert.equal(
      renamed?.notice,
      'check KUBE-01 was renamed KUBELET-01; KUBE-01 still works, but write KUBELET-01',
    );
    assert.equal(findCheck('EP-00'), undefined);
    assert.equal(findCheck('NOPE-1', RENAMED), undefined);
  });

  it('resolves aliases in checks.disable, checks.severity and waivers, with a notice for each', () => {
    // Prepare
    const config = parseConfig(
      `
checks:
  settings: { maxMinorLag: 2 }
  disable: [KUBE-01, VER-05]
  severity: { EP-00: low, EP-02: medium }
waivers:
  - check: EP-00
    clusters: { provider: eks, name: "legacy-*" }
    reason: VPN migration
    owner: platform@acme.example
    expires: 2027-03-01
`,
      'test.yaml',
    );
    // Act
    const resolved = validateConfigReferences(
      config,
      CHECKS.map((check) => check.id),
      '2026-11-29',
      'test.yaml',
      RENAMED,
    );
    // Assess
    assert.deepEqual(resolved.config, {
      checks: {
        settings: { maxMinorLag: 2 },
        disable: ['KUBELET-01', 'VER-05'],
        severity: { 'EP-01': 'low', 'EP-02': 'medium' },
      },
      waivers: [
        {
          check: 'EP-01',
          clusters: { provider: 'eks', name: 'legacy-*' },
          reason: 'VPN migration',
          owner: 'platform@acme.example',
          expires: '2027-03-01',
        },
      ],
    });
    assert.deepEqual(resolved.notices, [
      'test.yaml: checks.disable.0: check KUBE-01 was renamed KUBELET-01; KUBE-01 still works, but write KUBELET-01',
      'test.yaml: checks.severity.EP-00: check EP-00 was renamed EP-01; EP-00 still works, but write EP-01',
      'test.yaml: waivers.0.check: check EP-00 was renamed EP-01; EP-00 still works, but write EP-01',
    ]);
  });

  it('still rejects an id that is neither a check nor an alias, and an alias with the real, empty table', () => {
    const config = parseConfig('checks:\n  disable: [EP-00]\n', 'c.yaml');
    const ids = CHECKS.map((check) => check.id);
    assert.throws(() => validateConfigReferences(config, ids, '2026-11-29', 'c.yaml'), {
      name: 'ConfigError',
      message: 'c.yaml: checks.disable.0: unknown check id "EP-00"',
    });
    assert.deepEqual(validateConfigReferences(parseConfig('{}', 'e.yaml'), ids, '2026-11-29', 'e.yaml'), {
      config: {},
      notices: [],
    });
  });
});
