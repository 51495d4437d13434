import { z } from 'zod';
import { PROVIDERS } from '../model/posture.js';
import type { ScanLaunchRequest } from './ports.js';

/*
 * Apart from the Step Functions launcher, so that the plan function, which reads an execution's
 * input but starts none, loads no Step Functions client.
 */

/**
 * The input of every execution: the run id (also the execution's name), what started it, and
 * what the run reads. The scheduled job's executions have no `request`, which is a full scan.
 */
export interface ExecutionInput {
  readonly runId: string;
  readonly trigger: 'schedule' | 'http';
  readonly request?: ScanLaunchRequest;
}

const executionInputSchema = z.object({
  runId: z.string().regex(/^[\w-]{1,80}$/, 'expected an execution name'),
  trigger: z.enum(['schedule', 'http']).optional(),
  request: z
    .object({
      providers: z.array(z.enum(PROVIDERS)).optional(),
      scopes: z.array(z.string()).optional(),
      clusters: z.array(z.string()).optional(),
      notify: z.boolean().optional(),
    })
    .optional(),
});

/**
 * An execution's input as kubeline wrote it; throws naming what is wrong. Input without a
 * trigger is from a kubeline that did not record one: only the HTTP trigger started those.
 */
export function parseExecutionInput(value: unknown): ExecutionInput {
  const parsed = executionInputSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    throw new Error(`not a kubeline execution input: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  const { providers, scopes, clusters, notify } = parsed.data.request ?? {};
  return {
    runId: parsed.data.runId,
    trigger: parsed.data.trigger ?? 'http',
    ...(parsed.data.request
      ? {
          request: {
            ...(providers ? { providers } : {}),
            ...(scopes ? { scopes } : {}),
            ...(clusters ? { clusters } : {}),
            ...(notify === undefined ? {} : { notify }),
          },
        }
      : {}),
  };
}

/** The request an execution's input carries (a full scan when it carries none); undefined when the input is not kubeline's. */
export function requestOfExecution(input: string | undefined): ScanLaunchRequest | undefined {
  if (input === undefined) return undefined;
  try {
    return parseExecutionInput(JSON.parse(input)).request ?? {};
  } catch {
    return undefined;
  }
}
