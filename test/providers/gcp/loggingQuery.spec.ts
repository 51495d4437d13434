import assert from 'node:assert/strict';
import {
  MAX_QUERY_LENGTH,
  matchesEntry,
  parseLoggingQuery,
  type SampleEntry,
  type Truth,
  UnsupportedQuery,
} from '../../../providers/gcp/loggingQuery.js';
import { filterCoverage } from '../../../providers/gcp/projectLogging.js';

const ENTRY: SampleEntry = {
  fields: {
    logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
    resource: { type: 'k8s_cluster', labels: { cluster_name: 'prod', location: 'europe-west1' } },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'k8s.io',
      status: { code: 7, message: 'Forbidden' },
      response: { code: 403, reason: 'Forbidden' },
      authorizationInfo: [{ granted: true }, { granted: false }],
    },
    labels: { 'k8s-pod/app': 'web' },
  },
  open: [['severity'], ['protoPayload', 'methodName']],
};

function match(query: string, entry: SampleEntry = ENTRY): Truth {
  return matchesEntry(parseLoggingQuery(query), entry);
}

function refusal(query: string): string {
  try {
    parseLoggingQuery(query);
  } catch (error) {
    assert.ok(error instanceof UnsupportedQuery, String(error));
    return error.message;
  }
  return 'parsed';
}

describe('the Logging query matcher', () => {
  describe('comparisons on a sample entry', () => {
    const cases: readonly (readonly [string, Truth])[] = [
      ['resource.type="k8s_cluster"', true],
      ['resource.type=k8s_cluster', true],
      ['resource.type = "K8S_CLUSTER"', true],
      ['resource.type="gce_instance"', false],
      ['resource.type!="gce_instance"', true],
      ['resource.type!="k8s_cluster"', false],
      ['resource.type:"k8s"', true],
      ['resource.type:cluster', true],
      ['protoPayload.status.code=7', true],
      ['protoPayload.status.code="7"', true],
      ['protoPayload.status.code=07', true],
      ['protoPayload.status.code>=7', true],
      ['protoPayload.status.code>7', false],
      ['protoPayload.status.code<16', true],
      ['protoPayload.status.code<=6', false],
      ['protoPayload.response.code=(401 OR 403)', true],
      ['protoPayload.response.code=(401 OR 404)', false],
      ['protoPayload.response.code=(NOT 200)', true],
      ['protoPayload.authorizationInfo.granted=false', true],
      ['protoPayload.authorizationInfo.granted!=true', false],
      ['protoPayload.response:*', true],
      ['protoPayload.request:*', false],
      ['protoPayload.response:"forbid"', true],
      ['protoPayload.missing.code=7', false],
      ['NOT protoPayload.missing.code=7', true],
      ['protoPayload.missing.code!=7', false],
      ['labels."k8s-pod/app"="web"', true],
      ['resource."labels".cluster_name="prod"', true],
      ['resource.type<"l"', true],
      ['resource.type>"l"', false],
      ['resource.labels."cluster_name"="prod"', true],
      ['resource.labels.cluster_name="staging"', false],
      ['protopayload.servicename="k8s.io"', true],
      ['log_id("cloudaudit.googleapis.com/activity")', true],
      ['log_id("cloudaudit.googleapis.com/data_access")', false],
      ['logName:"cloudaudit.googleapis.com%2Factivity"', true],
      ['protoPayload.response.code=~"^40[13]$"', true],
      ['protoPayload.response.code!~"^40[13]$"', false],
      ['resource.type=~"K8S"', false],
      ['severity>=ERROR', 'unknown'],
      ['protoPayload.methodName:"secrets"', 'unknown'],
      ['protoPayload:"secrets"', 'unknown'],
      ['protoPayload:"k8s.io"', true],
      ['"Forbidden"', true],
      ['"no such text"', 'unknown'],
      ['', true],
      ['-- only a comment', true],
    ];
    for (const [query, expected] of cases) {
      it(`${JSON.stringify(query)} is ${expected}`, () => {
        assert.equal(match(query), expected);
      });
    }
  });

  describe('Boolean operators', () => {
    it('binds OR tighter than AND, and NOT tightest, as Cloud Logging does', () => {
      // (false OR true) AND true: with AND first it would read false OR (true AND true) — the same —
      // so the telling case is one where the groupings differ.
      assert.equal(
        match('resource.type="k8s_cluster" OR resource.type="x" protoPayload.status.code=8'),
        false,
      );
      assert.equal(
        match('resource.type="x" OR resource.type="k8s_cluster" AND protoPayload.status.code=7'),
        true,
      );
      assert.equal(match('NOT resource.type="x" OR resource.type="y"'), true);
      assert.equal(match('-resource.type="k8s_cluster"'), false);
      assert.equal(match('-(resource.type="x" OR resource.type="y")'), true);
    });

    it('ANDs terms side by side and across lines, skipping comments', () => {
      assert.equal(
        match('resource.type="k8s_cluster"\n-- denied requests\nprotoPayload.status.code=7'),
        true,
      );
      assert.equal(match('resource.type="k8s_cluster" protoPayload.status.code=16'), false);
    });

    it('is unknown only when the answer hinges on an open field', () => {
      assert.equal(match('severity>=ERROR AND resource.type="x"'), false);
      assert.equal(match('severity>=ERROR OR resource.type="k8s_cluster"'), true);
      assert.equal(match('severity>=ERROR AND resource.type="k8s_cluster"'), 'unknown');
      assert.equal(match('NOT severity>=ERROR'), 'unknown');
    });

    it('treats lower-case and, or, not as plain words to search for', () => {
      // As OR this would match; as three ANDed terms it cannot.
      assert.equal(match('resource.type="x" or resource.type="k8s_cluster"'), false);
      assert.equal(match('"k8s.io" and', { fields: ENTRY.fields, open: [] }), false);
    });
  });

  describe('what it refuses instead of guessing', () => {
    const refused: readonly (readonly [string, RegExp])[] = [
      ['sample(insertId, 0.1)', /function sample\(\) is not evaluated/],
      ['ip_in_net(jsonPayload.ip, "10.0.0.0/8")', /function ip_in_net\(\)/],
      ['log_id(activity)', /log_id\(\) takes one quoted log id/],
      ['resource.type="k8s_cluster', /quoted string is not closed/],
      ['(resource.type="k8s_cluster"', /parenthesis is not closed/],
      ['resource.type="k8s_cluster")', /closing parenthesis has no opening one/],
      ['()', /empty parentheses/],
      ['AND resource.type="x"', /AND has nothing on its left/],
      ['resource.type="x" AND', /AND has nothing on its right/],
      ['OR resource.type="x"', /OR has nothing on its left/],
      ['=7', /has no field on its left/],
      ['"quoted"=7', /comparison has no field/],
      ['resource.type=', /ends too early/],
      ['resource.type=)', /has no value/],
      ['a ~ b', /unexpected "~"/],
      ['protoPayload.response.code=~"(4+)+"', /repeats a group/],
      ['protoPayload.response.code=~"(?P<code>4)"', /is not understood/],
      [`x=~"${'a'.repeat(1001)}"`, /too long/],
      [`${'('.repeat(70)}a${')'.repeat(70)}`, /nests deeper than 64/],
      [`${'NOT '.repeat(70)}a`, /nests deeper than 64/],
      [`resource.type="${'k'.repeat(MAX_QUERY_LENGTH)}"`, /longer than 20000 characters/],
    ];
    for (const [query, reason] of refused) {
      it(`refuses ${JSON.stringify(query.length > 60 ? `${query.slice(0, 60)}…` : query)}`, () => {
        assert.match(refusal(query), reason);
      });
    }

    it('reads a hostile quoted string with escapes and control characters as data', () => {
      assert.equal(match('resource.type="k8s\\"_cluster\\\\\u0000"'), false);
      assert.equal(match('resource.type="\\k\\8s_cluster"'), true);
    });
  });
});

describe('which log-based metric filters count a GKE cluster’s failed authentications', () => {
  const cluster = { project: 'acme', location: 'europe-west1', name: 'prod' };
  const UNREADABLE = /^its filter cannot be read: /;
  const VARYING = /^its filter depends on fields that vary from one audit entry to the next/;
  const cases: readonly (readonly [string, 'covers' | 'misses' | RegExp])[] = [
    ['resource.type="k8s_cluster" AND protoPayload.status.code=7', 'covers'],
    ['resource.type="k8s_cluster" AND protoPayload.status.code=16', 'covers'],
    ['resource.type=k8s_cluster protoPayload.status.code=(7 OR 16)', 'covers'],
    ['resource.type="k8s_cluster" AND protoPayload.response.code=401', 'covers'],
    [
      'resource.type="k8s_cluster" AND (protoPayload.response.code=401 OR protoPayload.response.code=403)',
      'covers',
    ],
    ['resource.type="k8s_cluster" AND protoPayload.response.code=~"^40[13]$"', 'covers'],
    ['resource.type="k8s_cluster" AND protoPayload.authorizationInfo.granted=false', 'covers'],
    ['resource.type="k8s_cluster" AND protoPayload.status.code!=0', 'covers'],
    ['resource.type="k8s_cluster" -protoPayload.status.code=0', 'covers'],
    ['protoPayload.serviceName="k8s.io" AND protoPayload.status.code=7', 'covers'],
    [
      'log_id("cloudaudit.googleapis.com/data_access") resource.type="k8s_cluster" protoPayload.status.code=7',
      'covers',
    ],
    [
      'resource.type="k8s_cluster" AND resource.labels.cluster_name="prod" AND protoPayload.status.code=7',
      'covers',
    ],
    [
      'resource.type="k8s_cluster" AND resource.labels.cluster_name=("prod" OR "staging") protoPayload.status.code=7',
      'covers',
    ],
    [
      'resource.type="k8s_cluster" AND resource.labels.location="europe-west1" protoPayload.status.code=7',
      'covers',
    ],
    ['resource.labels.project_id="acme" resource.type="k8s_cluster" protoPayload.status.code=7', 'covers'],
    // Every failure of any Google service, not Kubernetes audit entries.
    ['protoPayload.status.code=7', 'misses'],
    ['protoPayload.authorizationInfo.granted=false', 'misses'],
    // Every Kubernetes audit entry, successes included.
    ['resource.type="k8s_cluster"', 'misses'],
    ['resource.type="k8s_cluster" AND protoPayload.status.code:*', 'misses'],
    ['resource.type="k8s_cluster" AND protoPayload.status.code=5', 'misses'],
    ['resource.type="k8s_cluster" AND NOT protoPayload.status.code=7', 'misses'],
    ['NOT resource.type="k8s_cluster" AND protoPayload.status.code=7', 'misses'],
    ['resource.type!="k8s_cluster" AND protoPayload.status.code=7', 'misses'],
    ['resource.type="k8s_cluster" OR protoPayload.status.code=7', 'misses'],
    ['resource.type="k8s_container" AND protoPayload.status.code=7', 'misses'],
    [
      'resource.type="k8s_cluster" AND resource.labels.cluster_name="staging" AND protoPayload.status.code=7',
      'misses',
    ],
    [
      'resource.type="k8s_cluster" AND resource.labels.project_id="other" AND protoPayload.status.code=7',
      'misses',
    ],
    ['resource.type="k8s_cluster" AND log_id("events") AND protoPayload.status.code=7', 'misses'],
    ['resource.type="k8s_cluster" AND jsonPayload.code=403', 'misses'],
    ['resource.type="k8s_cluster" AND protoPayload.status.code=7 AND protoPayload.status.code=16', 'misses'],
    ['resource.type="k8s_cluster" AND severity>=ERROR AND protoPayload.status.code=7', VARYING],
    [
      'resource.type="k8s_cluster" AND protoPayload.methodName:"secrets" AND protoPayload.status.code=7',
      VARYING,
    ],
    ['resource.type="k8s_cluster" AND "Forbidden"', VARYING],
    ['sample(insertId, 0.25) AND resource.type="k8s_cluster" AND protoPayload.status.code=7', UNREADABLE],
    ['resource.type="k8s_cluster" AND protoPayload.status.code=(7', UNREADABLE],
    ['resource.type="k8s_cluster" AND protoPayload.response.code=~"(40[13])+"', UNREADABLE],
  ];
  for (const [filter, expected] of cases) {
    it(`${typeof expected === 'string' ? expected : 'cannot decide'}: ${filter}`, () => {
      const coverage = filterCoverage(filter, cluster);
      if (typeof expected === 'string') assert.equal(coverage, expected);
      else {
        assert.ok(typeof coverage === 'object', JSON.stringify(coverage));
        assert.match(coverage.undecided, expected);
      }
    });
  }
});
