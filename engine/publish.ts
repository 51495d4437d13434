import { createHash } from 'node:crypto';
import { bodyByteLength, isTextChunks, textChunks } from '../model/fileBody.js';
import type { FileBody } from '../model/reportFormats.js';
import { type LatestRunPointer, parseLatestPointer } from './diff.js';
import { HISTORY_KEY, type HistoryEntry, parseHistory } from './history.js';
import type { ReportSink } from './ports.js';

/** One file of a run as rendered, before it is written anywhere. */
export interface RunFile {
  readonly name: string;
  /** Text (written as UTF-8) or bytes (the PDF). */
  readonly body: FileBody;
  readonly contentType: string;
}

/** One published file of a run. */
export interface PublishedFile {
  readonly name: string;
  readonly key: string;
  /** Where a reader finds it in the first sink that holds it. */
  readonly location: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** A write that failed in one sink: the run, the sink and the object, and why. */
export interface SinkFailure {
  readonly runId: string;
  readonly sink: string;
  readonly key: string;
  readonly reason: string;
}

/** What became of `latest.json` in one sink. */
export interface LatestPointer {
  readonly sink: string;
  /**
   * `moved`: it points at this run now; `newer-kept`: a newer run already holds it and this run
   * does not move it back; `incomplete`: an incomplete run never moves it; `failed`: this sink
   * failed earlier in the run (or on the pointer), so the previous pointer stays.
   */
  readonly state: 'moved' | 'newer-kept' | 'incomplete' | 'failed';
}

/**
 * Renders the files of one format again, in the order first written: the fallback's copy of a
 * file written before a sink failed, so the publisher need not keep every report in memory.
 */
export type Rerender = () => Iterable<RunFile>;

/** A file already written: kept whole (small files, bytes) or to be rendered again. */
type WrittenFile = { readonly file: RunFile } | { readonly name: string; readonly rerender: Rerender };

/** The pointer `latest.json` holds. */
export interface LatestRun {
  readonly runId: string;
  readonly folder: string;
  readonly manifest: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/**
 * Renders the sink's `index.html` from the runs in its `history.json` (in stored order) and the run
 * its `latest.json` names (null when it names none). A port: the composition root hands in
 * report/runIndex.ts's `renderRunIndex`, so the engine imports no template code.
 */
export type RenderRunIndex = (entries: readonly HistoryEntry[], latest: LatestRunPointer | null) => string;

const LATEST_KEY = 'latest.json';
/** Conditional writes that lose to a concurrent run re-read the pointer; this bounds the races. */
const LATEST_ATTEMPTS = 5;
export const INDEX_KEY = 'index.html';
const INDEX_CONTENT_TYPE = 'text/html; charset=utf-8';
/** Conditional writes of the index that lose to a concurrent run render it again; this bounds the races. */
const INDEX_ATTEMPTS = 5;
/**
 * Files whole in memory that `queue` keeps in flight at once: enough to hide a store's round trip
 * behind rendering the next cluster page, few enough that the pages held stay a few megabytes.
 */
export const WRITES_AT_ONCE = 8;

function sha256(body: FileBody): string {
  const hash = createHash('sha256');
  // A string is hashed as UTF-8 without a Buffer copy of a report that may run to 150 MB.
  if (typeof body === 'string') hash.update(body, 'utf8');
  else if (isTextChunks(body)) for (const chunk of body.chunks()) hash.update(chunk, 'utf8');
  else hash.update(body);
  return hash.digest('hex');
}

/** A body's size and digest as the manifest records them. */
interface BodyMeasure {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * A body that measures itself as a sink reads it: text in pieces is rendered anew on every read,
 * so hashing it apart from the write would render a 150 MB report.json once more. The measure of
 * the last complete read is kept; a body no sink read to the end is measured on its own.
 */
function measuredBody(body: FileBody): { readonly body: FileBody; measure(): BodyMeasure } {
  const direct = () => ({ bytes: bodyByteLength(body), sha256: sha256(body) });
  if (!isTextChunks(body)) return { body, measure: direct };
  let complete: BodyMeasure | undefined;
  const tapped = textChunks(function* () {
    const hash = createHash('sha256');
    let bytes = 0;
    for (const chunk of body.chunks()) {
      hash.update(chunk, 'utf8');
      bytes += Buffer.byteLength(chunk, 'utf8');
      yield chunk;
    }
    complete = { bytes, sha256: hash.digest('hex') };
  });
  return { body: tapped, measure: () => complete ?? direct() };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether the pointer already names a run that started after this one (or this very run). */
function holdsNewerRun(current: string, ours: LatestRun): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(current);
  } catch {
    // An unreadable pointer names no run: replacing it is the repair.
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const { startedAt, runId } = parsed as { startedAt?: unknown; runId?: unknown };
  if (typeof startedAt !== 'string' || typeof runId !== 'string') return false;
  return startedAt > ours.startedAt || (startedAt === ours.startedAt && runId >= ours.runId);
}

/**
 * Renders `index.html` from what the sink holds now and writes it; the reason when it could not.
 * The index's version is read before the history and the pointer, and the write is conditional on
 * it: when two runs race, the one whose write lands last rendered a history read after every
 * write it replaced, so the index never drops a run another writer added.
 */
async function writeRunIndex(sink: ReportSink, render: RenderRunIndex): Promise<string | null> {
  try {
    for (let attempt = 0; attempt < INDEX_ATTEMPTS; attempt += 1) {
      const current = await sink.getVersioned(INDEX_KEY);
      const historyText = await sink.get(HISTORY_KEY);
      const latestText = await sink.get(LATEST_KEY);
      // Entries history.json cannot read are left out, as the next history write drops them too.
      const entries = historyText === undefined ? [] : parseHistory(historyText).entries;
      const pointer = latestText === undefined ? undefined : parseLatestPointer(latestText);
      const latest = pointer === undefined || 'unavailable' in pointer ? null : pointer;
      const body = render(entries, latest);
      if (await sink.putIfMatch(INDEX_KEY, body, INDEX_CONTENT_TYPE, current?.version ?? null)) return null;
    }
    return `${INDEX_KEY} changed under each of ${INDEX_ATTEMPTS} conditional writes`;
  } catch (error) {
    return describe(error);
  }
}

/**
 * Writes a run to every sink: the files, then (after the caller's notify step) the manifest, then
 * `latest.json`. A sink that fails is written no further, the run's files go to the fallback sink
 * instead, and every failure is kept with the run id, the sink and the object, so the report is
 * never lost and the previous `latest.json` of the failed sink stays as it was.
 */
export class RunPublisher {
  readonly #sinks: readonly ReportSink[];
  readonly #fallback: ReportSink;
  readonly #runId: string;
  readonly #folder: string;
  readonly #failed = new Set<ReportSink>();
  readonly #failures: SinkFailure[] = [];
  readonly #written: WrittenFile[] = [];
  /** One entry per file in the order its write began; filled in once every sink has it. */
  readonly #files: { published?: PublishedFile }[] = [];
  readonly #renderIndex: RenderRunIndex | undefined;
  #fallbackUsed = false;
  /** Writes `queue` started and has not seen end. */
  readonly #inFlight = new Set<Promise<void>>();
  /** The first error of a queued write, thrown by the next `queue` or `drain`. */
  #queuedFailure: { readonly error: unknown } | undefined;

  constructor(options: {
    readonly sinks: readonly [ReportSink, ...ReportSink[]];
    readonly fallback: ReportSink;
    readonly runId: string;
    /** `runs/<YYYY-MM-DD>/<runId>`. */
    readonly folder: string;
    /** Renders `index.html` for `refreshIndex`; without it no sink gets an index. */
    readonly renderIndex?: RenderRunIndex;
  }) {
    this.#sinks = options.sinks;
    this.#fallback = options.fallback;
    this.#runId = options.runId;
    this.#folder = options.folder;
    this.#renderIndex = options.renderIndex;
  }

  /** The files written so far, located in the first sink that holds them. */
  get files(): readonly PublishedFile[] {
    return this.#files.flatMap((entry) => (entry.published ? [entry.published] : []));
  }

  get failures(): readonly SinkFailure[] {
    return this.#failures;
  }

  /** The fallback folder's location, once a failure sent the run there. */
  get fallbackLocation(): string | undefined {
    return this.#fallbackUsed ? this.#fallback.locate(this.#folder) : undefined;
  }

  /** The first sink that has taken every write so far: where links and the diff's history come from. */
  get primary(): ReportSink | undefined {
    return this.#sinks.find((sink) => !this.#failed.has(sink));
  }

  keyOf(name: string): string {
    return `${this.#folder}/${name}`;
  }

  /**
   * Writes one rendered file of the run to every healthy sink. With `rerender`, the body is
   * dropped once written and rendered again only if a later failure needs it in the fallback.
   * Writes may overlap (a large estate's cluster pages): `files` keeps the order they began in, a
   * sink that fails under several of them counts one failure, and a write still in flight when
   * the fallback came into use puts its file there itself.
   */
  async write(file: RunFile, rerender?: Rerender): Promise<void> {
    const key = this.keyOf(file.name);
    const measured = measuredBody(file.body);
    const written = { ...file, body: measured.body };
    const entry: { published?: PublishedFile } = {};
    this.#files.push(entry);
    for (const sink of this.#healthy()) await this.#put(sink, key, written);
    if (this.#fallbackUsed) await this.#putFallback(key, written);
    this.#written.push(rerender ? { name: file.name, rerender } : { file });
    const holder = this.primary ?? this.#fallback;
    entry.published = { name: file.name, key, location: holder.locate(key), ...measured.measure() };
  }

  /**
   * Starts writing a file whose body is whole in memory (a large estate's cluster pages) and
   * returns once fewer than WRITES_AT_ONCE are in flight, so the next file is rendered while this
   * one is stored: one after another, hundreds of pages cost a round trip each to an object store.
   * Text in pieces is rendered as a sink reads it, so it is written before this returns. `drain`
   * waits for the rest; an error of the fallback (`write`'s only throw) comes out of either.
   */
  async queue(file: RunFile, rerender?: Rerender): Promise<void> {
    if (isTextChunks(file.body)) {
      await this.write(file, rerender);
    } else {
      const write: Promise<void> = this.write(file, rerender)
        .catch((error: unknown) => {
          this.#queuedFailure ??= { error };
        })
        .finally(() => this.#inFlight.delete(write));
      this.#inFlight.add(write);
      if (this.#inFlight.size >= WRITES_AT_ONCE) await Promise.race(this.#inFlight);
    }
    this.#throwQueuedFailure();
  }

  /** Waits for every write `queue` started. */
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#throwQueuedFailure();
  }

  #throwQueuedFailure(): void {
    if (this.#queuedFailure) throw this.#queuedFailure.error;
  }

  /**
   * Writes the manifest last in every healthy sink, then moves `latest.json` forward where the
   * run is complete. Returns what became of each sink's pointer.
   */
  async seal(manifest: RunFile, latest: LatestRun, complete: boolean): Promise<LatestPointer[]> {
    await this.drain();
    const manifestKey = this.keyOf(manifest.name);
    for (const sink of this.#healthy()) await this.#put(sink, manifestKey, manifest);
    if (this.#fallbackUsed) await this.#putFallback(manifestKey, manifest);
    this.#written.push({ file: manifest });
    const pointers: LatestPointer[] = [];
    for (const sink of this.#sinks) {
      if (this.#failed.has(sink)) pointers.push({ sink: sink.location, state: 'failed' });
      else if (!complete) pointers.push({ sink: sink.location, state: 'incomplete' });
      else pointers.push({ sink: sink.location, state: await this.#advanceLatest(sink, latest) });
    }
    return pointers;
  }

  /**
   * Rewrites `index.html` in every sink that took the run, once `seal` has moved `latest.json`
   * and `history.json` has taken the run. Every such sink, not only those whose pointer moved:
   * the index lists incomplete runs and runs that lost the pointer to a newer one too, and a
   * rewrite that changes nothing also repairs an index an earlier failed write left stale. The
   * fallback folder gets none: it holds single runs, not a history. Never throws: the run is whole
   * without its index, so a failure is returned as a warning and kept out of `failures`.
   */
  async refreshIndex(): Promise<SinkFailure[]> {
    const render = this.#renderIndex;
    if (render === undefined) return [];
    const failures: SinkFailure[] = [];
    for (const sink of this.#healthy()) {
      const reason = await writeRunIndex(sink, render);
      if (reason !== null) failures.push({ runId: this.#runId, sink: sink.location, key: INDEX_KEY, reason });
    }
    return failures;
  }

  #healthy(): ReportSink[] {
    return this.#sinks.filter((sink) => !this.#failed.has(sink));
  }

  async #put(sink: ReportSink, key: string, file: RunFile): Promise<void> {
    try {
      await sink.put(key, file.body, file.contentType);
    } catch (error) {
      await this.#fail(sink, key, error);
    }
  }

  async #fail(sink: ReportSink, key: string, error: unknown): Promise<void> {
    // Another write that overlapped this one already failed the sink and sent the run to the fallback.
    if (this.#failed.has(sink)) return;
    this.#failed.add(sink);
    this.#failures.push({ runId: this.#runId, sink: sink.location, key, reason: describe(error) });
    if (this.#fallbackUsed) return;
    this.#fallbackUsed = true;
    // Everything written before the failure goes to the fallback too, so it holds the whole run.
    // A write that ends after this point saw the fallback in use and put its file there itself.
    const replayed = new Set<Rerender>();
    for (const written of [...this.#written]) {
      if ('file' in written) await this.#putFallback(this.keyOf(written.file.name), written.file);
      else if (!replayed.has(written.rerender)) {
        replayed.add(written.rerender);
        await this.#replay(written.rerender);
      }
    }
  }

  /** Renders a format again and copies to the fallback those of its files written so far. */
  async #replay(rerender: Rerender): Promise<void> {
    const names = new Set(
      this.#written.flatMap((written) =>
        'rerender' in written && written.rerender === rerender ? [written.name] : [],
      ),
    );
    for (const file of rerender()) {
      if (names.has(file.name)) await this.#putFallback(this.keyOf(file.name), file);
    }
  }

  async #putFallback(key: string, file: RunFile): Promise<void> {
    // The fallback is the local disk: if even it fails, the error must stop the run loudly.
    await this.#fallback.put(key, file.body, file.contentType);
  }

  async #advanceLatest(sink: ReportSink, latest: LatestRun): Promise<LatestPointer['state']> {
    const body = `${JSON.stringify(latest, null, 2)}\n`;
    try {
      for (let attempt = 0; attempt < LATEST_ATTEMPTS; attempt += 1) {
        const current = await sink.getVersioned(LATEST_KEY);
        if (current && holdsNewerRun(current.body, latest)) return 'newer-kept';
        if (await sink.putIfMatch(LATEST_KEY, body, 'application/json', current?.version ?? null))
          return 'moved';
      }
      throw new Error(`${LATEST_KEY} changed under every one of ${LATEST_ATTEMPTS} conditional writes`);
    } catch (error) {
      await this.#fail(sink, LATEST_KEY, error);
      return 'failed';
    }
  }
}
