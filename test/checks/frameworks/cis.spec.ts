import assert from 'node:assert/strict';
import {
  BENCHMARKS,
  type Benchmark,
  CIS_AKS,
  CIS_EKS,
  CIS_GKE,
  checksOf,
  complianceFor,
} from '../../../checks/frameworks/cis.js';
import { CHECKS } from '../../../checks/registry.js';

// The item lists of the published benchmarks (CIS Amazon EKS 1.8.0: 50 items, CIS GKE 1.9.0: 57,
// CIS AKS 1.8.0: 51), in their own order, and the items each classes Automated: the facts the
// data must hold, written out here so a dropped, doubled or misnumbered item fails.
const ITEMS = {
  'cis-eks': {
    ids: '2.1.1 2.1.2 3.1.1 3.1.2 3.1.3 3.1.4 3.2.1 3.2.2 3.2.3 3.2.4 3.2.5 3.2.6 3.2.7 3.2.8 3.2.9 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.1.7 4.1.8 4.1.9 4.1.10 4.1.11 4.1.12 4.2.1 4.2.2 4.2.3 4.2.4 4.2.5 4.3.1 4.3.2 4.4.1 4.4.2 4.5.1 4.5.2 5.1.1 5.1.2 5.1.3 5.1.4 5.2.1 5.3.1 5.4.1 5.4.2 5.4.3 5.4.4 5.4.5 5.5.1',
    automatedAssessment:
      '3.1.1 3.1.2 3.1.3 3.1.4 3.2.1 3.2.2 3.2.3 3.2.4 3.2.5 3.2.6 3.2.7 3.2.8 3.2.9 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.2.1 4.2.2 4.2.3 4.2.4 4.2.5 4.3.2 4.4.1 4.5.2',
    noAssessment: '',
  },
  'cis-gke': {
    ids: '3.1.1 3.1.2 3.1.3 3.1.4 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.1.7 4.1.8 4.1.9 4.1.10 4.2.1 4.3.1 4.3.2 4.4.1 4.4.2 4.5.1 4.6.1 4.6.2 4.6.3 4.6.4 5.1.1 5.1.2 5.1.3 5.1.4 5.2.1 5.2.2 5.3.1 5.4.1 5.5.1 5.5.2 5.5.3 5.5.4 5.5.5 5.5.6 5.5.7 5.6.1 5.6.2 5.6.3 5.6.4 5.6.5 5.6.6 5.6.7 5.7.1 5.7.2 5.8.1 5.8.2 5.8.3 5.9.1 5.9.2 5.10.1 5.10.2 5.10.3 5.10.4',
    automatedAssessment:
      '3.1.1 3.1.2 3.1.3 3.1.4 4.1.4 4.1.6 4.1.8 4.1.9 4.1.10 4.3.2 4.4.1 4.6.2 5.1.1 5.2.1 5.3.1 5.4.1 5.5.1 5.5.2 5.5.3 5.5.4 5.5.5 5.5.6 5.5.7 5.6.1 5.6.2 5.6.3 5.6.4 5.6.5 5.6.7 5.7.1 5.8.1 5.8.3 5.9.2 5.10.1 5.10.2 5.10.3 5.10.4',
    noAssessment: '',
  },
  'cis-aks': {
    ids: '2.1.1 3.1.1 3.1.2 3.1.3 3.1.4 3.2.1 3.2.2 3.2.3 3.2.4 3.2.5 3.2.6 3.2.7 3.2.8 3.2.9 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.1.7 4.1.8 4.1.9 4.1.10 4.1.11 4.1.12 4.2.1 4.2.2 4.2.3 4.2.4 4.2.5 4.4.1 4.4.2 4.5.1 4.5.2 4.6.1 4.6.2 4.6.3 5.1.1 5.1.2 5.1.3 5.1.4 5.2.1 5.3.1 5.4.1 5.4.2 5.4.3 5.4.4 5.4.5 5.5.1 5.5.2',
    automatedAssessment:
      '3.1.1 3.1.2 3.1.3 3.1.4 3.2.1 3.2.2 3.2.3 3.2.4 3.2.5 3.2.6 3.2.7 3.2.8 3.2.9 4.4.2 4.5.1 4.6.3',
    // The item list states no assessment for 2.1.1.
    noAssessment: '2.1.1',
  },
} as const;

function words(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

/** Numeric order of dotted item numbers, written independently of the report's own comparator. */
function byItemNumber(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? -1) - (right[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function idsOf(benchmark: Benchmark): string[] {
  return benchmark.controls.map((control) => control.control);
}

describe('CIS benchmark data', () => {
  it('holds the three benchmarks, one per provider, at the published versions', () => {
    assert.deepEqual(
      BENCHMARKS.map((benchmark) => [
        benchmark.framework,
        benchmark.provider,
        benchmark.version,
        benchmark.title,
      ]),
      [
        ['cis-eks', 'eks', '1.8.0', 'CIS Amazon EKS Benchmark'],
        ['cis-gke', 'gke', '1.9.0', 'CIS Google Kubernetes Engine (GKE) Benchmark'],
        ['cis-aks', 'aks', '1.8.0', 'CIS Azure Kubernetes Service (AKS) Benchmark'],
      ],
    );
  });

  for (const benchmark of BENCHMARKS) {
    const items = ITEMS[benchmark.framework];

    describe(`${benchmark.framework} ${benchmark.version}`, () => {
      it('lists every item of the benchmark, each once, in numeric order', () => {
        const ids = idsOf(benchmark);
        assert.deepEqual(ids, words(items.ids));
        assert.equal(new Set(ids).size, ids.length);
        assert.deepEqual([...ids].sort(byItemNumber), ids);
      });

      it("keeps the benchmark's own assessment of each item", () => {
        const assessed = (value: string | null) =>
          benchmark.controls
            .filter((control) => control.assessment === value)
            .map((control) => control.control);
        assert.deepEqual(
          { automated: assessed('Automated'), none: assessed(null) },
          { automated: words(items.automatedAssessment), none: words(items.noAssessment) },
        );
        assert.equal(
          assessed('Manual').length,
          benchmark.controls.length -
            words(items.automatedAssessment).length -
            words(items.noAssessment).length,
        );
      });

      it('names only checks of the catalogue, and checks exactly where the control is automated', () => {
        const catalogue = new Set(CHECKS.map((check) => check.id));
        for (const control of benchmark.controls) {
          const where = `${benchmark.framework} ${control.control}`;
          assert.equal(control.checks.length > 0, control.coverage === 'automated', where);
          for (const checkId of control.checks) assert.ok(catalogue.has(checkId), `${where} → ${checkId}`);
          assert.equal(new Set(control.checks).size, control.checks.length, where);
        }
      });

      it('says what to verify by hand for every manual control, and what the provider does for every provider-managed one', () => {
        for (const control of benchmark.controls) {
          const where = `${benchmark.framework} ${control.control}`;
          if (control.coverage === 'manual') assert.match(control.verify, /compliant/i, where);
          if (control.coverage === 'provider-managed') assert.ok(control.note.length > 20, where);
          assert.ok(control.title.length > 0 && control.title.trim() === control.title, where);
        }
      });
    });
  }

  it('maps each automated control to the checks that decide it', () => {
    const mapping = (benchmark: Benchmark) =>
      Object.fromEntries(
        benchmark.controls.flatMap((control) =>
          control.coverage === 'automated' ? [[control.control, control.checks.join(',')]] : [],
        ),
      );
    assert.deepEqual(mapping(CIS_EKS), {
      '2.1.1': 'AUD-01,AUD-02',
      '2.1.2': 'AUD-03',
      '3.2.1': 'KUBELET-02',
      '3.2.2': 'KUBELET-02',
      '3.2.4': 'KUBELET-01',
      '4.1.1': 'RBAC-04',
      '4.1.3': 'RBAC-06',
      '4.1.7': 'AUTH-03',
      '4.2.1': 'POD-01',
      '4.2.2': 'POD-01',
      '4.2.3': 'POD-01',
      '4.2.4': 'POD-01',
      '4.3.1': 'NET-01',
      '4.3.2': 'NET-02',
      '5.3.1': 'ENC-02',
      '5.4.1': 'EP-02',
      '5.4.2': 'EP-01,EP-03',
      '5.4.3': 'NODE-01',
      '5.4.4': 'NET-01',
      '5.5.1': 'AUTH-01',
    });
    assert.deepEqual(mapping(CIS_GKE), {
      '4.1.1': 'RBAC-04',
      '4.1.3': 'RBAC-06',
      '4.1.8': 'RBAC-03',
      '4.1.9': 'RBAC-03',
      '4.1.10': 'RBAC-03',
      '4.2.1': 'POD-01',
      '4.3.1': 'NET-01',
      '4.3.2': 'NET-02',
      '5.1.4': 'RUN-02',
      '5.2.1': 'IAM-02',
      '5.2.2': 'IAM-01,IAM-02',
      '5.3.1': 'ENC-01,ENC-02',
      '5.5.3': 'VER-05',
      '5.5.4': 'VER-05',
      '5.5.5': 'NODE-04',
      '5.5.7': 'NODE-04',
      '5.6.1': 'NET-03',
      '5.6.3': 'EP-02',
      '5.6.4': 'EP-01,EP-03',
      '5.6.5': 'NODE-01',
      '5.7.1': 'AUD-01',
      '5.8.1': 'AUTH-02',
      '5.8.3': 'RBAC-01',
      '5.10.1': 'HYG-01',
      '5.10.2': 'HYG-01',
      '5.10.4': 'RUN-01',
    });
    assert.deepEqual(mapping(CIS_AKS), {
      '2.1.1': 'AUD-01',
      '3.2.1': 'KUBELET-02',
      '3.2.2': 'KUBELET-02',
      '3.2.4': 'KUBELET-01',
      '4.1.1': 'RBAC-04',
      '4.1.3': 'RBAC-06',
      '4.2.1': 'POD-01',
      '4.2.2': 'POD-01',
      '4.2.3': 'POD-01',
      '4.2.4': 'POD-01',
      '4.4.2': 'NET-02',
      '5.3.1': 'ENC-01',
      '5.4.1': 'EP-02',
      '5.4.2': 'EP-01,EP-03',
      '5.4.3': 'NODE-01',
      '5.4.4': 'NET-01',
      '5.5.1': 'AUTH-01',
    });
  });

  it('attributes AKS 4.4.1 (latest CNI) to the provider, and no other item', () => {
    const managed = BENCHMARKS.flatMap((benchmark) =>
      benchmark.controls
        .filter((control) => control.coverage === 'provider-managed')
        .map((control) => `${benchmark.framework} ${control.control}`),
    );
    assert.deepEqual(managed, ['cis-aks 4.4.1']);
  });

  it('gives a check the controls it decides on one provider only', () => {
    assert.deepEqual(complianceFor('POD-01', 'eks'), [
      { framework: 'cis-eks', version: '1.8.0', control: '4.2.1' },
      { framework: 'cis-eks', version: '1.8.0', control: '4.2.2' },
      { framework: 'cis-eks', version: '1.8.0', control: '4.2.3' },
      { framework: 'cis-eks', version: '1.8.0', control: '4.2.4' },
    ]);
    assert.deepEqual(complianceFor('POD-01', 'gke'), [
      { framework: 'cis-gke', version: '1.9.0', control: '4.2.1' },
    ]);
    assert.deepEqual(complianceFor('RBAC-02', 'eks'), []);
  });

  it('lists the checks a benchmark maps, each once, in the order of its controls', () => {
    assert.deepEqual(checksOf(CIS_AKS), [
      'AUD-01',
      'KUBELET-02',
      'KUBELET-01',
      'RBAC-04',
      'RBAC-06',
      'POD-01',
      'NET-02',
      'ENC-01',
      'EP-02',
      'EP-01',
      'EP-03',
      'NODE-01',
      'NET-01',
      'AUTH-01',
    ]);
  });
});
