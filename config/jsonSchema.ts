import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON Schema of `kubeline.config.yaml`, for editors (YAML language server, VS Code). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input' }),
    title: 'kubeline configuration',
  };
}

/** The schema file's text as committed beside the config code. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
