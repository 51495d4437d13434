import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { CHECKS } from '../../checks/registry.js';
import { TEST_CHROMIUM } from '../browser/harness.js';
import { pdfText } from '../browser/pdfText.js';
import { kubeline } from '../fixtures/cli.js';

/** A path as the CLI prints it: relative to the working directory, with forward slashes. */
function relativeToCwd(absolute: string): string {
  return relative(process.cwd(), absolute).split(sep).join('/');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kubeline-cli-'));
}

describe('cli: kubeline scan', () => {
  it('accepts --no-notify, and writes the run as usual', async () => {
    const out = await tempDir();
    const result = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--out',
      out,
      '--fail-on',
      'none',
      '--no-notify',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.trim(), /runs\/2027-03-15\/20270315T102030Z-[0-9a-f]{6}$/);
  });

  it('scans the example fleet into the documented layout, in a folder named after the start day', async () => {
    // Prepare
    const out = await tempDir();
    // Act
    const result = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--config',
      'examples/kubeline.config.yaml',
      '--out',
      out,
      '--as-of',
      '2026-11-29',
      '--fail-on',
      'none',
    ]);
    // Assess
    assert.equal(result.code, 0, result.stderr);
    const runFolder = result.stdout.trim();
    assert.match(runFolder, /runs\/2027-03-15\/20270315T102030Z-[0-9a-f]{6}$/);
    assert.deepEqual((await readdir(runFolder)).sort(), [
      'findings.csv',
      'junit.xml',
      'manifest.json',
      'report.html',
      'report.json',
      'report.md',
    ]);
    const latest = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8'));
    assert.equal(join(out, latest.folder), runFolder);
    const report = JSON.parse(await readFile(join(runFolder, 'report.json'), 'utf8'));
    assert.ok(report.clusters.length >= 12, `example fleet has ${report.clusters.length} clusters`);
    assert.deepEqual(
      new Set(report.clusters.map((cluster: { provider: string }) => cluster.provider)),
      new Set(['eks', 'gke', 'aks']),
    );
    assert.equal(report.run.complete, true);
    assert.equal(report.run.asOf, '2026-11-29', '--as-of moves only the evaluation clock');
    assert.equal(report.run.startedAt, '2027-03-15T10:20:30.000Z');
  });

  it('exits 1 when a failure reaches --fail-on', async () => {
    const result = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--out',
      await tempDir(),
      '--fail-on',
      'critical',
    ]);
    assert.equal(result.code, 1, result.stderr);
  });

  it('exits 2 and names the file when an export is truncated, and still reports the others', async () => {
    const input = await tempDir();
    await writeFile(join(input, 'broken.json'), '{"cluster": {"name": "half"');
    await writeFile(
      join(input, 'ok.json'),
      JSON.stringify({
        cluster: {
          name: 'ok',
          arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ok',
          version: '1.33',
          status: 'ACTIVE',
          resourcesVpcConfig: {
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
            publicAccessCidrs: [],
          },
        },
      }),
    );
    const out = await tempDir();
    const result = await kubeline(['scan', '--from', input, '--out', out, '--fail-on', 'none']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /broken\.json/);
    assert.match(result.stderr, /INCOMPLETE/);
    const report = JSON.parse(await readFile(join(result.stdout.trim(), 'report.json'), 'utf8'));
    assert.equal(report.run.complete, false);
    assert.equal(report.clusters.length, 1);
  });

  it('exits 0 when a cluster is exported twice, naming both files once in a notice', async () => {
    // Prepare
    const input = await tempDir();
    const exported = await readFile('examples/fleet/eks/prod-payments.describe-cluster.json', 'utf8');
    await writeFile(join(input, 'b.json'), exported);
    await writeFile(join(input, 'a.json'), exported);
    // Act
    const result = await kubeline(['scan', '--from', input, '--out', await tempDir(), '--fail-on', 'none']);
    // Assess
    const report = JSON.parse(await readFile(join(result.stdout.trim(), 'report.json'), 'utf8'));
    const notices = result.stderr.split('\n').filter((line) => line.includes('exported twice'));
    assert.deepEqual(
      {
        code: result.code,
        complete: report.run.complete,
        notices: notices.length,
        files: report.notices[0]?.files,
      },
      {
        code: 0,
        complete: true,
        notices: 1,
        files: [join(input, 'a.json'), join(input, 'b.json')].map(relativeToCwd),
      },
    );
  });

  it('exits 2 and names the file when a GKE object lacks what every GKE cluster has', async () => {
    // Prepare
    const input = await tempDir();
    await writeFile(
      join(input, 'thin.json'),
      JSON.stringify({
        name: 'thin',
        selfLink: 'https://container.googleapis.com/v1/projects/p/locations/us-central1/clusters/thin',
        location: 'us-central1',
        legacyAbac: {},
      }),
    );
    // Act
    const result = await kubeline(['scan', '--from', input, '--out', await tempDir(), '--fail-on', 'none']);
    // Assess
    assert.equal(result.code, 2, result.stderr);
    assert.ok(
      result.stderr.includes(
        `kubeline: not read: ${relativeToCwd(join(input, 'thin.json'))} thin: incomplete GKE cluster "thin": ` +
          'it lacks status and currentMasterVersion, which every GKE cluster has; ' +
          'export it again with gcloud container clusters describe --format=json\n',
      ),
      result.stderr,
    );
  });

  it('reads an export with a masked account, and prints what is wrong with a malformed ARN once', async () => {
    // Prepare
    const input = await tempDir();
    const exported = JSON.parse(
      await readFile('examples/fleet/eks/prod-payments.describe-cluster.json', 'utf8'),
    );
    exported.cluster.arn = 'arn:aws:eks:eu-central-2:**********:cluster/prod-payments';
    await writeFile(join(input, 'masked.json'), JSON.stringify(exported));
    exported.cluster.arn = 'arn:aws:eks:eu-central-2:1234:cluster/prod-payments';
    await writeFile(join(input, 'typo.json'), JSON.stringify(exported));
    // Act
    const result = await kubeline(['scan', '--from', input, '--out', await tempDir(), '--fail-on', 'none']);
    // Assess
    const report = JSON.parse(await readFile(join(result.stdout.trim(), 'report.json'), 'utf8'));
    assert.deepEqual(
      {
        code: result.code,
        scopes: report.clusters.map((cluster: { scope: string }) => cluster.scope),
        mentions: result.stderr.split('has the account id "1234", which is not 12 digits').length - 1,
      },
      { code: 2, scopes: ['redacted'], mentions: 1 },
    );
  });

  for (const [argv, expected] of [
    [['scan', '--from', 'examples/fleet', '--as-of', '2026-13-01'], /--as-of takes a day as YYYY-MM-DD/],
    [['scan', '--from', 'examples/fleet', '--format', 'pdf,docx'], /--format takes a comma-separated list/],
    [['scan', '--from', 'examples/fleet', '--fail-on', 'severe'], /--fail-on takes/],
    [
      ['scan', '--from', 'examples/fleet', '--out', 's3://Bad_Bucket/x'],
      /^kubeline: --out s3:\/\/Bad_Bucket\/x: .*invalid bucket name/,
    ],
    [['scan', '--from', 'examples/fleet', '--out', 'gs://'], /^kubeline: --out gs:\/\/: .*names no bucket/],
    [
      ['scan', '--from', 'examples/fleet', '--out', 'azblob://acmereports'],
      /^kubeline: --out azblob:\/\/acmereports: names no container/,
    ],
    [
      ['scan', '--from', 'examples/fleet', '--out', 'https://acct.blob.core.windows.net/c/p?sv=1&sig=SECRET'],
      /^kubeline: --out https:\/\/acct\.blob\.core\.windows\.net\/c\/p\?…: (?!.*SECRET)/,
    ],
    [['scan', '--bogus'], /Unknown option '--bogus'/],
    [['scan'], /nothing to scan: give --from PATH/],
    [['scan', '--provider', 'gke'], /targets\.gke needs projects, an organization or a folder/],
    [['scan', '--from', 'x', '--out', 'ftp://host/x'], /unsupported scheme ftp/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ] as const) {
    it(`exits 64 with one clear line for: kubeline ${argv.join(' ')}`, async () => {
      const result = await kubeline(argv);
      assert.equal(result.code, 64);
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
    });
  }

  it('prints report.pdf with the Chromium of KUBELINE_CHROMIUM, its text holding the headline, and rewrites index.html', async () => {
    // Prepare
    const out = await tempDir();
    // Act
    const result = await kubeline(
      ['scan', '--from', 'examples/fleet', '--out', out, '--format', 'json,pdf', '--fail-on', 'none'],
      { KUBELINE_CHROMIUM: TEST_CHROMIUM },
    );
    // Assess
    assert.equal(result.code, 0, result.stderr);
    const runFolder = result.stdout.trim();
    assert.deepEqual((await readdir(runFolder)).sort(), ['manifest.json', 'report.json', 'report.pdf']);
    const report = JSON.parse(await readFile(join(runFolder, 'report.json'), 'utf8'));
    const text = await pdfText(await readFile(join(runFolder, 'report.pdf')));
    assert.match(text, /kubeline/);
    assert.ok(text.includes(`${report.clusters.length} clusters`), 'the cluster count of report.json');
    const manifest = JSON.parse(await readFile(join(runFolder, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.pdf, { state: 'written', blockedRequests: [] });
    assert.doesNotMatch(result.stderr, /PDF|report\.pdf/);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    assert.ok(index.includes(relative(out, runFolder).split(sep).join('/')), 'the index links the run');
  });

  it('skips the PDF with a clear notice when KUBELINE_CHROMIUM names no browser, and writes the rest with the same exit code', async () => {
    // Prepare
    const out = await tempDir();
    // Act
    const result = await kubeline(
      ['scan', '--from', 'examples/fleet', '--out', out, '--format', 'html,pdf,json', '--fail-on', 'none'],
      { KUBELINE_CHROMIUM: '/nonexistent/chromium' },
    );
    // Assess
    assert.equal(result.code, 0, result.stderr);
    const runFolder = result.stdout.trim();
    assert.deepEqual((await readdir(runFolder)).sort(), ['manifest.json', 'report.html', 'report.json']);
    assert.match(
      result.stderr,
      /^kubeline: notice: PDF skipped: no Chromium found \(looked in \/nonexistent\/chromium\); set output\.pdf\.executablePath or KUBELINE_CHROMIUM; the other reports were written$/m,
    );
    const manifest = JSON.parse(await readFile(join(runFolder, 'manifest.json'), 'utf8'));
    assert.equal(manifest.pdf.state, 'skipped');
    assert.ok(await readFile(join(out, 'latest.json'), 'utf8'), 'latest.json moved');
  });

  it('warns when index.html cannot be rewritten, and the run stays published', async () => {
    // Prepare: a folder where index.html should be, so the write cannot replace it.
    const out = await tempDir();
    await mkdir(join(out, 'index.html'));
    // Act
    const result = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--out',
      out,
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    // Assess
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`^kubeline: index\\.html not updated in ${escapeRegExp(out)}: .+$`, 'm'),
    );
    assert.ok(await readFile(join(out, 'latest.json'), 'utf8'));
  });

  it('exits 64 on an invalid config, naming the file and the key', async () => {
    const folder = await tempDir();
    const config = join(folder, 'bad.yaml');
    await writeFile(
      config,
      'waivers:\n  - { check: EP-01, clusters: { name: x }, reason: r, owner: o, expires: 2031-01-01 }\n',
    );
    const result = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--config',
      config,
      '--as-of',
      '2026-11-29',
    ]);
    assert.equal(result.code, 64);
    assert.equal(
      result.stderr,
      `kubeline: ${config}: waivers.0.expires: 2031-01-01 is more than a year after 2026-11-29; waivers must be renewed yearly\n`,
    );
  });

  it('prints a stack trace for bad usage only with --debug', async () => {
    const result = await kubeline(['scan', '--from', 'examples/fleet', '--as-of', 'tomorrow', '--debug']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /\n\s+at /);
  });
});

describe('cli: kubeline checks', () => {
  it('lists the catalogue as JSON with every check id in order', async () => {
    const result = await kubeline(['checks', '--json']);
    assert.equal(result.code, 0);
    const catalogue = JSON.parse(result.stdout) as { id: string }[];
    assert.deepEqual(
      catalogue.map((check) => check.id),
      CHECKS.map((check) => check.id),
    );
  });

  it('lists the catalogue as a table', async () => {
    const result = await kubeline(['checks']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim().split('\n').length, CHECKS.length + 1);
  });
});
