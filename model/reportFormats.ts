/** The formats a run can publish. */
export const REPORT_FORMATS = ['html', 'md', 'json', 'csv', 'junit', 'ocsf', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The formats the render port produces from the report model. The PDF is not one of them: it is
 * a print of the rendered HTML by the pipeline's separate `pdf` port, which needs a browser.
 */
export type RenderedFormat = Exclude<ReportFormat, 'pdf'>;

/**
 * What a run publishes when neither `--format` nor `output.formats` says: the reports people and
 * CI read. OCSF events are for a SIEM or a security lake, and a PDF needs a Chromium on the host,
 * so each is written only when asked for.
 */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv', 'junit'];

/** The file names of a run's reports (ARCHITECTURE.md, output layout). */
export type ReportFileName =
  | 'report.html'
  | 'report.md'
  | 'report.json'
  | 'findings.csv'
  | 'junit.xml'
  | 'findings.ocsf.json'
  | 'report.pdf'
  /** A cluster's own page beside report.html in a large estate's run (`clusters/<slug>.html`). */
  | `clusters/${string}.html`
  /** A page of a large estate's whole cluster × check matrix beside report.html (`matrix/<n>.html`). */
  | `matrix/${number}.html`;

/**
 * Text rendered in pieces: a large estate's report.json, findings.csv or junit.xml runs to hundreds
 * of megabytes, and holding it as one string (plus the copies made to hash and write it) was most
 * of a 5,000-cluster scan's peak memory. A sink writes the pieces as they come.
 */
export interface TextChunks {
  readonly kind: 'chunks';
  /**
   * The text's pieces, in order, rendered anew on each call: every sink (and the fallback folder)
   * reads the whole body, and nothing needs to keep it.
   */
  chunks(): Iterable<string>;
}

/** A file's content: text (written as UTF-8), text in pieces, or bytes as they are (a PDF). */
export type FileBody = string | Uint8Array | TextChunks;

/** Text for a rendered file: whole (small files, report.html) or in pieces (see `TextChunks`). */
export type RenderedBody = string | TextChunks;

/**
 * One report file rendered from the model, ready for a sink. Always text: the one binary file, the
 * PDF, is printed from the HTML by the pipeline's `pdf` port, and the publisher takes either.
 */
export interface RenderedFile {
  readonly name: ReportFileName;
  readonly contentType: string;
  readonly body: RenderedBody;
}

/**
 * A PDF printed from the HTML report; or why there is none. `skipped`: no Chromium to run (a
 * normal state on hosts without one, such as Lambda). `failed`: a Chromium was found but could
 * not render. Neither stops a run: the other formats are written all the same.
 */
export type PdfResult =
  | {
      readonly kind: 'pdf';
      readonly body: Uint8Array;
      /** Requests the report tried to make and that were refused; a self-contained report makes none. */
      readonly blockedRequests: readonly string[];
    }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };
