import { z } from 'zod';
import { PROVIDERS } from '../model/posture.js';

/*
 * Shapes kubeline reads back from what it wrote itself (a previous report.json, a shard's stored
 * result): checked at the boundary, since a file in a bucket may be truncated or from elsewhere.
 */

/** A ScopeResult (model/run.ts) as JSON. */
export const scopeResultSchema = z.object({
  provider: z.enum([...PROVIDERS, 'snapshot']),
  scope: z.string(),
  region: z.string().optional(),
  status: z.enum(['ok', 'error']),
  error: z.string().optional(),
  clusters: z.number().int().nonnegative(),
});
