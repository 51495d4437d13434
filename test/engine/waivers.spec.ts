import assert from 'node:assert/strict';
import { applyWaivers, describeSelector, selectorMatches, type Waiver } from '../../engine/waivers.js';
import type { Finding } from '../../model/finding.js';
import { eksPosture, gkePosture } from '../fixtures/postures.js';

const legacy = eksPosture({
  id: 'arn:legacy',
  name: 'legacy-billing',
  scope: '111111111111',
  tags: { team: 'payments' },
});
const modern = gkePosture({ id: 'projects/p/locations/l/clusters/modern', name: 'modern', scope: 'p' });

function finding(clusterId: string, status: Finding['status'], checkId = 'EP-01'): Finding {
  return {
    checkId,
    clusterId,
    provider: clusterId === legacy.id ? 'eks' : 'gke',
    status,
    severity: 'high',
    responsibility: 'customer',
    message: 'm',
    evidence: [],
    compliance: [],
  };
}

function waiver(overrides: Partial<Waiver> = {}): Waiver {
  return {
    check: 'EP-01',
    clusters: { name: 'legacy-*' },
    reason: 'VPN migration',
    owner: 'platform@acme.example',
    expires: '2027-03-01',
    ...overrides,
  };
}

describe('engine: waivers', () => {
  it('waives a failing finding it covers and keeps the original status', () => {
    const { findings, notices } = applyWaivers(
      [finding(legacy.id, 'fail')],
      [legacy],
      [waiver()],
      '2026-11-29',
    );
    assert.deepEqual(findings[0]?.status, 'waived');
    assert.deepEqual(findings[0]?.waiver, {
      reason: 'VPN migration',
      owner: 'platform@acme.example',
      expires: '2027-03-01',
      originalStatus: 'fail',
    });
    assert.deepEqual(notices, []);
  });

  it('leaves passing findings, other checks and other clusters alone', () => {
    const input = [
      finding(legacy.id, 'pass'),
      finding(legacy.id, 'fail', 'EP-02'),
      finding(modern.id, 'fail'),
    ];
    const { findings } = applyWaivers(input, [legacy, modern], [waiver()], '2026-11-29');
    assert.deepEqual(
      findings.map((item) => item.status),
      ['pass', 'fail', 'fail'],
    );
  });

  it('stops applying on the day after expiry and reports the expired waiver', () => {
    const expired = waiver({ expires: '2026-11-28' });
    const { findings, notices } = applyWaivers(
      [finding(legacy.id, 'fail')],
      [legacy],
      [expired],
      '2026-11-29',
    );
    assert.equal(findings[0]?.status, 'fail');
    assert.deepEqual(notices, [{ waiver: expired, state: 'expired', daysLeft: -1, matched: 1 }]);
  });

  it('still applies on its expiry day and lists waivers expiring within 14 days', () => {
    const soon = waiver({ expires: '2026-12-13' });
    const today = waiver({ expires: '2026-11-29', check: 'EP-02' });
    const { findings, notices } = applyWaivers(
      [finding(legacy.id, 'fail'), finding(legacy.id, 'unknown', 'EP-02')],
      [legacy],
      [soon, today],
      '2026-11-29',
    );
    assert.deepEqual(
      findings.map((item) => item.status),
      ['waived', 'waived'],
    );
    assert.deepEqual(
      notices.map((notice) => [notice.state, notice.daysLeft]),
      [
        ['expiring', 14],
        ['expiring', 0],
      ],
    );
  });

  it('matches selectors on id, provider, scope, name glob and tag globs, all of them', () => {
    assert.equal(selectorMatches({ id: 'arn:legacy' }, legacy), true);
    assert.equal(selectorMatches({ provider: 'gke' }, legacy), false);
    assert.equal(selectorMatches({ scope: '111111111111', name: 'legacy-?illing' }, legacy), true);
    assert.equal(selectorMatches({ tag: { team: 'pay*' } }, legacy), true);
    assert.equal(selectorMatches({ tag: { team: 'pay*', env: '*' } }, legacy), false);
    assert.equal(selectorMatches({ name: 'legacy.billing' }, legacy), false, 'a dot in a glob is literal');
  });
});

describe('engine: waivers that must not apply', () => {
  const asOf = '2026-11-29';

  it('leaves a failing finding alone when the selector names another cluster id, and counts no match', () => {
    // Prepare
    const failing = finding(legacy.id, 'fail');
    const elsewhere = waiver({ clusters: { id: 'arn:other' }, expires: '2026-12-01' });
    // Act
    const { findings, notices } = applyWaivers([failing], [legacy], [elsewhere], asOf);
    // Assess
    assert.deepEqual(findings, [failing]);
    assert.deepEqual(notices, [{ waiver: elsewhere, state: 'expiring', daysLeft: 2, matched: 0 }]);
  });

  it('leaves a failing finding alone when the selector names another account, and counts no match', () => {
    // Prepare
    const failing = finding(legacy.id, 'fail');
    const otherAccount = waiver({ clusters: { scope: '222222222222' }, expires: '2026-12-01' });
    // Act
    const { findings, notices } = applyWaivers([failing], [legacy], [otherAccount], asOf);
    // Assess
    assert.deepEqual(findings, [failing]);
    assert.deepEqual(notices, [{ waiver: otherAccount, state: 'expiring', daysLeft: 2, matched: 0 }]);
  });

  it('leaves a finding alone when its cluster is not among the clusters given', () => {
    // Prepare: a waiver that covers every cluster, and a finding of a cluster the run did not read.
    const orphan = finding('arn:gone', 'fail');
    const everything = waiver({ clusters: { name: '*' }, expires: '2026-12-01' });
    // Act
    const { findings, notices } = applyWaivers([orphan], [legacy], [everything], asOf);
    // Assess
    assert.deepEqual(findings, [orphan]);
    assert.deepEqual(notices, [{ waiver: everything, state: 'expiring', daysLeft: 2, matched: 0 }]);
  });
});

describe('engine: describeSelector', () => {
  it('names every key of a selector, tags last, in a fixed order', () => {
    assert.equal(
      describeSelector({
        tag: { team: 'pay*', env: 'prod' },
        name: 'legacy-*',
        scope: '111111111111',
        provider: 'eks',
        id: 'arn:legacy',
      }),
      'id arn:legacy, provider eks, scope 111111111111, name legacy-*, tag team=pay*, tag env=prod',
    );
  });
});
