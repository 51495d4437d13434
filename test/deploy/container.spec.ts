import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../config/load.js';

/** One Dockerfile instruction: `RUN npm ci` is { keyword: 'RUN', args: 'npm ci' }. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's build stages, each the list of its instructions from its FROM on. */
function dockerfileStages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

function argsOf(stage: readonly Instruction[], keyword: string): string[] {
  return stage
    .filter((instruction) => instruction.keyword === keyword)
    .map((instruction) => instruction.args);
}

/** Whether a Dockerfile USER names root (by name or id, with or without a group). */
function isRoot(user: string): boolean {
  const [name = ''] = user.split(':');
  return name === 'root' || name === '0';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every document of a (multi-document) YAML file, as plain data; a YAML error fails the test. */
function yamlDocuments(path: string): Json[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    assert.deepEqual(document.errors, [], `${path} is not valid YAML`);
    return document.toJS() as Json;
  });
}

/** The dotted paths of every key named `key` anywhere in `value`, with the value found there. */
function findKeys(value: Json, key: string, path = '$'): { path: string; value: Json }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => findKeys(item, key, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, child]) => [
    ...(name === key ? [{ path: `${path}.${name}`, value: child }] : []),
    ...findKeys(child, key, `${path}.${name}`),
  ]);
}

/** Reads `a.b[0].c` out of plain data; undefined where the path leads nowhere. */
function at(value: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[step];
  }
  return current;
}

const MANIFESTS = [
  'deploy/kubernetes/cronjob.yaml',
  'deploy/cloud-run/job.yaml',
  'deploy/azure-container-apps/job.yaml',
] as const;

/** What the image runs by default: the config file every manifest mounts at the same place. */
const CONFIG_FOLDER = '/etc/kubeline';
const SCAN_ARGS = ['scan', '--config', `${CONFIG_FOLDER}/kubeline.config.yaml`, '--fail-on', 'none'];

describe('deploy: the container image', () => {
  const stages = dockerfileStages(readFileSync('Dockerfile', 'utf8'));
  const runtime = stages.at(-1) ?? [];

  it('builds in a stage of its own and runs node:22 with production dependencies only, as a non-root user', () => {
    // Act
    const facts = {
      stages: stages.length,
      runtimeBase: argsOf(runtime, 'FROM')[0]?.split(/\s+/)[0]?.split(/[-:@]/).slice(0, 2),
      installs: argsOf(runtime, 'RUN').filter((command) => /\bnpm (ci|install|i)\b/.test(command)),
      copiesBuild: argsOf(runtime, 'COPY').filter((args) => args.startsWith('--from=build')),
      users: argsOf(runtime, 'USER').map((user) => ({ user, root: isRoot(user) })),
      entrypoint: JSON.parse(argsOf(runtime, 'ENTRYPOINT')[0] ?? 'null'),
      cmd: JSON.parse(argsOf(runtime, 'CMD')[0] ?? 'null'),
    };
    // Assess
    assert.deepEqual(facts, {
      stages: 2,
      runtimeBase: ['node', '22'],
      installs: ['npm ci --omit=dev && npm cache clean --force'],
      copiesBuild: ['--from=build /app/dist ./dist'],
      users: [{ user: '1000:1000', root: false }],
      entrypoint: ['node', 'dist/cli/main.js'],
      cmd: ['scan', '--config', `${CONFIG_FOLDER}/kubeline.config.yaml`],
    });
  });

  it('keeps dependencies, local state, tests and secrets out of the build context', () => {
    // Prepare
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim());
    const mustIgnore = [
      '.git',
      'node_modules',
      'dist',
      'reports',
      'coverage',
      'test',
      '.env',
      'kubeline.config.yaml',
    ];
    // Act
    const missing = mustIgnore.filter((entry) => !ignored.includes(entry));
    // Assess
    assert.deepEqual(missing, []);
  });
});

describe('deploy: example manifests', () => {
  for (const path of MANIFESTS) {
    it(`${path} asks for no privilege, host access or inline secret, and runs the image's scan`, () => {
      // Prepare
      const documents = yamlDocuments(path);
      // Act
      const risky = [
        ...['privileged', 'hostPath', 'hostNetwork', 'hostPID', 'hostIPC', 'allowPrivilegeEscalation']
          .flatMap((key) => documents.flatMap((document) => findKeys(document, key)))
          .filter((found) => found.value !== false),
        ...documents
          .flatMap((document) => findKeys(document, 'runAsUser'))
          .filter((found) => found.value === 0),
        // A secret's value written into the manifest: only references to a secret store are allowed.
        ...documents
          .flatMap((document) => findKeys(document, 'secrets'))
          .flatMap((found) => (Array.isArray(found.value) ? found.value : []))
          .flatMap((secret) => findKeys({ secret }, 'value')),
      ].map((found) => found.path);
      const args = documents.flatMap((document) => findKeys(document, 'args')).map((found) => found.value);
      const mounts = documents
        .flatMap((document) => findKeys(document, 'mountPath'))
        .map((found) => found.value)
        .filter((mount) => mount === CONFIG_FOLDER);
      // Assess
      assert.deepEqual({ risky, args, mounts }, { risky: [], args: [SCAN_ARGS], mounts: [CONFIG_FOLDER] });
    });
  }

  it('the CronJob runs nightly, non-root, read-only, without capabilities, with an emptyDir /tmp', () => {
    // Prepare
    const documents = yamlDocuments('deploy/kubernetes/cronjob.yaml');
    const byKind = (kind: string) => documents.find((document) => at(document, 'kind') === kind);
    const cronJob = byKind('CronJob');
    const pod = at(cronJob, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
    const container = at(pod, 'containers', 0);
    const volumes = (at(pod, 'volumes') ?? []) as Json[];
    const volumeOf = (mountPath: string) => {
      const mounts = (at(container, 'volumeMounts') ?? []) as Json[];
      const name = at(mounts.find((mount) => at(mount, 'mountPath') === mountPath) ?? null, 'name');
      return volumes.find((volume) => at(volume, 'name') === name);
    };
    const serviceAccount = byKind('ServiceAccount');
    const configMap = byKind('ConfigMap');
    // Act
    const facts = {
      schedule: at(cronJob, 'spec', 'schedule'),
      concurrencyPolicy: at(cronJob, 'spec', 'concurrencyPolicy'),
      serviceAccount: at(pod, 'serviceAccountName') === at(serviceAccount, 'metadata', 'name'),
      identities: Object.keys((at(serviceAccount, 'metadata', 'annotations') ?? {}) as object).sort(),
      automountServiceAccountToken: at(pod, 'automountServiceAccountToken'),
      runAsNonRoot: at(pod, 'securityContext', 'runAsNonRoot'),
      seccomp: at(pod, 'securityContext', 'seccompProfile', 'type'),
      container: {
        readOnlyRootFilesystem: at(container, 'securityContext', 'readOnlyRootFilesystem'),
        allowPrivilegeEscalation: at(container, 'securityContext', 'allowPrivilegeEscalation'),
        dropCapabilities: at(container, 'securityContext', 'capabilities', 'drop'),
      },
      tmp: at(volumeOf('/tmp') ?? null, 'emptyDir') !== undefined,
      config: at(volumeOf(CONFIG_FOLDER) ?? null, 'configMap', 'name') === at(configMap, 'metadata', 'name'),
    };
    // Assess
    assert.deepEqual(facts, {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      serviceAccount: true,
      identities: [
        'azure.workload.identity/client-id',
        'eks.amazonaws.com/role-arn',
        'iam.gke.io/gcp-service-account',
      ],
      automountServiceAccountToken: false,
      runAsNonRoot: true,
      seccomp: 'RuntimeDefault',
      container: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, dropCapabilities: ['ALL'] },
      tmp: true,
      config: true,
    });
  });

  it("the CronJob's ConfigMap holds a configuration kubeline accepts", () => {
    // Prepare
    const configMap = yamlDocuments('deploy/kubernetes/cronjob.yaml').find(
      (document) => at(document, 'kind') === 'ConfigMap',
    );
    const text = at(configMap, 'data', 'kubeline.config.yaml');
    // Act
    const config = parseConfig(typeof text === 'string' ? text : '', 'cronjob.yaml ConfigMap');
    // Assess
    assert.deepEqual(config, {
      targets: { eks: { regions: ['us-east-1', 'eu-west-1'] } },
      output: { sinks: ['s3://acme-kubeline-reports/nightly'] },
    });
  });

  it('the Cloud Run and Container Apps jobs run nightly or on demand as their own identity', () => {
    // Prepare
    const [cloudRun] = yamlDocuments('deploy/cloud-run/job.yaml');
    const [containerApps] = yamlDocuments('deploy/azure-container-apps/job.yaml');
    // Act
    const facts = {
      cloudRun: {
        kind: `${at(cloudRun, 'apiVersion')} ${at(cloudRun, 'kind')}`,
        serviceAccount: at(cloudRun, 'spec', 'template', 'spec', 'template', 'spec', 'serviceAccountName'),
      },
      containerApps: {
        trigger: at(containerApps, 'properties', 'configuration', 'triggerType'),
        cron: at(containerApps, 'properties', 'configuration', 'scheduleTriggerConfig', 'cronExpression'),
        identity: at(containerApps, 'identity', 'type'),
      },
    };
    // Assess
    assert.deepEqual(facts, {
      cloudRun: {
        kind: 'run.googleapis.com/v1 Job',
        serviceAccount: 'kubeline@acme-security.iam.gserviceaccount.com',
      },
      containerApps: { trigger: 'Schedule', cron: '0 2 * * *', identity: 'UserAssigned' },
    });
  });
});
