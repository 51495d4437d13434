import type { ClusterPosture } from '../model/posture.js';
import type { FileBody, PdfResult, RenderedFile, RenderedFormat } from '../model/reportFormats.js';
import type { ReportModel } from '../model/reportView.js';
import type { ApiCallTotals, RunNotice, ScopeResult } from '../model/run.js';

/** Something that could not be read: a file, a cluster in a file, a scope. Makes the run incomplete. */
export interface ReadProblem {
  readonly file?: string;
  readonly scope?: string;
  readonly cluster?: string;
  readonly reason: string;
}

/** What a source of postures returns: the clusters it read and what it could not read. */
export interface SourceResult {
  readonly postures: readonly ClusterPosture[];
  readonly scopes: readonly ScopeResult[];
  readonly problems: readonly ReadProblem[];
  /** What the operator should know about what was read (a cluster exported twice); the run stays complete. */
  readonly notices?: readonly RunNotice[];
  /** Cloud API calls made to produce this result; absent for sources that call no API. */
  readonly apiCalls?: ApiCallTotals;
}

/** A provider adapter or a snapshot reader, built by the composition root and handed to the pipeline. */
export interface PostureSource {
  readonly name: string;
  collect(): Promise<SourceResult>;
  /** Releases connections once the run is over. */
  close?(): Promise<void>;
}

/**
 * Renders a report model in one format (report/render.ts's `renderReport`): its files, one at a
 * time, each rendered only when the pipeline asks for the next (the HTML report is report.html and,
 * in a large estate, a page per cluster), so the pipeline writes each before the next exists and
 * peak memory stays that of one file. The composition root
 * hands it to the pipeline, which never imports a renderer itself: a Lambda that only plans or
 * collects then loads neither Handlebars nor the templates.
 */
export type ReportRenderer = (model: ReportModel, format: RenderedFormat) => Iterable<RenderedFile>;

/**
 * Prints the rendered HTML report to a PDF (report/pdf.ts's `renderPdf` with the configured
 * Chromium). Never throws: without a browser the result says `skipped`, and why. A port so that
 * the engine never loads playwright-core.
 */
export type PdfPrinter = (html: string) => Promise<PdfResult>;

/** An object as read, with the version a conditional write compares against. */
export interface VersionedObject {
  readonly body: string;
  /** Opaque: an S3 or Blob ETag, a GCS generation, a file's content digest. */
  readonly version: string;
}

/** Object storage (or a folder) that receives a run's files. */
export interface ReportSink {
  /** The sink's root as the user wrote it: `./reports`, `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * Writes one object, text as UTF-8 and bytes as they are; the write is complete (never partial)
   * when the promise resolves.
   */
  put(key: string, body: FileBody, contentType: string): Promise<void>;
  /** Reads one object, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Reads one object with its version, or undefined when it does not exist. */
  getVersioned(key: string): Promise<VersionedObject | undefined>;
  /**
   * Writes one object only if it is still at `expected` (a version from `getVersioned`), or still
   * absent when `expected` is null. Resolves false, writing nothing, when another writer changed
   * it first; rejects on any other failure.
   */
  putIfMatch(key: string, body: string, contentType: string, expected: string | null): Promise<boolean>;
  /** Where a reader finds the object: a path or a URL. */
  locate(key: string): string;
  /**
   * A link that fetches the object without credentials until it expires (S3 presigned URL, GCS V4
   * signed URL, Blob SAS). Absent for a local folder.
   */
  link?(key: string, lifetimeSeconds: number): Promise<string>;
}

/** A published run, as a notifier sees it. */
export interface PublishedRun {
  /** Everything the report shows, the run-to-run diff included when there was a previous run. */
  readonly model: ReportModel;
  /** The run's files: name, object key, location in the first sink that holds them, size. */
  readonly files: readonly {
    readonly name: string;
    readonly key: string;
    readonly location: string;
    readonly bytes: number;
  }[];
  /**
   * A link to one of the run's files that works without credentials for `lifetimeSeconds` (a
   * presigned URL, a V4-signed URL, a SAS), or its location where the sink makes no links.
   */
  link(key: string, lifetimeSeconds: number): Promise<string>;
  /** The HTML report, rendered again on demand for an attachment (it is not kept in memory). */
  renderHtml(): string;
}

/** One message a notifier could not deliver, and why: recorded in the manifest and the exit code. */
export interface NotificationFailure {
  readonly notifier: string;
  /** The recipients of the message that failed; never credentials. */
  readonly recipients: readonly string[];
  readonly reason: string;
}

/** What a notifier did with a run. */
export interface NotificationResult {
  readonly notifier: string;
  readonly delivered: number;
  readonly failures: readonly NotificationFailure[];
}

/** Tells people about a published run (email by SMTP or SES). Never throws: failures are results. */
export interface Notifier {
  /** `smtp smtp.acme.example:587`, `ses eu-west-1`. */
  readonly name: string;
  notify(run: PublishedRun): Promise<NotificationResult>;
}
