import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from '../../checks/frameworks/cis.js';
import {
  PROVIDER_MANAGED_CONTROLS,
  PROVIDER_MANAGED_TOPICS,
} from '../../checks/frameworks/providerManaged.js';
import { CHECKS } from '../../checks/registry.js';
import { CHECK_CATEGORIES } from '../../checks/types.js';
import { SEVERITIES } from '../../model/finding.js';
import { type ClusterPosture, PROVIDERS, type Provider } from '../../model/posture.js';
import { evalContext } from '../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from './fromWire.js';
import { evaluateCheck, outcome } from './outcome.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const CLI_TOOLS: Readonly<Record<Provider, string>> = { eks: 'aws ', gke: 'gcloud ', aks: 'az ' };

// Provider-enforced with nothing for the customer to run: no CLI command is expected there. (AUD-03
// on GKE has one: the _Default bucket's retention is the customer's.)
const NOTHING_TO_FIX = new Set(['RBAC-01:eks', 'AUD-02:gke']);

// No CIS item in the managed benchmarks covers node/control-plane skew or version support: the
// EKS, GKE and AKS benchmarks have no recommendation on them (GKE 5.5.4 is about release channels).
// RBAC-02 counts cluster-admins granted through cloud IAM; the nearest item, 4.1.1, is about
// in-cluster ClusterRoleBindings, which RBAC-02 does not read (see cis.ts). AUTH-04 (GKE anonymous
// authentication mode), NODE-02 (node SSH) and VER-04 (paid extended support) have no item in the
// three benchmarks: their anonymous-auth items (3.2.1) are about the kubelet. RBAC-05 (aws-auth
// into system:masters) and RUN-03 (a runtime detection agent on every node) have no item in the
// EKS, GKE or AKS benchmark either, nor does AUD-04 (an alert on failed API authentications): the
// benchmarks' logging items stop at enabling the audit log.
const UNMAPPED = new Set([
  'NODE-03',
  'VER-01',
  'VER-02',
  'VER-03',
  'RBAC-02',
  'AUTH-04',
  'NODE-02',
  'VER-04',
  'RBAC-05',
  'RUN-03',
  'AUD-04',
]);

/** The least each normaliser accepts: a cluster that names itself and sets nothing else. */
const BARE_CLUSTERS: Readonly<Record<Provider, ClusterPosture>> = {
  eks: eksFromWire({}),
  gke: gkeFromWire({}),
  aks: aksFromWire({}),
};

function applicableProviders(checkId: string): Provider[] {
  const check = CHECKS.find((candidate) => candidate.id === checkId);
  return PROVIDERS.filter((provider) => check !== undefined && 'responsibility' in check.providers[provider]);
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT_SPECIFIER =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT_SPECIFIER)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

describe('check catalogue', () => {
  it('pins the exact ordered list of check ids', () => {
    assert.deepEqual(
      CHECKS.map((check) => check.id),
      [
        'EP-01',
        'EP-02',
        'EP-03',
        'AUTH-01',
        'AUTH-02',
        'AUTH-03',
        'RBAC-01',
        'AUD-01',
        'AUD-02',
        'ENC-01',
        'ENC-02',
        'NET-01',
        'NODE-01',
        'NODE-03',
        'KUBELET-01',
        'VER-01',
        'VER-02',
        'VER-03',
        'RBAC-02',
        'AUD-03',
        'NET-03',
        'RUN-01',
        'AUTH-04',
        'RBAC-03',
        'IAM-01',
        'IAM-02',
        'NODE-02',
        'NODE-04',
        'VER-04',
        'VER-05',
        'RUN-02',
        'HYG-01',
        'RBAC-04',
        'RBAC-05',
        'RBAC-06',
        'NET-02',
        'KUBELET-02',
        'POD-01',
        'RUN-03',
        'AUD-04',
      ],
    );
  });

  it('has unique ids', () => {
    const ids = CHECKS.map((check) => check.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const check of CHECKS) {
    describe(check.id, () => {
      it('has a title that states the condition: no "Ensure", at most 100 characters', () => {
        assert.doesNotMatch(check.title, /\bensure\b/i);
        assert.ok(check.title.length > 0 && check.title.length <= 100, check.title);
      });

      it('has a rationale, a known category and a known severity', () => {
        assert.ok(check.rationale.length > 0);
        assert.ok(CHECK_CATEGORIES.includes(check.category));
        assert.ok(SEVERITIES.includes(check.severity));
      });

      it('has remediation text and https links', () => {
        assert.ok(check.remediation.text.length > 0);
        assert.ok(check.remediation.links.length > 0);
        for (const link of check.remediation.links) assert.match(link, /^https:\/\/\S+$/);
      });

      it('gives a reason wherever it does not apply', () => {
        for (const provider of PROVIDERS) {
          const applicability = check.providers[provider];
          if ('notApplicable' in applicability) assert.ok(applicability.notApplicable.length > 0, provider);
        }
      });

      it('evaluates to not_applicable, with the reason it declares, wherever it does not apply', () => {
        for (const provider of PROVIDERS) {
          const applicability = check.providers[provider];
          if (!('notApplicable' in applicability)) continue;
          const verdict = evaluateCheck(check, BARE_CLUSTERS[provider], evalContext());
          assert.deepEqual(
            { ...outcome(verdict), message: verdict.message },
            { status: 'not_applicable', evidence: [], message: applicability.notApplicable },
            provider,
          );
        }
      });

      it("has a CLI command in the provider's own tool for each provider it applies to, and none elsewhere", () => {
        for (const provider of PROVIDERS) {
          const command = check.remediation.cli[provider];
          if (!applicableProviders(check.id).includes(provider)) {
            assert.equal(command, undefined, `${provider} is not applicable`);
          } else if (!NOTHING_TO_FIX.has(`${check.id}:${provider}`)) {
            assert.ok(command?.startsWith(CLI_TOOLS[provider]), `${provider}: ${command}`);
          }
        }
      });
    });
  }

  it('expects a CLI command everywhere except where the provider enforces the control', () => {
    for (const entry of NOTHING_TO_FIX) {
      const [checkId = '', provider = ''] = entry.split(':');
      const check = CHECKS.find((candidate) => candidate.id === checkId);
      const entryFor = check?.providers[provider as Provider];
      assert.equal(
        entryFor && 'responsibility' in entryFor ? entryFor.responsibility : undefined,
        'provider',
        entry,
      );
    }
  });

  it('maps every check that applies somewhere to a CIS control, except the documented ones', () => {
    const mapped = new Set(
      BENCHMARKS.flatMap((benchmark) => benchmark.controls.flatMap((control) => control.checks)),
    );
    const unmapped = CHECKS.filter(
      (check) => applicableProviders(check.id).length > 0 && !mapped.has(check.id),
    ).map((check) => check.id);
    assert.deepEqual(unmapped, [...UNMAPPED]);
  });

  it('references only existing checks in the CIS data, on providers where they apply', () => {
    for (const benchmark of BENCHMARKS) {
      for (const control of benchmark.controls) {
        for (const checkId of control.checks) {
          assert.ok(
            applicableProviders(checkId).includes(benchmark.provider),
            `${benchmark.framework} ${control.control} → ${checkId}`,
          );
        }
      }
    }
  });

  it('lists each CIS control once, with checks exactly when it is automated', () => {
    for (const benchmark of BENCHMARKS) {
      const ids = benchmark.controls.map((control) => control.control);
      assert.equal(new Set(ids).size, ids.length, benchmark.framework);
      for (const control of benchmark.controls) {
        assert.equal(
          control.checks.length > 0,
          control.coverage === 'automated',
          `${benchmark.framework} ${control.control}`,
        );
        assert.match(control.control, /^\d+(\.\d+)+$/);
      }
    }
  });

  it('lists every provider-managed topic once per provider, with a reference page', () => {
    for (const provider of PROVIDERS) {
      const controls = PROVIDER_MANAGED_CONTROLS[provider];
      assert.deepEqual(
        controls.map((control) => control.topic),
        [...PROVIDER_MANAGED_TOPICS],
        provider,
      );
      for (const control of controls) {
        assert.ok(control.description.length > 0);
        assert.match(control.reference, /^https:\/\/\S+$/);
      }
    }
  });

  it('keeps files under checks/ importing only from model/ and checks/', () => {
    const allowed = [join(ROOT, 'model') + sep, join(ROOT, 'checks') + sep];
    const violations: string[] = [];
    for (const file of typeScriptFiles(join(ROOT, 'checks'))) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const target = specifier.startsWith('.') ? resolve(dirname(file), specifier) : specifier;
        if (!allowed.some((root) => target.startsWith(root)))
          violations.push(`${relative(ROOT, file)} → ${specifier}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('reads every import form the boundary test relies on', () => {
    const source = [
      "import { a } from '../model/a.js';",
      "import type { B } from 'node:fs';",
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const d = await import('../engine/d.js');",
      'import {',
      '  e,',
      "} from '../report/e.js';",
    ].join('\n');
    assert.deepEqual(importsOf(source), [
      '../model/a.js',
      'node:fs',
      './c.js',
      './side-effect.js',
      '../engine/d.js',
      '../report/e.js',
    ]);
  });
});
