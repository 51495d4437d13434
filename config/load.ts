import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { CHECK_ALIASES, resolveCheckId } from '../checks/registry.js';
import { daysBetween, parseDay } from '../model/dates.js';
import { configSchema, type KubelineConfig } from './schema.js';

/** Bad configuration: the CLI prints the message on one line and exits 64. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
  }
}

const DEFAULT_CONFIG_FILE = 'kubeline.config.yaml';
const MAX_WAIVER_DAYS = 366;

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

/** Parses and validates configuration text (YAML or JSON). */
export function parseConfig(text: string, source: string): KubelineConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true, maxAliasCount: 50 });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new ConfigError(`not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`, source, {
      cause: error,
    });
  }
  const result = configSchema.safeParse(document ?? {});
  if (!result.success) {
    throw new ConfigError(result.error.issues.map(describeIssue).join('; '), source);
  }
  return result.data;
}

/**
 * Checks what the schema cannot: check ids exist in the catalogue, and waivers expire on a real
 * day no more than a year after the evaluation day. An id that is the alias of a renamed check
 * (`aliases`, old id → current id) is accepted and replaced by the current id, with a notice.
 * Returns the configuration with every check id current.
 */
export function validateConfigReferences(
  config: KubelineConfig,
  knownCheckIds: readonly string[],
  asOf: string,
  source: string,
  aliases: Readonly<Record<string, string>> = CHECK_ALIASES,
): { readonly config: KubelineConfig; readonly notices: readonly string[] } {
  const known = new Set(knownCheckIds);
  const problems: string[] = [];
  const notices: string[] = [];
  const current = (id: string, where: string): string => {
    const resolved = resolveCheckId(id, aliases);
    if (resolved.notice !== undefined) notices.push(`${source}: ${where}: ${resolved.notice}`);
    if (!known.has(resolved.id)) problems.push(`${where}: unknown check id ${JSON.stringify(id)}`);
    return resolved.id;
  };
  const disable = config.checks?.disable?.map((id, index) => current(id, `checks.disable.${index}`));
  const severity =
    config.checks?.severity === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(config.checks.severity).map(([id, level]) => [
            current(id, `checks.severity.${id}`),
            level,
          ]),
        );
  const waivers = config.waivers?.map((waiver, index) => {
    const check = current(waiver.check, `waivers.${index}.check`);
    if (!parseDay(waiver.expires)) {
      problems.push(`waivers.${index}.expires: ${waiver.expires} is not a calendar day`);
    } else if (daysBetween(asOf, waiver.expires) > MAX_WAIVER_DAYS) {
      problems.push(
        `waivers.${index}.expires: ${waiver.expires} is more than a year after ${asOf}; waivers must be renewed yearly`,
      );
    }
    return { ...waiver, check };
  });
  if (problems.length > 0) throw new ConfigError(problems.join('; '), source);
  const checks =
    config.checks === undefined
      ? undefined
      : {
          ...config.checks,
          ...(disable === undefined ? {} : { disable }),
          ...(severity === undefined ? {} : { severity }),
        };
  return {
    config: {
      ...config,
      ...(checks === undefined ? {} : { checks }),
      ...(waivers === undefined ? {} : { waivers }),
    },
    notices,
  };
}

/**
 * Finds and parses the configuration: `--config FILE`, else `KUBELINE_CONFIG` (a path, or the
 * YAML itself), else `./kubeline.config.yaml` when present, else an empty configuration.
 */
export async function loadConfig(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ config: KubelineConfig; source: string }> {
  const fromEnv = env.KUBELINE_CONFIG?.trim();
  if (file === undefined && fromEnv && /[\n:{]/.test(fromEnv) && !existsSync(fromEnv)) {
    return { config: parseConfig(fromEnv, 'KUBELINE_CONFIG'), source: 'KUBELINE_CONFIG' };
  }
  const path = file ?? fromEnv ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (path === undefined) return { config: {}, source: '(defaults)' };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      path,
      { cause: error },
    );
  }
  return { config: parseConfig(text, path), source: path };
}
