/**
 * Run files a browser should save rather than show: spreadsheets, CI results and SIEM input are
 * opened by other tools, while the reports and the run's JSON pointers read fine inline.
 */
const ATTACHMENTS: ReadonlySet<string> = new Set(['findings.csv', 'junit.xml', 'findings.ocsf.json']);

/**
 * The `Content-Disposition` a sink stores with an object, from the file name at the end of its
 * key: `attachment; filename="findings.csv"` for files meant to be downloaded, undefined (shown
 * inline) for everything else. One rule for every cloud sink, so a link behaves the same whichever
 * store serves it.
 */
export function contentDispositionFor(key: string): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  // The names are kubeline's own fixed ASCII file names, so they need no quoting beyond the quotes.
  return ATTACHMENTS.has(name) ? `attachment; filename="${name}"` : undefined;
}
