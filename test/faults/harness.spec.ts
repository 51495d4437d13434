import assert from 'node:assert/strict';
import type { ScanOutcome } from '../../engine/pipeline.js';
import { chaosRecorder, listingFates, scopeKey, violations } from './harness.js';

const CLUSTER = 'arn:aws:eks:eu-west-1:111111111111:cluster/c';

function finding(status: string, message = 'why') {
  return { checkId: 'EP-01', clusterId: CLUSTER, status, severity: 'high', message, evidence: [] };
}

/** A run of one EKS cluster in one scope, with what differs given. */
function run(overrides: Partial<Record<keyof ScanOutcome, unknown>> = {}): ScanOutcome {
  return {
    complete: true,
    clusters: [{ id: CLUSTER, name: 'c', provider: 'eks', scope: '111111111111', location: 'eu-west-1' }],
    scopes: [{ provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 }],
    problems: [],
    findings: [finding('fail')],
    ...overrides,
  } as unknown as ScanOutcome;
}

const SCOPE = scopeKey('111111111111', 'eu-west-1');
const listed = new Map([[SCOPE, 'listed' as const]]);
const lost = new Map([[SCOPE, 'lost' as const]]);
const lostScope = {
  complete: false,
  clusters: [],
  findings: [],
  scopes: [{ provider: 'eks', scope: '111111111111', status: 'error', error: 'AccessDenied', clusters: 0 }],
};

describe('test/faults/harness: what a run under faults must keep', () => {
  it('accepts the same run, and an unknown with a reason', () => {
    assert.deepEqual(violations(run(), run(), listed), []);
    assert.deepEqual(violations(run(), run({ findings: [finding('unknown', 'x timed out')] }), listed), []);
  });

  it('names a pass where the clean run failed, an unknown without a reason and a finding the clean run lacks', () => {
    const faulty = run({
      findings: [finding('pass'), { ...finding('unknown', ' '), checkId: 'EP-02' }],
    });
    const clean = run({ findings: [finding('fail'), { ...finding('fail'), checkId: 'EP-02' }] });
    assert.deepEqual(violations(clean, faulty, listed), [
      `${CLUSTER.toLowerCase()} EP-01: pass where the clean run had fail: why`,
      `${CLUSTER.toLowerCase()} EP-02: unknown " " where the clean run had fail "why"`,
    ]);
    assert.match(violations(run({ findings: [] }), run(), listed).join(), /is not in the clean run/);
  });

  it('allows another decided status from undetectably corrupt answers, never a pass', () => {
    const failed = run({ findings: [finding('fail', 'other')] });
    const clean = run({ findings: [finding('pass')] });
    assert.deepEqual(violations(clean, failed, listed, { undetectableCorruption: true }), []);
    assert.equal(violations(clean, failed, listed).length, 1);
    assert.equal(
      violations(run(), run({ findings: [finding('pass')] }), listed, { undetectableCorruption: true })
        .length,
      1,
    );
  });

  it('wants a scope an error exactly when its listing was lost, an account error covering its regions', () => {
    assert.deepEqual(violations(run(), run(lostScope), lost), []);
    assert.deepEqual(violations(run(), run(), lost), [
      '111111111111/eu-west-1: its listing was lost, yet the scope is ok',
    ]);
    assert.deepEqual(violations(run(), run(lostScope), listed), [
      '111111111111/eu-west-1: listed, yet the scope is an error',
    ]);
    assert.deepEqual(violations(run(), run(lostScope), new Map([[SCOPE, 'ambiguous' as const]])), []);
  });

  it('names a cluster dropped from a listed scope unless a problem accounts for it', () => {
    const dropped = run({ clusters: [], findings: [], complete: true });
    assert.deepEqual(violations(run(), dropped, listed), [
      `${CLUSTER}: dropped from a listed scope with 0 unnamed problems there`,
    ]);
    const unnamed = run({
      clusters: [],
      findings: [],
      complete: false,
      problems: [{ scope: '111111111111/eu-west-1', reason: 'a cluster has no name' }],
    });
    assert.deepEqual(violations(run(), unnamed, listed), []);
  });

  it('wants the run incomplete exactly when a scope is an error or a cluster a problem', () => {
    assert.deepEqual(violations(run(), run({ complete: false }), listed), [
      'the run says complete=false with 0 scope errors and 0 problems',
    ]);
    assert.deepEqual(violations(run(), run({ ...lostScope, complete: true }), lost), [
      'the run says complete=true with 1 scope errors and 0 problems',
    ]);
  });

  it('lets the last attempt at a listing decide its fate', () => {
    const scopesOf = (call: string) => (call === 'list' ? ['s/'] : []);
    const fate = (...faults: (string | undefined)[]) =>
      listingFates(
        faults.map((fault) => ({ call: 'list', fault: fault as never })),
        scopesOf,
      ).get('s/');
    assert.equal(fate('throttle', undefined), 'listed');
    assert.equal(fate(undefined, 'slow'), 'lost');
    assert.equal(fate('reset', 'type-confused'), 'ambiguous');
    assert.equal(listingFates([{ call: 'other', fault: 'reset' }], scopesOf).size, 0);
  });

  it("draws each request's fault from the seed, the request and its attempt, whatever order the requests arrive in", () => {
    // Prepare: 30 requests, each sent twice (an attempt and its retry), in two arrival orders
    const requests = Array.from({ length: 30 }, (_, index) => `GET /clusters/c-${index}`);
    const forward = [...requests, ...requests];
    const shuffled = [...requests.slice(15), ...requests.slice(0, 15)].reverse();
    const backward = [...shuffled, ...shuffled];
    const faults = (order: readonly string[], seed: number) => {
      const recorder = chaosRecorder<string>({ throttle: 0.4, 'server-error': 0.2 }, seed, (call) => call);
      for (const call of order) recorder.hook(call);
      const byAttempt = new Map<string, (string | undefined)[]>();
      for (const { call, fault } of recorder.log)
        byAttempt.set(call, [...(byAttempt.get(call) ?? []), fault]);
      return Object.fromEntries([...byAttempt].sort(([a], [b]) => a.localeCompare(b)));
    };
    // Act
    const [first, second, otherSeed] = [faults(forward, 7), faults(backward, 7), faults(forward, 8)];
    // Assess: the same faults per request and attempt; another seed draws others
    assert.deepEqual(second, first);
    assert.notDeepEqual(otherSeed, first);
    assert.ok(
      Object.values(first).some(([attempt, retry]) => attempt !== retry),
      'an attempt and its retry are drawn apart',
    );
  });
});
