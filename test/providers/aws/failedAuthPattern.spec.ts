import assert from 'node:assert/strict';
import { matchesFailedAuthentication } from '../../../providers/aws/failedAuthPattern.js';

/** Patterns and whether each counts failed authentications, with why. */
const CASES: readonly (readonly [pattern: string, counts: boolean, why: string])[] = [
  // Audit log JSON patterns on responseStatus.code
  ['{ $.responseStatus.code = 401 }', true, '401 exactly'],
  ['{ $.responseStatus.code = 403 }', true, '403 exactly'],
  ['{$.responseStatus.code=401}', true, 'no spaces'],
  ['{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }', true, 'either, in parentheses'],
  ['{ $.responseStatus.code = "403" }', true, 'quoted code'],
  ['{ $.responseStatus.code = 40* }', true, 'wildcard covering 401 and 403'],
  ['{ $.responseStatus.code = "4*" }', true, 'quoted wildcard'],
  ['{ $.responseStatus.code >= 400 }', true, 'every client error, 401 included'],
  ['{ $.responseStatus.code > 399 && $.responseStatus.code < 500 }', true, 'a 4xx range'],
  ['{ $.responseStatus.code <= 403 }', true, 'at most 403'],
  ['{ $.responseStatus.code IN [401, 403] }', true, 'membership'],
  ['{ $.responseStatus.code IN ["401"] }', true, 'quoted membership'],
  ['{ $.responseStatus.code NOT IN [200, 201] }', true, 'excludes only successes'],
  ['{ $.responseStatus.code != 200 }', true, 'anything but 200 admits 401'],
  ['{ $.responseStatus.code != 401 }', true, 'still admits 403'],
  ['{ $.responseStatus.code = 403 && $.user.username = "system:anonymous" }', true, 'anonymous denials'],
  ['{ $.verb = "create" || $.responseStatus.code = 401 }', true, 'one clause of an OR'],
  ['{ $.responseStatus.reason = "Unauthorized" }', true, 'the 401 reason'],
  ['{ $.responseStatus.reason = "Forbidden" }', true, 'the 403 reason'],
  ['{ $.responseStatus.reason IN ["Forbidden", "NotFound"] }', true, 'reason membership'],
  ['  { $.responseStatus.code = 401 }  ', true, 'surrounding blanks'],
  ['{ $.responseStatus.code = 200 }', false, 'successes only'],
  ['{ $.responseStatus.code = 404 }', false, 'not found'],
  ['{ $.responseStatus.code >= 500 }', false, 'server errors'],
  ['{ $.responseStatus.code < 400 }', false, 'no client errors'],
  ['{ $.responseStatus.code IN [404, 409] }', false, 'other client errors'],
  ['{ $.responseStatus.code NOT IN [401, 403] }', false, 'excludes exactly the failures'],
  ['{ $.responseStatus.code = 5* }', false, 'wildcard on 5xx'],
  ['{ $.responseStatus.code > "400" }', false, 'a numeric comparison with a string never matches'],
  ['{ $.responseStatus.code >= abc }', false, 'a comparison with a word'],
  ['{ $.responsestatus.code = 401 }', false, 'selectors are case-sensitive'],
  ['{ $.responseStatus.status = "Failure" }', false, 'every failure, not about authentication'],
  ['{ $.responseStatus.reason = "NotFound" }', false, 'another reason'],
  ['{ $.verb = "delete" }', false, 'another field'],
  ['{ $.objectRef.name = "aws-auth" && $.responseStatus.code = 200 }', false, 'aws-auth changes'],
  ['{ $.user.username = "401" }', false, 'the code in another field'],
  // Authenticator and other text patterns
  ['"access denied"', true, 'aws-iam-authenticator denial'],
  ['?"access denied" ?Unauthorized', true, 'an OR of phrases'],
  ['Unauthorized', true, 'bare word'],
  ['Forbidden', true, 'bare word'],
  ['"\\"code\\":401"', true, 'the audit JSON text with escaped quotes'],
  ['authenticator "access denied"', true, 'a phrase among required terms'],
  ['%access denied|Unauthorized%', true, 'a regular expression naming the phrase'],
  ['%"code":40[13]%', false, 'a regex naming neither code outright'],
  ['%code.:401%', true, 'a regex naming 401'],
  ['"Access Denied"', false, 'terms are case-sensitive'],
  ['-"access denied"', false, 'an excluded phrase'],
  ['ERROR -"access denied"', false, 'errors other than denials'],
  ['denied', false, 'too broad a word to be the phrase'],
  ['401', false, 'a bare number matches any event holding it'],
  ['%error%', false, 'a regex on something else'],
  ['', false, 'the empty pattern matches every event'],
  ['   ', false, 'blank'],
  ['[ip, user, status=401, ...]', false, 'space-delimited patterns are not read'],
  ['{ unbalanced', false, 'a broken JSON pattern'],
];

describe('AUD-04 failed-authentication metric filter patterns (EKS)', () => {
  for (const [pattern, counts, why] of CASES) {
    it(`${counts ? 'counts' : 'does not count'} ${JSON.stringify(pattern)}: ${why}`, () => {
      assert.equal(matchesFailedAuthentication(pattern), counts);
    });
  }

  it('reads hostile and oversized patterns without throwing', () => {
    // Prepare
    const hostile = [
      `{ $.responseStatus.code = "${'\\'.repeat(5000)}" }`,
      `${'('.repeat(10_000)}{ $.responseStatus.code = 401 }`,
      `"access denied${'"'.repeat(3)}`,
      '%[unclosed%',
      '{ $.responseStatus.code = "*" }',
      '{ $.__proto__.code = 401 }',
      `{ ${'$.a = 1 && '.repeat(2000)}$.responseStatus.code = 403 }`,
    ];
    // Act
    const verdicts = hostile.map(matchesFailedAuthentication);
    // Assess
    assert.deepEqual(verdicts, [false, false, true, false, true, false, true]);
  });
});
