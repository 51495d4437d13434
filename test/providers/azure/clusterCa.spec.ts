import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { clusterOfCredentials, clustersOfKubeconfig } from '../../../providers/azure/clusterCa.js';

/** A CA as kubeconfigs carry it: base64 of a PEM certificate (the body need not be a real key here). */
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBkubelineTestCa\n-----END CERTIFICATE-----\n';
const CA_DATA = Buffer.from(CA_PEM).toString('base64');
const OTHER_CA_DATA = Buffer.from(CA_PEM.replace('TestCa', 'OtherCa')).toString('base64');
/** What a local-account cluster's user kubeconfig holds: a bearer token and a client key. */
const TOKEN = 'b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1';
const CLIENT_KEY = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nkubelineSecretKey\n').toString('base64');
const SERVER = 'https://prod-weu-dns-4f1c.hcp.westeurope.azmk8s.io:443';

interface ClusterEntry {
  readonly server?: unknown;
  readonly ca?: unknown;
}

/** A kubeconfig as listClusterUserCredential returns it for a cluster with local accounts. */
function kubeconfig(clusters: readonly ClusterEntry[] = [{ server: SERVER, ca: CA_DATA }]): string {
  return stringify({
    apiVersion: 'v1',
    clusters: clusters.map((entry, index) => ({
      name: `c${index}`,
      cluster: {
        ...(entry.server === undefined ? {} : { server: entry.server }),
        ...(entry.ca === undefined ? {} : { 'certificate-authority-data': entry.ca }),
      },
    })),
    contexts: [{ name: 'c0', context: { cluster: 'c0', user: 'clusterUser_rg_prod-weu' } }],
    'current-context': 'c0',
    kind: 'Config',
    users: [
      {
        name: 'clusterUser_rg_prod-weu',
        user: { 'client-key-data': CLIENT_KEY, token: TOKEN },
      },
    ],
  });
}

/** Everything an error could show: its message, its cause chain, and how Node prints it. */
function everythingOf(act: () => unknown): string {
  try {
    return JSON.stringify(act());
  } catch (error) {
    return `${String(error)} ${inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })}`;
  }
}

function messageOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.equal(error.cause, undefined, 'no cause: it would carry the kubeconfig text');
    return error.message;
  }
  return assert.fail('expected an error');
}

function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

describe('providers/azure: the CA from an AKS user kubeconfig', () => {
  describe('clustersOfKubeconfig', () => {
    it('keeps the server and the CA of each cluster, and nothing of the users', () => {
      // Act
      const clusters = clustersOfKubeconfig(kubeconfig());
      // Assess
      assert.deepEqual(clusters, [{ server: SERVER, caData: CA_DATA }]);
    });

    it('removes line breaks and blanks from a wrapped CA', () => {
      const wrapped = `${CA_DATA.slice(0, 20)}\n  ${CA_DATA.slice(20)}`;
      assert.deepEqual(clustersOfKubeconfig(kubeconfig([{ server: SERVER, ca: wrapped }])), [
        { server: SERVER, caData: CA_DATA },
      ]);
    });

    const refused: readonly (readonly [string, string, string])[] = [
      ['a YAML scalar', 'just text', 'the kubeconfig is not a YAML mapping'],
      ['a YAML list', '- a\n- b\n', 'the kubeconfig is not a YAML mapping'],
      [
        'a kubeconfig without clusters',
        stringify({ kind: 'Config', users: [] }),
        'the kubeconfig has no clusters list',
      ],
      [
        'an empty clusters list',
        stringify({ kind: 'Config', clusters: [] }),
        'the kubeconfig lists no cluster',
      ],
      [
        'a cluster without a server',
        kubeconfig([{ ca: CA_DATA }]),
        'the kubeconfig: clusters[0] has no https server',
      ],
      [
        'a plain http server',
        kubeconfig([{ server: 'http://prod-weu:80', ca: CA_DATA }]),
        'the kubeconfig: clusters[0] has no https server',
      ],
      [
        'a cluster without a CA',
        kubeconfig([{ server: SERVER }]),
        'the kubeconfig: clusters[0] has no certificate-authority-data holding a PEM certificate',
      ],
      [
        'a CA that is not base64',
        kubeconfig([{ server: SERVER, ca: 'not base64 at all!' }]),
        'the kubeconfig: clusters[0] has no certificate-authority-data holding a PEM certificate',
      ],
      [
        'a CA that is base64 of something else than a PEM certificate (here the token)',
        kubeconfig([{ server: SERVER, ca: Buffer.from(TOKEN).toString('base64') }]),
        'the kubeconfig: clusters[0] has no certificate-authority-data holding a PEM certificate',
      ],
      [
        'a CA that is a number',
        kubeconfig([{ server: SERVER, ca: 42 }]),
        'the kubeconfig: clusters[0] has no certificate-authority-data holding a PEM certificate',
      ],
      [
        'a second cluster that is broken',
        kubeconfig([{ server: SERVER, ca: CA_DATA }, { server: SERVER }]),
        'the kubeconfig: clusters[1] has no certificate-authority-data holding a PEM certificate',
      ],
      [
        'YAML broken on the token line',
        kubeconfig().replace(`token: ${TOKEN}`, `token: ${TOKEN}\n   bad: [indent`),
        'the kubeconfig is not YAML (MISSING_CHAR at line 19, column 1)',
      ],
      [
        'a duplicate key after the token',
        `${kubeconfig()}users: []\n`,
        'the kubeconfig is not YAML (DUPLICATE_KEY at line 19, column 1)',
      ],
      [
        'an alias bomb',
        `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nclusters: []\n`,
        'the kubeconfig is not YAML (it could not be parsed)',
      ],
    ];
    for (const [what, text, expected] of refused) {
      it(`refuses ${what} with a reason that quotes nothing of it`, () => {
        // Act
        const message = messageOf(() => clustersOfKubeconfig(text));
        // Assess
        assert.deepEqual(
          { message, leaks: [TOKEN, CLIENT_KEY].some((secret) => message.includes(secret)) },
          { message: expected, leaks: false },
        );
      });
    }
  });

  describe('clusterOfCredentials', () => {
    it('takes the cluster whose server is the API server of the description, whatever the port notation', () => {
      // Prepare
      const text = kubeconfig([
        { server: 'https://prod-weu-priv.privatelink.westeurope.azmk8s.io:443', ca: OTHER_CA_DATA },
        { server: SERVER, ca: CA_DATA },
      ]);
      // Act
      const chosen = clusterOfCredentials(
        [{ name: 'clusterUser', value: bytes(text) }],
        'https://prod-weu-dns-4f1c.hcp.westeurope.azmk8s.io',
      );
      // Assess
      assert.deepEqual(chosen, { server: SERVER, caData: CA_DATA });
    });

    it('takes the first cluster when none names the API server (the other FQDN of a private cluster)', () => {
      const chosen = clusterOfCredentials(
        [{ name: 'clusterUser', value: bytes(kubeconfig()) }],
        'https://prod-weu-priv.privatelink.westeurope.azmk8s.io',
      );
      assert.deepEqual(chosen, { server: SERVER, caData: CA_DATA });
    });

    it('reads every kubeconfig of the answer, skipping one without a value', () => {
      const chosen = clusterOfCredentials(
        [
          { name: 'empty' },
          { name: 'clusterUser', value: bytes(kubeconfig([{ server: SERVER, ca: OTHER_CA_DATA }])) },
        ],
        SERVER,
      );
      assert.deepEqual(chosen, { server: SERVER, caData: OTHER_CA_DATA });
    });

    it('overwrites the bytes ARM sent once decoded, those of a broken kubeconfig too', () => {
      // Prepare
      const good = bytes(kubeconfig());
      const broken = bytes(kubeconfig([{ server: SERVER }]));
      // Act
      const message = messageOf(() =>
        clusterOfCredentials(
          [
            { name: 'clusterUser', value: good },
            { name: 'second', value: broken },
          ],
          SERVER,
        ),
      );
      // Assess
      assert.deepEqual(
        { message, good: good.every((byte) => byte === 0), broken: broken.every((byte) => byte === 0) },
        {
          message: 'kubeconfigs[1]: clusters[0] has no certificate-authority-data holding a PEM certificate',
          good: true,
          broken: true,
        },
      );
    });

    it('refuses an answer without kubeconfigs', () => {
      assert.equal(
        messageOf(() => clusterOfCredentials([], SERVER)),
        'the answer holds no kubeconfig',
      );
    });

    it('never lets the token or the client key out, in a result or in an error', () => {
      const outputs = [
        everythingOf(() => clusterOfCredentials([{ value: bytes(kubeconfig()) }], SERVER)),
        everythingOf(() =>
          clusterOfCredentials([{ value: bytes(kubeconfig([{ server: SERVER }])) }], SERVER),
        ),
        everythingOf(() =>
          clusterOfCredentials([{ value: bytes(`${kubeconfig()}\n  token: ${TOKEN}: [`) }], SERVER),
        ),
      ];
      assert.deepEqual(
        outputs.map((output) => [TOKEN, CLIENT_KEY].some((secret) => output.includes(secret))),
        [false, false, false],
      );
    });
  });
});
