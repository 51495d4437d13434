import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { composeScan } from '../../cli/compose.js';
import { loadConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import { evaluateChecks } from '../../engine/evaluate.js';
import { applyWaivers } from '../../engine/waivers.js';
import { bodyText } from '../../model/fileBody.js';
import { type Finding, SEVERITIES, type Severity, STATUSES } from '../../model/finding.js';
import type { ClusterPosture } from '../../model/posture.js';
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS } from '../../model/reportFormats.js';
import type { ReportModel } from '../../model/reportView.js';
import { buildReportModel } from '../../report/build.js';
import { OCSF_SEVERITIES, type OcsfComplianceFinding, renderOcsfFindings } from '../../report/ocsf.js';
import { renderReports } from '../../report/render.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';
import { AKS_ID, EKS_ID, finding, GKE_ID, RUN, reportInput } from './fixtures.js';

const FLEET = fileURLToPath(new URL('../../examples/fleet/', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/kubeline.config.yaml', import.meta.url));
const SCHEMA = new URL('../fixtures/ocsf/compliance_finding-1.5.0.schema.json', import.meta.url);
const AS_OF = '2026-11-29';
/** RUN.finishedAt, in milliseconds. */
const RUN_TIME = 1_795_917_852_000;

function events(model: ReportModel): OcsfComplianceFinding[] {
  const [file] = renderReports(model, ['ocsf']);
  if (!file) throw new Error('nothing rendered for ocsf');
  return JSON.parse(file.body) as OcsfComplianceFinding[];
}

/** The example fleet, scanned with the example config, as a report model. */
async function exampleFleetModel(): Promise<ReportModel> {
  const { config } = await loadConfig(CONFIG, {});
  const deps = await composeScan(config, {
    from: [FLEET],
    providers: [],
    out: undefined,
    tool: { name: 'kubeline', version: 'test' },
  });
  const results = await Promise.all(deps.sources.map((source) => source.collect()));
  const clusters = results.flatMap((result) => result.postures);
  const evaluated = evaluateChecks(
    clusters,
    deps.checks,
    { asOf: AS_OF, settings: deps.settings, support: deps.support },
    { disabled: deps.disabledChecks, severityOverrides: deps.severityOverrides },
  );
  const { findings } = applyWaivers(evaluated, clusters, deps.waivers, AS_OF);
  return buildReportModel({
    tool: deps.tool,
    run: { ...RUN, asOf: AS_OF },
    scopes: results.flatMap((result) => result.scopes),
    clusters,
    findings,
    checks: deps.checks,
    benchmarks: deps.benchmarks,
    waiverNotices: { expired: [], expiringSoon: [] },
    providerManaged: deps.providerManaged,
    sharedResponsibilityPages: deps.sharedResponsibilityPages,
    problems: results.flatMap((result) => result.problems),
    notices: [],
  });
}

/**
 * A validator for the schema: the errors of an event, none when it is valid. Ajv runs in strict
 * mode, except for `required` inside `anyOf` branches (OCSF's at_least_one), which names
 * properties the branch itself does not define.
 */
function schemaValidator(schema: object): (event: unknown) => string[] {
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
  return (event) =>
    validate(event)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

async function ocsfSchemaValidator(): Promise<(event: unknown) => string[]> {
  return schemaValidator(JSON.parse(await readFile(SCHEMA, 'utf8')) as object);
}

/** The events that fail the schema, with their errors. */
function invalidEvents(all: readonly OcsfComplianceFinding[], errorsOf: (event: unknown) => string[]) {
  return all.flatMap((event) => {
    const errors = errorsOf(event);
    return errors.length === 0 ? [] : [{ uid: event.finding_info.uid, errors }];
  });
}

const SEVERITY_BY_ID = new Map(SEVERITIES.map((severity) => [OCSF_SEVERITIES[severity].id, severity]));

/** What a consumer reads back from an event: the finding's identity, verdict and place. */
function readBack(event: OcsfComplianceFinding) {
  return {
    checkId: event.compliance.control,
    clusterId: event.resources[0]?.uid,
    status: event.compliance.status_code,
    severity: SEVERITY_BY_ID.get(event.severity_id),
    region: event.cloud.region,
    account: event.cloud.account?.uid,
  };
}

const CLUSTERS: readonly ClusterPosture[] = [
  eksPosture({ id: EKS_ID, name: 'prod', scope: '111111111111', location: 'eu-west-1' }),
  gkePosture({ id: GKE_ID, name: 'web', scope: 'acme-prod', location: 'europe-west1' }),
  aksPosture({ id: AKS_ID, name: 'aks1', scope: '0000', location: 'westeurope' }),
];

/** One finding per status, severity and cloud: every kind of finding the report holds. */
function everyKindOfFinding(): Finding[] {
  return CLUSTERS.flatMap((cluster) =>
    STATUSES.map((status, index) => {
      const severity = SEVERITIES[index % SEVERITIES.length] as Severity;
      return finding({
        checkId: `CHK-${index}`,
        clusterId: cluster.id,
        provider: cluster.provider,
        status,
        severity,
        ...(status === 'waived'
          ? {
              waiver: {
                reason: 'Accepted until the migration',
                owner: 'platform@acme.example',
                expires: '2026-12-05',
                originalStatus: 'unknown' as const,
              },
            }
          : {}),
      });
    }),
  );
}

describe('OCSF Compliance Findings (findings.ocsf.json)', () => {
  describe('against the OCSF 1.5.0 Compliance Finding schema', () => {
    it('validates every event of a scan of the example fleet, one event per finding', async function () {
      this.timeout(20_000);
      // Prepare
      const errorsOf = await ocsfSchemaValidator();
      const model = await exampleFleetModel();
      // Act
      const fleet = events(model);
      // Assess
      assert.deepEqual(invalidEvents(fleet, errorsOf), []);
      assert.equal(fleet.length, model.findings.length);
      assert.deepEqual(
        new Set(fleet.map((event) => event.compliance.status_code)),
        new Set(model.findings.map((item) => item.status)),
      );
    });

    it('validates an event of every status, severity and cloud', async () => {
      // Prepare
      const errorsOf = await ocsfSchemaValidator();
      const model = buildReportModel(reportInput({ clusters: CLUSTERS, findings: everyKindOfFinding() }));
      // Act
      const all = events(model);
      // Assess
      assert.deepEqual(invalidEvents(all, errorsOf), []);
    });

    it('rejects an event missing a required attribute, with a wrong caption or an attribute OCSF lacks', async () => {
      // Prepare: the schema must catch what it is there to catch.
      const errorsOf = await ocsfSchemaValidator();
      const [event] = events(buildReportModel(reportInput()));
      if (!event) throw new Error('no event rendered');
      const { finding_info: _dropped, ...withoutFindingInfo } = event;
      // Act
      const rejected = [
        withoutFindingInfo,
        { ...event, severity: 'Severe' },
        { ...event, type_uid: 200302 },
        { ...event, compliance: { ...event.compliance, status_id: 4 } },
        { ...event, finding_info: { ...event.finding_info, titel: 'typo' } },
        { ...event, evidences: [{ name: 'cluster.field' }] },
      ].map((candidate) => errorsOf(candidate).length > 0);
      // Assess
      assert.deepEqual(rejected, [true, true, true, true, true, true]);
    });
  });

  describe('round trip', () => {
    it('keeps the status, severity, cluster, region, account and check of every kind of finding', () => {
      // Prepare
      const findings = everyKindOfFinding();
      const model = buildReportModel(reportInput({ clusters: CLUSTERS, findings }));
      const placeOf = new Map(CLUSTERS.map((cluster) => [cluster.id, cluster]));
      // Act
      const readBackFindings = events(model).map(readBack);
      // Assess
      const expected = model.findings.map((item) => ({
        checkId: item.checkId,
        clusterId: item.clusterId,
        status: item.status,
        severity: item.severity,
        region: placeOf.get(item.clusterId)?.location,
        account: placeOf.get(item.clusterId)?.scope,
      }));
      assert.equal(readBackFindings.length, findings.length);
      assert.deepEqual(readBackFindings, expected);
    });

    it('writes a failing EKS finding as a whole Compliance Finding event', () => {
      // Prepare
      const model = buildReportModel(reportInput());
      // Act
      const event = events(model).find(
        (item) => item.compliance.control === 'EP-01' && item.resources[0]?.uid === EKS_ID,
      );
      // Assess
      assert.deepEqual(event, {
        activity_id: 1,
        activity_name: 'Create',
        category_uid: 2,
        category_name: 'Findings',
        class_uid: 2003,
        class_name: 'Compliance Finding',
        type_uid: 200301,
        type_name: 'Compliance Finding: Create',
        severity_id: 4,
        severity: 'High',
        status_id: 1,
        status: 'New',
        time: RUN_TIME,
        timezone_offset: 0,
        message: 'The API server has a public endpoint.',
        metadata: {
          version: '1.5.0',
          product: { name: 'kubeline', vendor_name: 'kubeline', version: '0.1.0' },
          profiles: ['cloud'],
          correlation_uid: RUN.id,
        },
        cloud: {
          provider: 'AWS',
          account: { uid: '111111111111', type_id: 10, type: 'AWS Account' },
          region: 'eu-west-1',
          cloud_partition: 'aws',
        },
        finding_info: {
          uid: 'b315fc59895e3a1bf8ba64771ccbed46',
          uid_alt: 'f8012dd34feef857aea2a5844d479628',
          title: 'Title of EP-01',
          desc: 'The API server has a public endpoint.',
          types: ['Software and Configuration Checks/API endpoint'],
          created_time: RUN_TIME,
          first_seen_time: RUN_TIME,
          last_seen_time: RUN_TIME,
        },
        compliance: {
          control: 'EP-01',
          desc: 'Title of EP-01',
          standards: ['CIS Amazon EKS Benchmark 1.8.0'],
          requirements: ['CIS EKS 1.8.0 5.4.2'],
          status_id: 3,
          status: 'Fail',
          status_code: 'fail',
          status_details: ['The API server has a public endpoint.'],
        },
        resources: [
          {
            uid: EKS_ID,
            name: 'prod',
            type: 'AWS::EKS::Cluster',
            region: 'eu-west-1',
            cloud_partition: 'aws',
            version: '1.33',
            tags: [
              { name: 'env', value: 'prod' },
              { name: 'team', value: 'payments' },
            ],
            data: { mode: 'standard' },
          },
        ],
        evidences: [
          { name: 'cluster.resourcesVpcConfig.endpointPublicAccess', data: { value: true } },
          { name: 'cluster.resourcesVpcConfig.publicAccessCidrs', data: { value: ['0.0.0.0/0'] } },
        ],
        remediation: {
          desc: 'Fix EP-01.\nAmazon EKS: aws eks fix-EP-01 --name <cluster>',
          references: ['https://docs.example/fix'],
        },
        unmapped: { kubeline: { status: 'fail', responsibility: 'customer' } },
      });
    });

    it('keeps the original status of a waived finding beside the waiver, and suppresses the finding', () => {
      // Prepare
      const model = buildReportModel(reportInput());
      // Act
      const event = events(model).find(
        (item) => item.compliance.control === 'EP-01' && item.resources[0]?.uid === AKS_ID,
      );
      // Assess
      assert.deepEqual(
        {
          status: [event?.status_id, event?.status],
          compliance: event?.compliance,
          unmapped: event?.unmapped,
        },
        {
          status: [3, 'Suppressed'],
          compliance: {
            control: 'EP-01',
            desc: 'Title of EP-01',
            status_id: 3,
            status: 'Fail',
            status_code: 'waived',
            status_details: [
              'EP-01 message',
              "Waived until 2026-12-05 by platform@acme.example: VPN migration. The check's own status is fail.",
            ],
          },
          unmapped: {
            kubeline: {
              status: 'waived',
              responsibility: 'customer',
              waiver: {
                original_status: 'fail',
                reason: 'VPN migration',
                owner: 'platform@acme.example',
                expires: '2026-12-05',
              },
            },
          },
        },
      );
    });

    it('maps each status to the compliance status and the finding lifecycle it means', () => {
      // Prepare
      const model = buildReportModel(reportInput({ clusters: CLUSTERS, findings: everyKindOfFinding() }));
      // Act
      const mapping = events(model)
        .filter((event) => event.resources[0]?.uid === EKS_ID)
        .map((event) => [
          event.compliance.status_code,
          event.compliance.status_id ?? null,
          event.compliance.status ?? null,
          event.status_id,
          event.status,
        ]);
      // Assess
      assert.deepEqual(mapping, [
        ['fail', 3, 'Fail', 1, 'New'],
        ['error', 2, 'Warning', 1, 'New'],
        ['unknown', 2, 'Warning', 1, 'New'],
        ['waived', 2, 'Warning', 3, 'Suppressed'],
        ['pass', 1, 'Pass', 4, 'Resolved'],
        ['not_applicable', null, null, 4, 'Resolved'],
      ]);
    });

    it('places each cloud: account, project or subscription, region, GKE zone and AWS partition', () => {
      // Prepare
      const zonal = 'projects/acme-dev/locations/europe-west1-b/clusters/batch';
      const govCloud = 'arn:aws-us-gov:eks:us-gov-west-1:222222222222:cluster/gov';
      const clusters = [
        ...CLUSTERS,
        gkePosture({ id: zonal, name: 'batch', scope: 'acme-dev', location: 'europe-west1-b' }),
        eksPosture({ id: govCloud, name: 'gov', scope: '222222222222', location: 'us-gov-west-1' }),
      ];
      const model = buildReportModel(
        reportInput({
          clusters,
          findings: clusters.map((cluster) =>
            finding({ checkId: 'EP-01', clusterId: cluster.id, provider: cluster.provider }),
          ),
        }),
      );
      // Act
      const places = events(model).map((event) => ({
        cluster: event.resources[0]?.uid,
        cloud: event.cloud,
        resource: {
          type: event.resources[0]?.type,
          region: event.resources[0]?.region,
          zone: event.resources[0]?.zone,
        },
      }));
      // Assess
      // Report order: by cluster id.
      assert.deepEqual(places, [
        {
          cluster: AKS_ID,
          cloud: {
            provider: 'Azure',
            account: { uid: '0000', type_id: 13, type: 'Azure Subscription' },
            region: 'westeurope',
          },
          resource: {
            type: 'Microsoft.ContainerService/managedClusters',
            region: 'westeurope',
            zone: undefined,
          },
        },
        {
          cluster: govCloud,
          cloud: {
            provider: 'AWS',
            account: { uid: '222222222222', type_id: 10, type: 'AWS Account' },
            region: 'us-gov-west-1',
            cloud_partition: 'aws-us-gov',
          },
          resource: { type: 'AWS::EKS::Cluster', region: 'us-gov-west-1', zone: undefined },
        },
        {
          cluster: EKS_ID,
          cloud: {
            provider: 'AWS',
            account: { uid: '111111111111', type_id: 10, type: 'AWS Account' },
            region: 'eu-west-1',
            cloud_partition: 'aws',
          },
          resource: { type: 'AWS::EKS::Cluster', region: 'eu-west-1', zone: undefined },
        },
        {
          cluster: zonal,
          cloud: {
            provider: 'GCP',
            account: { uid: 'acme-dev', type_id: 11, type: 'GCP Project' },
            project_uid: 'acme-dev',
            region: 'europe-west1',
            zone: 'europe-west1-b',
          },
          resource: {
            type: 'container.googleapis.com/Cluster',
            region: 'europe-west1',
            zone: 'europe-west1-b',
          },
        },
        {
          cluster: GKE_ID,
          cloud: {
            provider: 'GCP',
            account: { uid: 'acme-prod', type_id: 11, type: 'GCP Project' },
            project_uid: 'acme-prod',
            region: 'europe-west1',
          },
          resource: { type: 'container.googleapis.com/Cluster', region: 'europe-west1', zone: undefined },
        },
      ]);
    });

    it('leaves out the account and region of a cluster known only from its finding, rather than guess', () => {
      // Prepare
      const orphan = 'arn:aws:eks:eu-west-1:333333333333:cluster/gone';
      const model = buildReportModel(
        reportInput({
          clusters: [],
          scopes: [],
          findings: [finding({ checkId: 'EP-01', clusterId: orphan })],
        }),
      );
      // Act
      const [event] = events(model);
      // Assess
      assert.deepEqual(
        { cloud: event?.cloud, resource: event?.resources },
        {
          cloud: { provider: 'AWS', cloud_partition: 'aws' },
          resource: [
            {
              uid: orphan,
              name: orphan,
              type: 'AWS::EKS::Cluster',
              cloud_partition: 'aws',
              data: { mode: 'unknown' },
            },
          ],
        },
      );
    });
  });

  describe('finding ids', () => {
    it('are unique per run, cluster and check, stable across renders, and uid_alt follows a finding across runs', () => {
      // Prepare
      const input = reportInput({ clusters: CLUSTERS, findings: everyKindOfFinding() });
      const nextRun = reportInput({
        clusters: CLUSTERS,
        findings: everyKindOfFinding(),
        run: { ...RUN, id: '20261130T020000Z-def456' },
      });
      // Act
      const first = events(buildReportModel(input));
      const again = events(buildReportModel(input));
      const next = events(buildReportModel(nextRun));
      // Assess
      const uids = first.map((event) => event.finding_info.uid);
      assert.equal(new Set(uids).size, first.length);
      assert.deepEqual(
        again.map((event) => event.finding_info.uid),
        uids,
      );
      assert.deepEqual(
        next.map((event) => uids.includes(event.finding_info.uid)),
        next.map(() => false),
      );
      assert.deepEqual(
        next.map((event) => event.finding_info.uid_alt),
        first.map((event) => event.finding_info.uid_alt),
      );
    });
  });

  describe('hostile strings', () => {
    const HOSTILE = '"},{"class_uid":1,"x":"\\\n</script>\u0000\u001f\u2028\u2029\ud800 😀';

    it('stay intact JSON: one event per finding, one line per event, every string read back as written', () => {
      // Prepare
      const cluster = eksPosture({
        id: EKS_ID,
        name: HOSTILE,
        scope: '111111111111',
        location: 'eu-west-1',
        tags: { [HOSTILE]: HOSTILE },
      });
      const findings = [
        finding({
          checkId: 'EP-01',
          clusterId: EKS_ID,
          status: 'waived',
          message: HOSTILE,
          evidence: [{ path: HOSTILE, value: { [HOSTILE]: [HOSTILE, null, 1] } }],
          waiver: { reason: HOSTILE, owner: HOSTILE, expires: '2026-12-05', originalStatus: 'fail' },
        }),
        finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'fail', message: HOSTILE }),
      ];
      const model = buildReportModel(reportInput({ clusters: [cluster], findings }));
      // Act
      const body = bodyText(renderOcsfFindings(model));
      const parsed = JSON.parse(body) as OcsfComplianceFinding[];
      // Assess
      assert.equal(body.split('\n').length, findings.length + 3);
      const waived = parsed.find((event) => event.compliance.control === 'EP-01');
      assert.deepEqual(
        {
          events: parsed.length,
          name: waived?.resources[0]?.name,
          tags: waived?.resources[0]?.tags,
          message: waived?.message,
          evidences: waived?.evidences,
          waiver: waived?.unmapped.kubeline.waiver,
        },
        {
          events: 2,
          name: HOSTILE,
          tags: [{ name: HOSTILE, value: HOSTILE }],
          message: HOSTILE,
          evidences: [{ name: HOSTILE, data: { value: { [HOSTILE]: [HOSTILE, null, 1] } } }],
          waiver: { original_status: 'fail', reason: HOSTILE, owner: HOSTILE, expires: '2026-12-05' },
        },
      );
    });
  });

  describe('as a format', () => {
    it('is written as findings.ocsf.json, application/json, and an empty run is an empty array', () => {
      // Prepare
      const empty = buildReportModel(reportInput({ clusters: [], findings: [], scopes: [] }));
      // Act
      const files = renderReports(empty, ['ocsf']);
      // Assess
      assert.deepEqual(
        files.map((file) => [file.name, file.contentType, file.body]),
        [['findings.ocsf.json', 'application/json', '[]\n']],
      );
    });

    it('is a format to ask for, not one of the defaults, in the CLI and in output.formats', () => {
      // Act
      const parsed = configSchema.safeParse({ output: { formats: ['ocsf', 'json'] } });
      // Assess
      assert.deepEqual(
        {
          formats: [...REPORT_FORMATS],
          defaults: [...DEFAULT_REPORT_FORMATS],
          config: parsed.success ? parsed.data.output?.formats : parsed.error.message,
        },
        {
          formats: ['html', 'md', 'json', 'csv', 'junit', 'ocsf', 'pdf'],
          defaults: ['html', 'md', 'json', 'csv', 'junit'],
          config: ['ocsf', 'json'],
        },
      );
    });
  });
});
