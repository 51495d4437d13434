import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRawObject, lookup } from '../../providers/reader.js';
import { RAW_FIXTURES } from './rawFixture.js';

const FLEET = fileURLToPath(new URL('../../examples/fleet/', import.meta.url));

/**
 * The cluster objects of every export of one cloud in the raw fixtures and the example fleet,
 * lists unpacked (`az aks list`, GKE `{clusters: […]}`), named by file for failure messages.
 * `select` picks the files of the cloud's cluster exports.
 */
export function exportedClusters(
  cloud: 'eks' | 'gke' | 'aks',
  select: (file: string) => boolean,
): { name: string; document: unknown }[] {
  const folders = [`${RAW_FIXTURES}${cloud}/`, `${FLEET}${cloud}/`];
  return folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((file) => file.endsWith('.json') && select(file))
      .sort()
      .flatMap((file) => {
        const parsed: unknown = JSON.parse(readFileSync(`${folder}${file}`, 'utf8'));
        const listed = Array.isArray(parsed) ? parsed : lookup(parsed, 'clusters');
        const items = Array.isArray(listed) ? listed : [parsed];
        return items
          .filter(isRawObject)
          .map((document, index) => ({ name: items.length > 1 ? `${file}[${index}]` : file, document }));
      }),
  );
}
