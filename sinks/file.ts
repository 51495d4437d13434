import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ReportSink, VersionedObject } from '../engine/ports.js';
import { BYTE_CHUNK_SIZE, bodyByteChunks, isTextChunks } from '../model/fileBody.js';
import type { FileBody } from '../model/reportFormats.js';
import { SinkError } from './errors.js';

/** How long a conditional write waits for another writer's lock. */
const LOCK_WAIT_MS = 2_000;
const LOCK_POLL_MS = 25;

function digest(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Rejects keys that would escape the sink's folder. */
function safeRelativeKey(key: string, sink: string): string {
  const normalized = normalize(key);
  if (key.length === 0 || isAbsolute(key) || normalized.split(sep).includes('..')) {
    throw new SinkError('object keys must be relative paths inside the sink', { sink, key });
  }
  return normalized;
}

/** A local folder as a sink. Each file is written to a temporary name and renamed, so readers never see half a file. */
export class FileSink implements ReportSink {
  readonly location: string;
  readonly #root: string;

  /** Folders this sink made or found: a large estate's thousands of cluster pages share one. */
  readonly #folders = new Set<string>();

  constructor(root: string) {
    this.location = root;
    this.#root = resolve(root);
  }

  async #folder(path: string): Promise<void> {
    if (this.#folders.has(path)) return;
    await mkdir(path, { recursive: true });
    this.#folders.add(path);
  }

  async put(key: string, body: FileBody, _contentType: string): Promise<void> {
    const path = join(this.#root, safeRelativeKey(key, this.location));
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.#folder(dirname(path));
      // A string is written as UTF-8 by Node itself, without a Buffer copy made here first; text in
      // pieces is written a megabyte at a time through one buffer (writeFile finishes each write
      // before it asks for the next chunk), so a large report is never whole in memory.
      await writeFile(temporary, isTextChunks(body) ? bodyByteChunks(body, BYTE_CHUNK_SIZE, true) : body);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new SinkError(
        `cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { sink: this.location, key },
        {
          cause: error,
        },
      );
    }
  }

  async get(key: string): Promise<string | undefined> {
    const path = join(this.#root, safeRelativeKey(key, this.location));
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SinkError(
        `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { sink: this.location, key },
        {
          cause: error,
        },
      );
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    const body = await this.get(key);
    return body === undefined ? undefined : { body, version: digest(body) };
  }

  /**
   * A folder has no conditional write, so a lock file beside the object makes the compare and the
   * rename one step for every kubeline writing to the same folder (a shared volume included).
   */
  async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    const path = join(this.#root, safeRelativeKey(key, this.location));
    const lock = await this.#lock(`${path}.lock`, key);
    try {
      const current = await this.get(key);
      if ((current === undefined ? null : digest(current)) !== expected) return false;
      await this.put(key, body, contentType);
      return true;
    } finally {
      await lock.close();
      await rm(`${path}.lock`, { force: true });
    }
  }

  /**
   * Takes the lock beside the object, waiting a moment for another writer. A lock that stays
   * longer is not taken over: a writer holds it for milliseconds, so it was left by a writer that
   * crashed (or one still running), and only the user can tell which. Guessing would let two
   * writers replace latest.json at once; the error names the file to remove instead.
   */
  async #lock(path: string, key: string): Promise<FileHandle> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw new SinkError(
        `cannot create the folder for a conditional write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { sink: this.location, key },
        { cause: error },
      );
    }
    for (;;) {
      try {
        return await open(path, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new SinkError(
            `cannot lock for a conditional write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
            { sink: this.location, key },
            { cause: error },
          );
        }
      }
      if (Date.now() > deadline) {
        throw new SinkError(
          `${path} has been locked for over ${LOCK_WAIT_MS / 1000} s: another kubeline is writing here, or one stopped mid-write; remove that file if no kubeline is running`,
          { sink: this.location, key },
        );
      }
      await delay(LOCK_POLL_MS);
    }
  }

  locate(key: string): string {
    return join(this.location, safeRelativeKey(key, this.location));
  }
}
