import assert from 'node:assert/strict';
import { fail, pass } from '../../checks/support/verdict.js';
import type { Check, EvalContext, Verdict } from '../../checks/types.js';
import { standardSupport } from '../../checks/versions/standardSupport.js';
import { evaluateChecks } from '../../engine/evaluate.js';
import type { ClusterPosture } from '../../model/posture.js';
import { evalContext } from '../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../fixtures/postures.js';

type Evaluate = (cluster: ClusterPosture, ctx: EvalContext) => Verdict;

/** A check on EKS (customer) and GKE (shared) that AKS cannot express; `evaluate` serves both. */
function check(
  id: string,
  overrides: Partial<Omit<Check, 'providers'>> & { evaluate?: Evaluate; providers?: Check['providers'] } = {},
): Check {
  const { evaluate = () => pass('fine'), providers, ...rest } = overrides;
  return {
    id,
    title: `${id} holds`,
    rationale: 'test',
    category: 'endpoint',
    severity: 'high',
    source: 'api',
    providers: providers ?? {
      eks: { responsibility: 'customer', reads: [], evaluate },
      gke: { responsibility: 'shared', reads: [], evaluate },
      aks: { notApplicable: 'AKS has no such setting' },
    },
    remediation: { text: 'fix it', cli: {}, links: [] },
    ...rest,
  };
}

describe('engine: evaluateChecks', () => {
  const ctx = evalContext();
  const clusters = [gkePosture({ id: 'b-gke' }), aksPosture({ id: 'c-aks' }), eksPosture({ id: 'a-eks' })];

  it('yields one finding per cluster and check, clusters by id then checks in catalogue order', () => {
    const findings = evaluateChecks(clusters, [check('X-02'), check('X-01')], ctx);
    assert.deepEqual(
      findings.map((finding) => `${finding.clusterId}/${finding.checkId}`),
      ['a-eks/X-02', 'a-eks/X-01', 'b-gke/X-02', 'b-gke/X-01', 'c-aks/X-02', 'c-aks/X-01'],
    );
  });

  it('marks a check for another provider not_applicable with its reason', () => {
    const [finding] = evaluateChecks([aksPosture({ id: 'c-aks' })], [check('X-01')], ctx);
    assert.deepEqual(
      { status: finding?.status, message: finding?.message, evidence: finding?.evidence },
      { status: 'not_applicable', message: 'AKS has no such setting', evidence: [] },
    );
  });

  it('turns a throwing check into an error finding and still evaluates the others', () => {
    const throwing = check('X-01', {
      evaluate: () => {
        throw new TypeError('boom');
      },
    });
    const findings = evaluateChecks([eksPosture({ id: 'a-eks' })], [throwing, check('X-02')], ctx);
    assert.deepEqual(
      findings.map((finding) => [finding.checkId, finding.status, finding.message]),
      [
        ['X-01', 'error', 'The check failed to evaluate: TypeError: boom'],
        ['X-02', 'pass', 'fine'],
      ],
    );
  });

  it('files the finding under the side declared for the provider, unless the verdict overrides it', () => {
    const overriding = check('X-01', {
      evaluate: (cluster) =>
        cluster.provider === 'gke' ? { ...pass('managed'), responsibility: 'provider' } : pass('fine'),
    });
    const findings = evaluateChecks(
      clusters.slice(0, 1).concat(eksPosture({ id: 'a-eks' })),
      [overriding],
      ctx,
    );
    assert.deepEqual(
      findings.map((finding) => [finding.clusterId, finding.responsibility]),
      [
        ['a-eks', 'customer'],
        ['b-gke', 'provider'],
      ],
    );
  });

  describe('severity', () => {
    it('skips disabled checks and gives the user severity over the check default', () => {
      // Act
      const findings = evaluateChecks([eksPosture({ id: 'a-eks' })], [check('X-01'), check('X-02')], ctx, {
        disabled: new Set(['X-01']),
        severityOverrides: { 'X-02': 'low' },
      });
      // Assess
      assert.deepEqual(
        findings.map((finding) => [finding.checkId, finding.severity]),
        [['X-02', 'low']],
      );
    });

    it('gives the user severity over a verdict severity that does not raise it', () => {
      // Prepare: a verdict that sets its own severity, below the one the user chose.
      const lowering = check('X-03', { evaluate: () => ({ ...fail('x'), severity: 'medium' }) });
      // Act
      const [finding] = evaluateChecks([eksPosture({ id: 'a-eks' })], [lowering], ctx, {
        severityOverrides: { 'X-03': 'critical' },
      });
      // Assess
      assert.equal(finding?.severity, 'critical');
    });

    it('keeps a verdict severity when the user chose none', () => {
      const escalating = check('X-04', { evaluate: () => ({ ...fail('x'), severity: 'critical' }) });
      const [finding] = evaluateChecks([eksPosture({ id: 'a-eks' })], [escalating], ctx);
      assert.equal(finding?.severity, 'critical');
    });

    it('keeps VER-01 critical past the end of all support, whatever the user chose, and the user severity otherwise', () => {
      // Prepare: 1.29 left EKS extended support on 2026-03-23; 1.33 runs on paid extended support until 2027-07-29.
      const unsupported = eksPosture({
        id: 'a-eks',
        version: at('cluster.version', version('1.29'), '1.29'),
      });
      const extended = eksPosture({
        id: 'b-eks',
        version: at('cluster.version', version('1.33'), '1.33'),
        supportPlan: at('cluster.upgradePolicy.supportType', 'extended', 'EXTENDED'),
      });
      // Act
      const findings = evaluateChecks([unsupported, extended], [standardSupport], ctx, {
        severityOverrides: { 'VER-01': 'low' },
      });
      // Assess
      assert.deepEqual(
        findings.map((finding) => [finding.clusterId, finding.status, finding.severity]),
        [
          ['a-eks', 'fail', 'critical'],
          ['b-eks', 'fail', 'low'],
        ],
      );
    });
  });

  it('attaches the CIS controls mapped to the check for the cluster provider', () => {
    const [finding] = evaluateChecks([eksPosture({ id: 'a-eks' })], [check('EP-01')], ctx);
    assert.ok(finding?.compliance.some((ref) => ref.framework === 'cis-eks' && ref.control === '5.4.2'));
    assert.ok(finding?.compliance.every((ref) => ref.framework === 'cis-eks'));
  });
});

describe('engine: evaluateChecks, edge cases of the catalogue and the fleet', () => {
  const ctx = evalContext();

  it('records a check that throws something other than an Error as an error finding naming what was thrown', () => {
    // Prepare
    const throwing = check('X-01', {
      evaluate: () => {
        throw 'quota exhausted';
      },
    });
    // Act
    const findings = evaluateChecks([eksPosture({ id: 'a-eks' })], [throwing], ctx);
    // Assess
    assert.deepEqual(findings, [
      {
        checkId: 'X-01',
        clusterId: 'a-eks',
        provider: 'eks',
        status: 'error',
        severity: 'high',
        responsibility: 'customer',
        message: 'The check failed to evaluate: quota exhausted',
        evidence: [],
        compliance: [],
      },
    ]);
  });

  it('files a check that applies to no provider under the customer side', () => {
    // Prepare
    const nowhere = check('X-01', {
      providers: {
        eks: { notApplicable: 'EKS has no such setting' },
        gke: { notApplicable: 'GKE has no such setting' },
        aks: { notApplicable: 'AKS has no such setting' },
      },
    });
    // Act
    const findings = evaluateChecks([gkePosture({ id: 'b-gke' })], [nowhere], ctx);
    // Assess
    assert.deepEqual(findings, [
      {
        checkId: 'X-01',
        clusterId: 'b-gke',
        provider: 'gke',
        status: 'not_applicable',
        severity: 'high',
        responsibility: 'customer',
        message: 'GKE has no such setting',
        evidence: [],
        compliance: [],
      },
    ]);
  });

  it('keeps clusters that two sources report under the same id in the order the sources gave them', () => {
    // Prepare: the same cluster read live and from an export; the check names the cluster it saw.
    const live = eksPosture({ id: 'a-eks', name: 'read-live' });
    const exported = eksPosture({ id: 'a-eks', name: 'read-from-export' });
    const naming = check('X-01', { evaluate: (cluster) => pass(cluster.name) });
    // Act
    const findings = evaluateChecks(
      [live, exported, gkePosture({ id: '0-gke', name: 'other' })],
      [naming],
      ctx,
    );
    // Assess
    assert.deepEqual(
      findings.map((finding) => [finding.clusterId, finding.status, finding.message, finding.evidence]),
      [
        ['0-gke', 'pass', 'other', []],
        ['a-eks', 'pass', 'read-live', []],
        ['a-eks', 'pass', 'read-from-export', []],
      ],
    );
  });
});

describe('engine: evaluateChecks, what findings of a run share', () => {
  const ctx = evalContext();
  const clusters = ['a', 'b', 'c'].map((id) => eksPosture({ id: `${id}-eks` }));

  /** A check whose verdict's evidence each call builds anew, as checks do. */
  function reading(value: (cluster: ClusterPosture) => unknown, message = 'public endpoint'): Check {
    return check('X-01', {
      evaluate: (cluster) => ({
        status: 'fail',
        message,
        evidence: [
          { path: 'cluster.endpointPublicAccess', value: true },
          { path: 'cluster.detail', value: value(cluster) as never },
        ],
      }),
    });
  }

  it('keeps one copy of a message and of evidence that reads the same on every cluster', () => {
    const findings = evaluateChecks(clusters, [reading(() => 'ENABLED', `public ${'endpoint'}`)], ctx);
    const [first, ...rest] = findings;
    assert.ok(first);
    assert.equal(first.evidence.length, 2);
    for (const finding of rest) {
      assert.equal(finding.evidence, first.evidence, 'the same list');
      assert.equal(finding.message, first.message);
    }
    assert.ok(Object.isFrozen(first.evidence));
  });

  it('shares the fields two lists have in common, and keeps lists that differ apart', () => {
    const findings = evaluateChecks(clusters, [reading((cluster) => cluster.id)], ctx);
    const lists = new Set(findings.map((finding) => finding.evidence));
    assert.equal(lists.size, 3);
    assert.equal(findings[0]?.evidence[0], findings[1]?.evidence[0], 'the shared flag is one object');
    assert.deepEqual(
      findings.map((finding) => finding.evidence[1]?.value),
      ['a-eks', 'b-eks', 'c-eks'],
    );
  });

  it('leaves a list holding a large value as the check made it', () => {
    const large = 'x'.repeat(200);
    const findings = evaluateChecks(clusters, [reading(() => large)], ctx);
    assert.notEqual(findings[0]?.evidence, findings[1]?.evidence);
    assert.equal(findings[0]?.evidence[1]?.value, large);
  });

  it('leaves evidence that is no JSON as the check made it, and still finishes the run', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const values = [circular, undefined];
    for (const value of values) {
      const findings = evaluateChecks(clusters, [reading(() => value)], ctx);
      assert.equal(findings.length, clusters.length);
      assert.notEqual(findings[0]?.evidence, findings[1]?.evidence);
      assert.equal(findings[0]?.evidence[1]?.value, value);
    }
  });

  it('gives every finding without evidence one empty list', () => {
    const bare = check('X-01', { evaluate: () => pass('fine') });
    const findings = evaluateChecks(clusters, [bare], ctx);
    assert.deepEqual(findings[0]?.evidence, []);
    assert.equal(findings[0]?.evidence, findings[2]?.evidence);
  });
});
