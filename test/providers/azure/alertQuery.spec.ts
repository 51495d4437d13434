import assert from 'node:assert/strict';
import { type AksAuditTable, failedAuthenticationTables } from '../../../providers/azure/alertQuery.js';

/** Queries and the audit tables in which they look for failed authentications. */
const MATCHING: readonly (readonly [string, string, readonly AksAuditTable[]])[] = [
  ['AKSAudit with ResponseStatus.code == 401', 'AKSAudit | where ResponseStatus.code == 401', ['AKSAudit']],
  [
    'AKSAuditAdmin with an in-list of 401 and 403',
    'AKSAuditAdmin\n| where ResponseStatus.code in (401, 403)\n| summarize count() by bin(TimeGenerated, 5m)',
    ['AKSAuditAdmin'],
  ],
  [
    'both tables through a wildcard union, with toint over an indexer',
    'union AKSAudit* | where toint(ResponseStatus["code"]) == 401',
    ['AKSAudit', 'AKSAuditAdmin'],
  ],
  [
    'a union of both tables with a string comparison',
    'union AKSAudit, AKSAuditAdmin | where tostring(ResponseStatus.code) == "403"',
    ['AKSAudit', 'AKSAuditAdmin'],
  ],
  [
    'the reason Unauthorized, case-insensitively',
    'AKSAudit | where ResponseStatus.reason =~ "unauthorized"',
    ['AKSAudit'],
  ],
  ['has on the whole response status', "AKSAudit | where ResponseStatus has '401'", ['AKSAudit']],
  [
    'a column computed from the response status',
    'AKSAudit\n| extend Code = toint(ResponseStatus.code), Verb = Verb\n| where Code == 401',
    ['AKSAudit'],
  ],
  [
    'countif in a summarize',
    'AKSAudit | summarize Failed = countif(ResponseStatus.code == 401) by User | where Failed > 5',
    ['AKSAudit'],
  ],
  ['a between range', 'AKSAudit | where ResponseStatus.code between (401 .. 403)', ['AKSAudit']],
  [
    'AzureDiagnostics with the kube-audit category and log_s parsed',
    'AzureDiagnostics\n| where Category == "kube-audit"\n| extend log = parse_json(log_s)\n| where log.responseStatus.code == 401',
    ['AzureDiagnostics'],
  ],
  [
    'AzureDiagnostics with responseStatus_code_d and a category list',
    'AzureDiagnostics | where Category in ("kube-audit", "kube-audit-admin") and responseStatus_code_d == 401',
    ['AzureDiagnostics'],
  ],
  [
    'a comment that holds // inside a string, and comments around',
    '// failed logins\nAKSAudit // table\n| where RequestUri !startswith "https://x//y" and ResponseStatus.code == 401 // 401 only',
    ['AKSAudit'],
  ],
  [
    'a verbatim string with a doubled quote',
    'AKSAudit | where ResponseStatus.message has @"""Unauthorized"""',
    ['AKSAudit'],
  ],
  [
    'an escaped quote in a string, and a multi-line string',
    'AKSAudit | extend note = "a \\"quoted\\" word", doc = ```\nnot | a pipe\n``` | where ResponseStatus.code == 401',
    ['AKSAudit'],
  ],
  ['dynamic list literals', 'AKSAudit | where ResponseStatus.code in (dynamic([401, 403]))', ['AKSAudit']],
  [
    'a let statement before the table',
    'let window = 5m;\nAKSAudit | where TimeGenerated > ago(window) | where ResponseStatus.code == 401',
    ['AKSAudit'],
  ],
];

/** Queries that do not look for failed authentications in an audit table. */
const NOT_MATCHING: readonly (readonly [string, string])[] = [
  ['an empty query', ''],
  ['no audit table', 'ContainerLog | where ResponseStatus.code == 401'],
  ['a custom table whose name starts like the audit one', 'AKSAudit_CL | where ResponseStatus.code == 401'],
  [
    'a table name in another casing (KQL table names are case-sensitive)',
    'aksaudit | where ResponseStatus.code == 401',
  ],
  ['success codes only', 'AKSAudit | where ResponseStatus.code == 200'],
  ['a negated comparison', 'AKSAudit | where ResponseStatus.code != 401'],
  ['a negated in-list', 'AKSAudit | where ResponseStatus.code !in (401, 403)'],
  ['a negated has', 'AKSAudit | where ResponseStatus !has "401"'],
  ['a not() around the comparison', 'AKSAudit | where not(ResponseStatus.code == 401)'],
  ['a range with >=', 'AKSAudit | where ResponseStatus.code >= 400'],
  ['a range with > over 401', 'AKSAudit | where ResponseStatus.code > 401'],
  ['401 compared with another column', 'AKSAudit | where ObjectRef.name == "401" | project ResponseStatus'],
  ['the code only in a comment', 'AKSAudit // ResponseStatus.code == 401\n| where Verb == "get"'],
  [
    'the code only in a string that is not compared',
    'AKSAudit | extend note = "ResponseStatus 401" | take 10',
  ],
  ['the literal on the left', 'AKSAudit | where 401 == ResponseStatus.code'],
  [
    'raw log_s text without the response status',
    'AzureDiagnostics | where Category == "kube-audit" and log_s has "401"',
  ],
  [
    'AzureDiagnostics without the kube-audit category',
    'AzureDiagnostics | where responseStatus_code_d == 401',
  ],
  [
    'AzureDiagnostics excluding kube-audit',
    'AzureDiagnostics | where Category != "kube-audit" and responseStatus_code_d == 401',
  ],
  [
    'codes held in a let variable',
    'let codes = dynamic([401]); AKSAudit | where ResponseStatus.code in (codes)',
  ],
  ['an unterminated string', 'AKSAudit | where ResponseStatus.code == "401'],
  ['hostile text', '<script>alert(1)</script> {{constructor}} | AKSAudit $[401]'],
];

describe('failedAuthenticationTables: which scheduled query rule queries look for failed AKS authentications', () => {
  for (const [title, query, tables] of MATCHING) {
    it(`matches ${title}`, () => {
      assert.deepStrictEqual(failedAuthenticationTables(query), tables);
    });
  }
  for (const [title, query] of NOT_MATCHING) {
    it(`does not match ${title}`, () => {
      assert.deepStrictEqual(failedAuthenticationTables(query), []);
    });
  }

  it('reads a very long query in one pass without a catastrophic regular expression', () => {
    // Prepare: 200 000 characters of clauses, then the filter at the end.
    const query = `AKSAudit${' | where Verb == "get"'.repeat(10_000)} | where ResponseStatus.code == 401`;
    // Act and Assess
    assert.deepStrictEqual(failedAuthenticationTables(query), ['AKSAudit']);
  });
});
