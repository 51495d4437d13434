import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeline } from '../fixtures/cli.js';

describe('cli: the commands without a module of their own', () => {
  it('prints the version of package.json for --version and version', async () => {
    // Prepare
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    // Act
    const results = await Promise.all([kubeline(['--version']), kubeline(['version'])]);
    // Assess
    assert.deepEqual(
      results,
      [0, 1].map(() => ({ code: 0, stdout: `${manifest.version}\n`, stderr: '' })),
    );
  });

  it('prints the usage: exit 0 when asked for, 64 when no command is given', async () => {
    // Act
    const results = await Promise.all(
      [['--help'], ['-h'], ['help'], []].map(async (argv) => {
        const { code, stdout, stderr } = await kubeline(argv);
        return { code, usage: stdout.startsWith('Usage:\n  kubeline scan'), stderr };
      }),
    );
    // Assess
    assert.deepEqual(results, [
      { code: 0, usage: true, stderr: '' },
      { code: 0, usage: true, stderr: '' },
      { code: 0, usage: true, stderr: '' },
      { code: 64, usage: true, stderr: '' },
    ]);
  });

  it('reports a bad option of a lazily loaded command as usage (exit 64), and its stack only with --debug', async () => {
    // Act
    const plain = await kubeline(['checks', '--bogus']);
    const debug = await kubeline(['scan', '--from', 'examples/fleet', '--as-of', '2027-02-30', '--debug']);
    // Assess
    assert.deepEqual(
      {
        plain: { code: plain.code, lines: plain.stderr.trim().split('\n').length },
        debug: { code: debug.code, stack: /\n\s+at /.test(debug.stderr) },
      },
      { plain: { code: 64, lines: 1 }, debug: { code: 64, stack: true } },
    );
  });

  it('says where a scan spent its time with --debug, and only then', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'kubeline-timings-'));
    try {
      // Act
      const [plain, debug] = await Promise.all(
        [[], ['--debug']].map((extra) =>
          kubeline([
            'scan',
            '--from',
            'examples/fleet',
            '--as-of',
            '2026-12-01',
            '--format',
            'json',
            '--out',
            join(out, extra.length === 0 ? 'plain' : 'debug'),
            '--no-notify',
            '--fail-on',
            'none',
            ...extra,
          ]),
        ),
      );
      // Assess
      const timings = (stderr: string) =>
        stderr.split('\n').filter((line) => line.startsWith('kubeline: timings:'));
      assert.deepEqual(
        {
          plain: timings(plain?.stderr ?? ''),
          debugCode: debug?.code,
          debugLines: timings(debug?.stderr ?? '').length,
        },
        { plain: [], debugCode: 0, debugLines: 1 },
      );
      assert.match(
        timings(debug?.stderr ?? '')[0] ?? '',
        /^kubeline: timings: collect \d+ ms, evaluate \d+ ms, report \d+ ms, publish \d+ ms$/,
      );
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
