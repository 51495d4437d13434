import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding kubeline's package.json, from source (tsx) or from dist/. */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'templates'))) return folder;
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error('cannot find the kubeline package root (package.json beside templates/)');
    folder = parent;
  }
}

/** Name and version from package.json. */
export function packageInfo(): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: manifest.name, version: manifest.version };
}
