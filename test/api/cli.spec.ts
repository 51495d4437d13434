import assert from 'node:assert/strict';
import { kubeline } from '../fixtures/cli.js';

describe('cli: kubeline serve', () => {
  for (const [label, env] of [
    ['without KUBELINE_SERVE_TOKEN', {}],
    ['with an empty KUBELINE_SERVE_TOKEN', { KUBELINE_SERVE_TOKEN: '' }],
    ['with a KUBELINE_SERVE_TOKEN of blanks', { KUBELINE_SERVE_TOKEN: '   ' }],
  ] as const) {
    it(`refuses to start ${label}: exit 64 and one line`, async () => {
      // Act
      const result = await kubeline(['serve', '--from', 'examples/fleet', '--port', '0'], env);

      // Assess
      assert.deepEqual(result, {
        code: 64,
        stdout: '',
        stderr:
          'kubeline: serve needs a bearer token for its clients in KUBELINE_SERVE_TOKEN; it is not set\n',
      });
    });
  }

  for (const port of ['http', '-1', '65536', '80.5']) {
    it(`refuses --port ${port}: exit 64 and one line`, async () => {
      const result = await kubeline(['serve', `--port=${port}`], { KUBELINE_SERVE_TOKEN: 'spec-token' });
      assert.deepEqual(result, {
        code: 64,
        stdout: '',
        stderr: `kubeline: --port takes a port number from 0 to 65535; got "${port}"\n`,
      });
    });
  }

  it('refuses to start when there is nothing to scan, before it listens', async () => {
    const result = await kubeline(['serve', '--port', '0'], { KUBELINE_SERVE_TOKEN: 'spec-token' });
    assert.deepEqual(result, {
      code: 64,
      stdout: '',
      stderr:
        'kubeline: nothing to scan: give --from PATH, --provider eks,gke,aks, or targets in the configuration\n',
    });
  });

  it('lists serve in --help', async () => {
    const result = await kubeline(['--help'], {});
    assert.equal(
      result.stdout.includes('kubeline serve  [--port N] [--host 127.0.0.1] [--config FILE]'),
      true,
    );
  });
});
