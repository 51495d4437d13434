import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { lookup } from '../../../providers/reader.js';
import { loadSnapshots } from '../../../providers/snapshot/load.js';
import { rawFixture, rawFixtureText } from '../rawFixture.js';
import { mutate, mutations } from '../wireProperties.js';

// Issue 14: a folder of exports where some files are arbitrary bytes, truncated JSON, wrong
// shapes or broken clusters. The loader reports each bad file and still reads the good one.

const GOOD_ID = 'arn:aws:eks:eu-west-1:111111111111:cluster/payments-prod';
const EXPORTS = [
  'eks/describe-cluster-private.json',
  'eks/describe-cluster-public-go-sdk.json',
  'gke/cluster-standard-private.json',
  'gke/cluster-snake-case.json',
  'aks/az-aks-show-public.json',
  'aks/managed-cluster-arm-private.json',
  'aks/diagnostic-settings-arm.json',
];

/** The content of one bad file. */
const badFile: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .record({ file: fc.constantFrom(...EXPORTS), cut: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ file, cut }) => {
      const text = rawFixtureText(file);
      return text.slice(0, Math.floor(text.length * cut));
    }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({ file: fc.constantFrom(...EXPORTS), steps: mutations, listed: fc.boolean() })
    .map(({ file, steps, listed }) => {
      const document = mutate(rawFixture(file), steps);
      return JSON.stringify(listed ? [document, document] : document);
    }),
);

const DIAGNOSTIC_SETTING = /\/providers\/microsoft\.insights\/diagnosticsettings\//i;

/**
 * Whether a file adds no cluster of its own and needs no report: an export of no clusters, or
 * diagnostic settings only, which the loader attaches to the AKS cluster they name (in any file).
 */
function addsNoCluster(content: string | Uint8Array): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof content === 'string' ? content : Buffer.from(content).toString());
  } catch {
    return false;
  }
  const listed = Array.isArray(parsed) ? parsed : (lookup(parsed, 'value') ?? lookup(parsed, 'clusters'));
  return (
    Array.isArray(listed) &&
    listed.every((item) => {
      const id = lookup(item, 'id');
      return typeof id === 'string' && DIAGNOSTIC_SETTING.test(id);
    })
  );
}

describe('property: loadSnapshots on arbitrary, truncated and wrong-shaped export files', () => {
  it('reports every bad file, never throws, and still reads the good file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(badFile, { minLength: 1, maxLength: 4 }), async (contents) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'kubeline-snapshot-property-'));
        try {
          // `a-` sorts first, so a bad file holding the same cluster is the duplicate, not the good one.
          await writeFile(path.join(dir, 'a-good.json'), rawFixtureText('eks/describe-cluster-private.json'));
          const bad = contents.map((_, index) => `b-${index}.json`);
          await Promise.all(bad.map((file, index) => writeFile(path.join(dir, file), contents[index] ?? '')));

          const scan = await loadSnapshots([dir], { cwd: dir });

          const good = scan.postures.find((posture) => posture.id === GOOD_ID);
          assert.ok(good, 'the good file is still read');
          assert.deepEqual(good.origin, {
            kind: 'snapshot',
            file: 'a-good.json',
            format: 'aws eks describe-cluster',
          });
          assert.deepEqual(
            scan.scopes.map((scope) => scope.scope),
            ['a-good.json', ...bad],
            'one scope per file, in order',
          );
          for (const problem of scan.problems)
            assert.ok(problem.reason.trim() !== '', JSON.stringify(problem));
          for (const [index, file] of bad.entries()) {
            const scope = scan.scopes.find((candidate) => candidate.scope === file);
            const accounted =
              (scope?.status === 'error' && (scope.error ?? '').trim() !== '') ||
              (scope?.clusters ?? 0) > 0 ||
              scan.problems.some((problem) => problem.file === file) ||
              scan.notices.some((notice) => notice.files.includes(file)) ||
              addsNoCluster(contents[index] ?? '');
            assert.ok(accounted, `${file} is neither read nor reported: ${JSON.stringify(scope)}`);
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
