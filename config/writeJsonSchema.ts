import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from './jsonSchema.js';

/** Regenerates config/kubeline.config.schema.json (npm run schema). */
const target = fileURLToPath(new URL('./kubeline.config.schema.json', import.meta.url));
await writeFile(target, configJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
