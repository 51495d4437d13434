import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { ReportSink } from '../engine/ports.js';
import { SinkError } from './errors.js';

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

  constructor(root: string) {
    this.location = root;
    this.#root = resolve(root);
  }

  async put(key: string, body: string, _contentType: string): Promise<void> {
    const path = join(this.#root, safeRelativeKey(key, this.location));
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temporary, body, 'utf8');
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

  locate(key: string): string {
    return join(this.location, safeRelativeKey(key, this.location));
  }
}
