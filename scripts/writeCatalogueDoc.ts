import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { catalogueMarkdown } from '../checks/catalogueDoc.js';
import { CHECKS } from '../checks/registry.js';
import { apiCallsFor } from '../providers/fieldApis.js';

/** `npm run docs`: writes docs/checks.md from the catalogue. */
const target = fileURLToPath(new URL('../docs/checks.md', import.meta.url));
await writeFile(target, catalogueMarkdown(CHECKS, apiCallsFor), 'utf8');
process.stdout.write(`wrote ${target} (${CHECKS.length} checks)\n`);
