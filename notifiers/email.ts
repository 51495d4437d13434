import type { PublishedRun } from '../engine/ports.js';
import { dayOf, daysBetween } from '../model/dates.js';
import type { Status } from '../model/finding.js';
import type { ReportCluster, ReportFinding, ReportModel, ReportWaiverNotice } from '../model/reportView.js';
import { plainTextTemplate, reportTemplate } from '../report/templates.js';

/** Who receives owner emails: the clusters whose tag `tag` has a configured value. */
export interface OwnerRouting {
  /** The tag or label key; matched ignoring case (Azure tag keys are case-insensitive). */
  readonly tag: string;
  /**
   * Tag value as configured → addresses. Values are matched ignoring case: GKE labels are
   * lowercase only, so the same team is `Payments` on EKS and `payments` on GKE.
   */
  readonly addresses: Readonly<Record<string, readonly string[]>>;
}

/** What the notifiers need from `notify.email` and `output.linkLifetimeDays`, defaults applied. */
export interface EmailSettings {
  readonly from: string;
  /** Receive one email per run about every cluster; may be empty when owners are routed. */
  readonly to: readonly string[];
  readonly subjectPrefix: string;
  /** The HTML report is attached when at most this many bytes; 0 never attaches. */
  readonly attachMaxBytes: number;
  readonly linkLifetimeSeconds: number;
  readonly owners?: OwnerRouting;
}

/** A file attached to an email. */
export interface EmailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

/** One message, ready for a transport. */
export interface EmailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly EmailAttachment[];
}

/** Who one message goes to, and which clusters it is about. */
export interface EmailAudience {
  readonly recipients: readonly string[];
  /** Null: every cluster (the main recipients). Otherwise the owner's clusters. */
  readonly clusterIds: ReadonlySet<string> | null;
  /** The owner tag values as configured, for the subject and the body; empty for the main recipients. */
  readonly ownerValues: readonly string[];
}

/** Rows a list of the email shows; the report has the rest. Keeps the message small for mail clients. */
export const EMAIL_ROWS_SHOWN = 20;

const FAILING: ReadonlySet<Status> = new Set(['fail', 'error']);

/**
 * Cloud-sourced text on one line: control characters (CR and LF above all) become spaces, so a
 * cluster name can neither start a header in the subject nor fake a line in the text part.
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `1.2 MiB`, `830 KiB`, `512 bytes`. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return plural(bytes, 'byte');
}

/**
 * The messages of a run: one to the main recipients about every cluster, and one per group of
 * owner addresses about their clusters only. An address routed from several tag values gets one
 * message with all of their clusters; a cluster without the tag, or with a value not configured,
 * goes to the main recipients only; an owner with no cluster in this run gets nothing.
 */
export function emailAudiences(model: ReportModel, settings: EmailSettings): EmailAudience[] {
  const main: EmailAudience[] =
    settings.to.length > 0 ? [{ recipients: [...settings.to], clusterIds: null, ownerValues: [] }] : [];
  return settings.owners ? [...main, ...ownerAudiences(model.clusters, settings.owners)] : main;
}

function ownerAudiences(clusters: readonly ReportCluster[], routing: OwnerRouting): EmailAudience[] {
  const byValue = new Map(
    Object.entries(routing.addresses).map(([value, addresses]) => [
      value.toLowerCase(),
      { value, addresses },
    ]),
  );
  const perAddress = new Map<string, { clusters: Set<string>; values: Set<string> }>();
  for (const cluster of clusters) {
    for (const tag of cluster.tags) {
      if (tag.key.toLowerCase() !== routing.tag.toLowerCase()) continue;
      const owner = byValue.get(tag.value.toLowerCase());
      if (owner === undefined) continue;
      for (const address of owner.addresses) {
        const entry = perAddress.get(address) ?? { clusters: new Set(), values: new Set() };
        entry.clusters.add(cluster.id);
        entry.values.add(owner.value);
        perAddress.set(address, entry);
      }
    }
  }
  // Addresses that would receive the same message share it, as one owner's list of addresses does.
  const groups = new Map<string, EmailAudience & { recipients: string[] }>();
  for (const [address, entry] of perAddress) {
    const clusterIds = [...entry.clusters].sort();
    const ownerValues = [...entry.values].sort();
    const key = JSON.stringify([clusterIds, ownerValues]);
    const group = groups.get(key) ?? { recipients: [], clusterIds: new Set(clusterIds), ownerValues };
    group.recipients.push(address);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, recipients: group.recipients.sort() }))
    .sort((a, b) => a.ownerValues.join().localeCompare(b.ownerValues.join()));
}

/** The facts a subject is made of. */
export interface SubjectFacts {
  readonly prefix: string;
  readonly clusters: number;
  readonly failing: number;
  readonly unknown: number;
  /** New failures since the previous run; null when there was no comparison. */
  readonly newFailures: number | null;
  /** `yesterday`, `2026-11-25`; with `newFailures`. */
  readonly since: string;
  readonly complete: boolean;
  /** `team payments`; null for the main recipients. */
  readonly owner: string | null;
}

/**
 * The outcome at a glance: `kubeline: 12 failing (3 new since yesterday), INCOMPLETE — 15 clusters`.
 * New failures are counted only when there was a previous run to compare with.
 */
export function emailSubject(facts: SubjectFacts): string {
  const outcome =
    facts.failing > 0
      ? `${facts.failing} failing`
      : facts.clusters === 0
        ? 'no clusters read'
        : facts.unknown > 0
          ? `nothing failing, ${facts.unknown} unknown`
          : 'all passing';
  const fresh =
    facts.failing > 0 && facts.newFailures !== null ? ` (${facts.newFailures} new since ${facts.since})` : '';
  const incomplete = facts.complete ? '' : ', INCOMPLETE';
  const scope = `${facts.owner === null ? '' : `${facts.owner}, `}${plural(facts.clusters, 'cluster')}`;
  return oneLine(`${facts.prefix}: ${outcome}${fresh}${incomplete} — ${scope}`);
}

/** `yesterday`, `the run earlier today`, or the previous run's day. */
export function sinceLabel(previousStartedAt: string, startedAt: string): string {
  const previousDay = dayOf(new Date(previousStartedAt));
  const days = daysBetween(previousDay, dayOf(new Date(startedAt)));
  if (days === 0) return 'the run earlier today';
  if (days === 1) return 'yesterday';
  return previousDay;
}

/** A list of the email: the first rows, and a note of how many the report has beyond them. */
interface EmailList<Row> {
  readonly total: number;
  readonly rows: readonly Row[];
  readonly moreLabel: string | null;
}

function emailList<Row>(rows: readonly Row[]): EmailList<Row> {
  const hidden = rows.length - EMAIL_ROWS_SHOWN;
  return {
    total: rows.length,
    rows: rows.slice(0, EMAIL_ROWS_SHOWN),
    moreLabel: hidden > 0 ? `…and ${hidden} more in the report.` : null,
  };
}

interface FindingRow {
  readonly checkId: string;
  readonly checkTitle: string;
  readonly severityLabel: string;
  readonly clusterName: string;
  readonly providerName: string;
  readonly location: string;
  readonly message: string;
}

function findingRow(finding: ReportFinding): FindingRow {
  return {
    checkId: finding.checkId,
    checkTitle: oneLine(finding.checkTitle),
    severityLabel: finding.severityLabel,
    clusterName: oneLine(finding.clusterName),
    providerName: finding.providerName,
    location: oneLine(`${finding.scope} ${finding.location}`),
    message: oneLine(finding.message),
  };
}

/** The comparison with the previous run, as the email shows it. */
interface EmailDiff {
  readonly compared: boolean;
  /** `3 new failures, 1 fixed, …`, or why there is no comparison. */
  readonly headline: string;
  readonly since: string;
  /** Failing now and not before, among the audience's clusters. */
  readonly newFailures: EmailList<FindingRow>;
}

const NO_DIFF = 'No comparison with a previous run: this run did not look for one.';

function findingKey(checkId: string, clusterId: string): string {
  return `${checkId}\u0000${clusterId}`;
}

/**
 * New failures of the diff that still fail as reported: one waived since is an accepted risk,
 * not news. The diff itself compares statuses before waivers (see `RunDiffFinding`).
 */
function newFailuresOf(
  model: ReportModel,
  findings: ReadonlyMap<string, ReportFinding>,
  inAudience: (clusterId: string) => boolean,
): ReportFinding[] {
  const data = model.diff?.data;
  if (!data || data.previousRun === null) return [];
  return data.new
    .filter((entry) => FAILING.has(entry.status) && inAudience(entry.clusterId))
    .map((entry) => findings.get(findingKey(entry.checkId, entry.clusterId)))
    .filter((finding): finding is ReportFinding => finding !== undefined);
}

function emailDiff(model: ReportModel, newFailures: readonly ReportFinding[], owner: boolean): EmailDiff {
  const diff = model.diff;
  if (diff === null || diff.previousRun === null) {
    return {
      compared: false,
      headline: oneLine(diff?.unavailableLabel ?? NO_DIFF),
      since: '',
      newFailures: emailList([]),
    };
  }
  return {
    compared: true,
    // The run-wide headline counts every cluster: an owner sees their own new failures instead.
    headline: owner
      ? `${plural(newFailures.length, 'new failure')} on your clusters`
      : oneLine(diff.headline),
    since: sinceLabel(diff.previousRun.startedAt, model.run.startedAt),
    newFailures: emailList(newFailures.map(findingRow)),
  };
}

/** One check failing on some of the audience's clusters. */
interface FailingCheckRow {
  readonly checkId: string;
  readonly checkTitle: string;
  readonly severityLabel: string;
  readonly clustersLabel: string;
  readonly clusterNames: string;
}

function failingChecks(findings: readonly ReportFinding[]): FailingCheckRow[] {
  const byCheck = new Map<string, ReportFinding[]>();
  for (const finding of findings.filter((item) => FAILING.has(item.status))) {
    const failing = byCheck.get(finding.checkId) ?? [];
    failing.push(finding);
    byCheck.set(finding.checkId, failing);
  }
  // Findings arrive sorted by status, severity and check id, so checks keep the report's order.
  return [...byCheck.values()].map((failing) => {
    const first = failing[0] as ReportFinding;
    const names = failing.slice(0, 5).map((finding) => oneLine(finding.clusterName));
    return {
      checkId: first.checkId,
      checkTitle: oneLine(first.checkTitle),
      severityLabel: first.severityLabel,
      clustersLabel: plural(failing.length, 'cluster'),
      clusterNames: `${names.join(', ')}${failing.length > names.length ? ', …' : ''}`,
    };
  });
}

interface WaiverRow {
  readonly check: string;
  readonly checkTitle: string;
  readonly selector: string;
  readonly owner: string;
  readonly reason: string;
  readonly daysLabel: string;
}

function waiverRow(notice: ReportWaiverNotice): WaiverRow {
  return {
    check: notice.check,
    checkTitle: oneLine(notice.checkTitle),
    selector: oneLine(notice.selector),
    owner: oneLine(notice.owner),
    reason: oneLine(notice.reason),
    daysLabel: notice.daysLabel,
  };
}

/**
 * Waivers about to expire or expired. An owner sees the expiring waivers that cover one of their
 * findings; an expired waiver no longer marks any finding, so it is for the main recipients.
 */
function waiverRows(model: ReportModel, findings: readonly ReportFinding[], owner: boolean): WaiverRow[] {
  const { expiringSoon, expired } = model.waiverNotices;
  if (!owner) return [...expired, ...expiringSoon].map(waiverRow);
  return expiringSoon
    .filter((notice) =>
      findings.some(
        (finding) =>
          finding.checkId === notice.check &&
          finding.waiver?.reason === notice.reason &&
          finding.waiver.owner === notice.owner &&
          finding.waiver.expires === notice.expires,
      ),
    )
    .map(waiverRow);
}

interface NotReadRow {
  readonly subject: string;
  readonly reason: string;
}

/** Scopes and files not read: run-wide, since an unread scope may hold any owner's clusters. */
function notReadRows(model: ReportModel): NotReadRow[] {
  const scopes = model.header.scopeErrors.map((scope) => ({
    subject: oneLine(
      [scope.providerName, scope.scope, scope.region].filter((part) => part !== null).join(' '),
    ),
    reason: oneLine(scope.error ?? 'unknown error'),
  }));
  const problems = model.problems.map((problem) => ({
    subject: oneLine(problem.subject),
    reason: oneLine(problem.reason),
  }));
  return [...scopes, ...problems];
}

/** A link to one of the run's files; `href` only for http(s), so no other scheme lands in an `href`. */
interface LinkRow {
  readonly name: string;
  readonly url: string;
  readonly href: string | null;
}

async function linkRows(run: PublishedRun, lifetimeSeconds: number): Promise<LinkRow[]> {
  return Promise.all(
    run.files.map(async (file) => {
      const url = await run
        .link(file.key, lifetimeSeconds)
        .catch(
          (error: unknown) => `(no link: ${error instanceof Error ? oneLine(error.message) : String(error)})`,
        );
      return { name: file.name, url, href: /^https?:\/\//i.test(url) ? url : null };
    }),
  );
}

/** The HTML report as an attachment, or why it is not attached. */
interface AttachmentPlan {
  readonly attachment: EmailAttachment | null;
  readonly note: string;
}

function planAttachment(run: PublishedRun, maxBytes: number): AttachmentPlan {
  if (maxBytes === 0) {
    return { attachment: null, note: 'The HTML report is not attached (attachMaxBytes is 0): use the link.' };
  }
  const published = run.files.find((file) => file.name === 'report.html');
  // Without a published report.html the size is known only once rendered.
  const rendered = published ? undefined : run.renderHtml();
  const bytes = published?.bytes ?? Buffer.byteLength(rendered ?? '', 'utf8');
  if (bytes > maxBytes) {
    return {
      attachment: null,
      note: `The HTML report (${sizeLabel(bytes)}) is over the ${sizeLabel(maxBytes)} attachment limit: open it from the link.`,
    };
  }
  return {
    attachment: {
      filename: 'report.html',
      contentType: 'text/html; charset=utf-8',
      content: rendered ?? run.renderHtml(),
    },
    note: `The HTML report (${sizeLabel(bytes)}) is attached.`,
  };
}

/** Counts of the audience's findings per status, in the report's column order. */
function statusCounts(model: ReportModel, findings: readonly ReportFinding[]) {
  return model.statusColumns.map((column) => ({
    label: column.label,
    count: findings.filter((finding) => finding.status === column.status).length,
  }));
}

/** What one message says, for both templates. Every cloud-sourced string is on one line. */
interface EmailView {
  readonly subject: string;
  readonly title: string;
  readonly audienceLabel: string;
  readonly ownerNote: string | null;
  readonly run: { readonly id: string; readonly startedAt: string; readonly asOf: string };
  readonly complete: boolean;
  readonly completenessLabel: string;
  readonly counts: readonly { readonly label: string; readonly count: number }[];
  readonly diff: EmailDiff;
  readonly failingChecks: EmailList<FailingCheckRow>;
  readonly leavingSupport: EmailList<FindingRow>;
  readonly waivers: EmailList<WaiverRow>;
  readonly notRead: EmailList<NotReadRow>;
  readonly links: readonly LinkRow[];
  readonly linkLifetimeLabel: string;
  readonly attachmentNote: string | null;
  readonly tool: { readonly name: string; readonly version: string };
}

/** End of standard support within the warning window: VER-02 failing. */
const LEAVING_SUPPORT_CHECK = 'VER-02';

interface ViewInput {
  readonly model: ReportModel;
  readonly settings: EmailSettings;
  readonly audience: EmailAudience;
  readonly links: readonly LinkRow[];
  readonly attachmentNote: string | null;
}

function ownerLabel(settings: EmailSettings, audience: EmailAudience): string | null {
  if (audience.clusterIds === null || !settings.owners) return null;
  return oneLine(`${settings.owners.tag} ${audience.ownerValues.join(' and ')}`);
}

function emailView({ model, settings, audience, links, attachmentNote }: ViewInput): EmailView {
  const inAudience = (clusterId: string) => audience.clusterIds?.has(clusterId) ?? true;
  const findings = model.findings.filter((finding) => inAudience(finding.clusterId));
  const byKey = new Map(findings.map((finding) => [findingKey(finding.checkId, finding.clusterId), finding]));
  const owner = ownerLabel(settings, audience);
  const diff = emailDiff(model, newFailuresOf(model, byKey, inAudience), owner !== null);
  const clusters = model.clusters.filter((cluster) => inAudience(cluster.id)).length;
  const failing = findings.filter((finding) => FAILING.has(finding.status)).length;
  const unknown = findings.filter((finding) => finding.status === 'unknown').length;
  const days = settings.linkLifetimeSeconds / 86_400;
  return {
    subject: emailSubject({
      prefix: settings.subjectPrefix,
      clusters,
      failing,
      unknown,
      newFailures: diff.compared ? diff.newFailures.total : null,
      since: diff.since,
      complete: model.header.complete,
      owner,
    }),
    title:
      owner === null ? 'Kubernetes control-plane report' : `Kubernetes control-plane report for ${owner}`,
    audienceLabel:
      owner === null
        ? `all ${plural(clusters, 'cluster')} of the run`
        : `${plural(clusters, 'cluster')} tagged ${owner}`,
    ownerNote:
      owner === null
        ? null
        : `This email covers only the clusters tagged ${owner}. The full report covers every team's clusters, so it is neither attached nor linked here; the report's main recipients have it.`,
    run: { id: model.run.id, startedAt: model.run.startedAt, asOf: model.run.asOf },
    complete: model.header.complete,
    completenessLabel: oneLine(model.header.completenessLabel),
    counts: statusCounts(model, findings),
    diff,
    failingChecks: emailList(failingChecks(findings)),
    leavingSupport: emailList(
      findings
        .filter((finding) => finding.checkId === LEAVING_SUPPORT_CHECK && finding.status === 'fail')
        .map(findingRow),
    ),
    waivers: emailList(waiverRows(model, findings, owner !== null)),
    notRead: emailList(notReadRows(model)),
    links,
    linkLifetimeLabel: Number.isInteger(days)
      ? plural(days, 'day')
      : plural(settings.linkLifetimeSeconds, 'second'),
    attachmentNote,
    tool: model.tool,
  };
}

/**
 * The messages to send about a published run, from its model and the email settings. Only the
 * main recipients get links and the attachment: an owner's message is about their clusters, and
 * the full report covers everyone's.
 */
export async function composeRunEmails(run: PublishedRun, settings: EmailSettings): Promise<EmailMessage[]> {
  const audiences = emailAudiences(run.model, settings);
  if (audiences.length === 0) return [];
  const everyone = audiences.some((audience) => audience.clusterIds === null);
  const links = everyone ? await linkRows(run, settings.linkLifetimeSeconds) : [];
  const attachment = everyone ? planAttachment(run, settings.attachMaxBytes) : null;
  return audiences.map((audience) => {
    const main = audience.clusterIds === null;
    const view = emailView({
      model: run.model,
      settings,
      audience,
      links: main ? links : [],
      attachmentNote: main ? (attachment?.note ?? null) : null,
    });
    return {
      from: settings.from,
      to: audience.recipients,
      subject: view.subject,
      text: plainTextTemplate('email.txt.hbs')(view),
      html: reportTemplate('email.html.hbs')(view),
      attachments: main && attachment?.attachment ? [attachment.attachment] : [],
    };
  });
}
