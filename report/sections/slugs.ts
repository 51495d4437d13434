import { createHash } from 'node:crypto';

/** A cluster as its page name reads it. */
export interface SlugCluster {
  readonly id: string;
  readonly provider: string;
  readonly scope: string;
  readonly name: string;
}

/**
 * The longest slug: a file name well under every sink's key limit (S3 1,024 bytes, a file system's
 * 255-byte names) with room for the run folder and `clusters/…html` around it.
 */
export const SLUG_MAX_LENGTH = 80;
/** Hex digits of the id's digest that tell apart clusters whose names reduce to the same slug. */
const SUFFIX_LENGTH = 8;

/** Text reduced to `[a-z0-9-]`: lower case, every other run of characters one `-`, none at either end. */
export function slugText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function cut(text: string, length: number): string {
  return text.slice(0, length).replace(/-+$/, '');
}

function digest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, SUFFIX_LENGTH);
}

/**
 * Page names of the clusters, `provider-scope-name` as `[a-z0-9-]`, at most `SLUG_MAX_LENGTH`
 * characters. The first cluster (in the order given: the report's) to reach a name keeps it; a
 * later one adds a digest of its id, which depends on nothing else in the run, so a cluster keeps
 * its page's name from run to run as long as its name and the clusters before it do.
 */
export function clusterSlugs(clusters: readonly SlugCluster[]): Map<string, string> {
  const taken = new Set<string>();
  const slugs = new Map<string, string>();
  for (const cluster of clusters) {
    const parts = [cluster.provider, cluster.scope, cluster.name].map(slugText).filter((part) => part !== '');
    const base = cut(parts.join('-'), SLUG_MAX_LENGTH) || 'cluster';
    let slug = base;
    for (let attempt = 1; taken.has(slug); attempt += 1) {
      // A digest collision as well is astronomically unlikely; the attempt number still settles it.
      const suffix = attempt === 1 ? digest(cluster.id) : `${digest(cluster.id)}-${attempt}`;
      slug = `${cut(base, SLUG_MAX_LENGTH - suffix.length - 1)}-${suffix}`;
    }
    taken.add(slug);
    slugs.set(cluster.id, slug);
  }
  return slugs;
}
