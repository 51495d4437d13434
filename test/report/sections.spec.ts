import assert from 'node:assert/strict';
import { unknown } from '../../model/observed.js';
import type { WaiverNotice } from '../../model/reportView.js';
import { collectClusters } from '../../report/sections/clusters.js';
import { buildHeader } from '../../report/sections/header.js';
import { link } from '../../report/sections/links.js';
import { buildProblems } from '../../report/sections/problems.js';
import { buildScopes, providersInRun } from '../../report/sections/scopes.js';
import { buildWaiverNotices } from '../../report/sections/waivers.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';
import { finding, RUN } from './fixtures.js';

function notice(overrides: Partial<WaiverNotice>): WaiverNotice {
  return {
    check: 'EP-01',
    selector: 'provider eks',
    owner: 'platform@acme.example',
    reason: 'VPN migration',
    expires: '2026-12-01',
    ...overrides,
  };
}

describe('report sections', () => {
  describe('waiver notices', () => {
    it('orders each list by expiry day, then check, selector and owner, and counts days from asOf', () => {
      // Prepare
      const expiringSoon = [
        notice({ check: 'NET-01', expires: '2026-12-02' }),
        notice({ check: 'EP-02', expires: '2026-12-02', owner: 'b@acme.example' }),
        notice({ check: 'EP-02', expires: '2026-12-02', owner: 'a@acme.example' }),
        notice({ check: 'EP-02', expires: '2026-12-02', selector: 'provider aks', owner: 'c@acme.example' }),
        notice({ check: 'AUD-01', expires: '2026-11-30' }),
      ];
      // Act
      const notices = buildWaiverNotices(
        { expired: [], expiringSoon },
        '2026-11-29',
        (id) => `title of ${id}`,
      );
      // Assess
      assert.equal(notices.any, true);
      assert.deepEqual(
        notices.expiringSoon.map((entry) => [entry.check, entry.selector, entry.owner, entry.daysLabel]),
        [
          ['AUD-01', 'provider eks', 'platform@acme.example', 'expires in 1 day'],
          ['EP-02', 'provider aks', 'c@acme.example', 'expires in 3 days'],
          ['EP-02', 'provider eks', 'a@acme.example', 'expires in 3 days'],
          ['EP-02', 'provider eks', 'b@acme.example', 'expires in 3 days'],
          ['NET-01', 'provider eks', 'platform@acme.example', 'expires in 3 days'],
        ],
      );
      assert.equal(notices.expiringSoon[0]?.checkTitle, 'title of AUD-01');
    });

    it('says how long ago a waiver expired, that one expires today, and that an expiry is not a day', () => {
      // Act
      const notices = buildWaiverNotices(
        {
          expired: [notice({ expires: '2026-11-26' }), notice({ check: 'EP-02', expires: '2026-11-28' })],
          expiringSoon: [notice({ expires: '2026-11-29' }), notice({ check: 'EP-02', expires: 'soon' })],
        },
        '2026-11-29',
        (id) => id,
      );
      // Assess
      assert.deepEqual(
        [...notices.expired, ...notices.expiringSoon].map((entry) => [entry.days, entry.daysLabel]),
        [
          [-3, 'expired 3 days ago'],
          [-1, 'expired 1 day ago'],
          [0, 'expires today'],
          [Number.NaN, 'expiry date soon is not a valid day'],
        ],
      );
    });

    it('has nothing to show when no waiver expired or expires soon', () => {
      assert.deepEqual(
        buildWaiverNotices({ expired: [], expiringSoon: [] }, '2026-11-29', (id) => id),
        { any: false, expired: [], expiringSoon: [] },
      );
    });
  });

  describe('problems', () => {
    it('names what could not be read, ordered by file, scope, cluster (absent first), then reason', () => {
      // Act
      const problems = buildProblems([
        { scope: 's1', cluster: 'c2', reason: 'AccessDenied' },
        { scope: 's1', cluster: 'c1', reason: 'Throttled' },
        { scope: 's1', cluster: 'c1', reason: 'AccessDenied' },
        { file: 'b.json', reason: 'not JSON' },
        { reason: 'the source threw' },
      ]);
      // Assess
      assert.deepEqual(
        problems.map((problem) => [problem.subject, problem.reason]),
        [
          ['Run', 'the source threw'],
          ['Scope s1, cluster c1', 'AccessDenied'],
          ['Scope s1, cluster c1', 'Throttled'],
          ['Scope s1, cluster c2', 'AccessDenied'],
          ['File b.json', 'not JSON'],
        ],
      );
      assert.deepEqual(problems[0], {
        file: null,
        scope: null,
        cluster: null,
        reason: 'the source threw',
        subject: 'Run',
      });
    });
  });

  describe('scopes', () => {
    it('orders scopes by provider (exported files last), scope and region, and lists the providers in the run', () => {
      // Prepare
      const scopes = [
        { provider: 'snapshot', scope: 'a.json', status: 'ok', clusters: 1 },
        { provider: 'eks', scope: '111111111111', region: 'us-east-1', status: 'ok', clusters: 2 },
        { provider: 'aks', scope: 'sub-1', status: 'error', error: 'AuthorizationFailed', clusters: 0 },
        { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 },
      ] as const;
      // Act
      const ordered = buildScopes(scopes);
      const providers = providersInRun([{ provider: 'gke' }], scopes);
      // Assess
      assert.deepEqual(
        ordered.map((scope) => [
          scope.providerName,
          scope.scope,
          scope.region,
          scope.statusLabel,
          scope.error,
        ]),
        [
          ['Amazon EKS', '111111111111', 'eu-west-1', 'Read', null],
          ['Amazon EKS', '111111111111', 'us-east-1', 'Read', null],
          ['Azure AKS', 'sub-1', null, 'Not read', 'AuthorizationFailed'],
          ['Exported file', 'a.json', null, 'Read', null],
        ],
      );
      assert.deepEqual(providers, ['eks', 'gke', 'aks']);
    });
  });

  describe('clusters', () => {
    it('orders clusters by provider, scope, location, name and id, and fills in one only a finding names', () => {
      // Act
      const clusters = collectClusters(
        [
          aksPosture({ id: 'aks-1', name: 'web' }),
          eksPosture({ id: 'eks-2', name: 'same', version: unknown('AccessDenied') }),
          eksPosture({ id: 'eks-1', name: 'same', tags: { team: 'a', env: 'prod' } }),
          gkePosture({ id: 'gke-1', location: 'europe-west1' }),
          eksPosture({ id: 'eks-0', name: 'aaa', location: 'us-west-2' }),
          eksPosture({ id: 'eks-9', name: 'zzz', scope: '000000000000' }),
        ],
        [
          finding({ checkId: 'EP-01', clusterId: 'eks-1' }),
          finding({ checkId: 'EP-01', clusterId: 'orphan' }),
        ],
      );
      // Assess
      assert.deepEqual(
        clusters.map((cluster) => [cluster.id, cluster.scope, cluster.name, cluster.version]),
        [
          ['eks-9', '000000000000', 'zzz', '1.33'],
          ['eks-1', 'example-scope', 'same', '1.33'],
          ['eks-2', 'example-scope', 'same', 'unknown'],
          ['eks-0', 'example-scope', 'aaa', '1.33'],
          ['orphan', 'unknown', 'orphan', 'unknown'],
          ['gke-1', 'example-scope', 'example', '1.33.5-gke.1080000'],
          ['aks-1', 'example-scope', 'web', '1.33'],
        ],
      );
      assert.deepEqual(clusters[1]?.tags, [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'a' },
      ]);
    });
  });

  describe('header', () => {
    it('prints the duration in seconds, minutes or hours, and unknown when the timestamps do not say', () => {
      // Prepare
      const durations = [
        ['2026-11-29T02:00:42.400Z', '42 s'],
        ['2026-11-29T02:04:12.000Z', '4 min 12 s'],
        ['2026-11-29T03:02:00.000Z', '1 h 2 min'],
        ['2026-11-29T01:59:00.000Z', 'unknown'],
        ['not a time', 'unknown'],
      ];
      // Act
      const labels = durations.map(
        ([finishedAt]) => buildHeader({ ...RUN, finishedAt: finishedAt as string }, [], []).durationLabel,
      );
      // Assess
      assert.deepEqual(
        labels,
        durations.map(([, label]) => label),
      );
    });
  });

  describe('links', () => {
    it('makes only https URLs clickable', () => {
      assert.deepEqual(
        ['https://docs.aws.amazon.com/eks/', 'http://example.com/', 'javascript:alert(1)', 'not a url'].map(
          link,
        ),
        [
          { url: 'https://docs.aws.amazon.com/eks/', href: 'https://docs.aws.amazon.com/eks/' },
          { url: 'http://example.com/', href: null },
          { url: 'javascript:alert(1)', href: null },
          { url: 'not a url', href: null },
        ],
      );
    });
  });
});
