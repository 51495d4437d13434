import assert from 'node:assert/strict';
import { runOptions } from '../../bench/run.js';

describe('bench/run: what npm run bench is asked to measure', () => {
  it('measures everything by default, with kubeline’s own concurrency', () => {
    const options = runOptions([]);
    assert.deepEqual(
      {
        sizes: options.sizes,
        latencies: options.latencies,
        clouds: options.clouds,
        oneRegion: options.oneRegion,
        exportSizes: options.exportSizes,
        renderSizes: options.renderSizes,
        handlerRuns: options.handlerRuns,
        parts: options.parts,
        cliSample: options.cliSample,
        cliFullUpTo: options.cliFullUpTo,
        concurrency: options.concurrency,
        build: options.build,
        help: options.help,
      },
      {
        sizes: [100, 1_000, 5_000],
        latencies: [0, 50],
        clouds: ['eks', 'gke', 'aks'],
        oneRegion: 266,
        exportSizes: [5_000],
        renderSizes: [10_000, 50_000],
        handlerRuns: 3,
        parts: ['live', 'cli', 'export', 'render', 'handlers'],
        cliSample: 50,
        cliFullUpTo: 300,
        concurrency: undefined,
        build: true,
        help: false,
      },
    );
    assert.match(options.json, /bench\/results\.json$/);
  });

  it('keeps a --quick run short, and lets explicit flags win over it', () => {
    const quick = runOptions(['--quick', '--render-sizes', '2_000']);
    assert.deepEqual(
      [
        quick.sizes,
        quick.oneRegion,
        quick.exportSizes,
        quick.renderSizes,
        quick.handlerRuns,
        quick.cliFullUpTo,
      ],
      [[100], 0, [1_000], [2_000], 1, 0],
    );
  });

  it('takes the sizes, clouds, parts and concurrency asked for', () => {
    const options = runOptions([
      '--sizes',
      '100,1000',
      '--clouds',
      'eks',
      '--parts',
      'live,cli',
      '--max-per-scope',
      '16',
      '--scopes',
      '2',
      '--latencies',
      '',
      '--no-build',
      '--json',
      '/tmp/results.json',
    ]);
    assert.deepEqual(
      [
        options.sizes,
        options.clouds,
        options.parts,
        options.concurrency,
        options.latencies,
        options.build,
        options.json,
      ],
      [
        [100, 1_000],
        ['eks'],
        ['live', 'cli'],
        { maxPerScope: 16, scopes: 2 },
        [],
        false,
        '/tmp/results.json',
      ],
    );
  });

  it('refuses what it cannot measure', () => {
    assert.throws(() => runOptions(['--sizes', '0']), /--sizes takes whole numbers of at least 1/);
    assert.throws(() => runOptions(['--latencies', 'fast']), /--latencies takes whole numbers/);
    assert.throws(() => runOptions(['--clouds', 'eks,oci']), /--clouds takes eks, gke, aks; got oci/);
    assert.throws(() => runOptions(['--per-scope', '0']), /--per-scope takes whole numbers of at least 1/);
  });

  it('only prints its usage with --help', () => {
    assert.equal(runOptions(['--help']).help, true);
  });
});
