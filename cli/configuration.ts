import { CHECKS } from '../checks/registry.js';
import { ConfigError, loadConfig, validateConfigReferences } from '../config/load.js';
import type { KubelineConfig } from '../config/schema.js';
import { UsageError } from './errors.js';

/**
 * The configuration of `--config FILE` (else KUBELINE_CONFIG, else ./kubeline.config.yaml), with
 * its check ids and waivers checked as of `day`; its notices go to `notice`. A bad configuration is
 * bad usage (exit 64): it is thrown as a UsageError, so the dispatcher in run.ts need not load the
 * schema validator to recognise it.
 */
export async function configurationFor(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  day: string,
  notice: (text: string) => void,
): Promise<KubelineConfig> {
  try {
    const loaded = await loadConfig(file, env);
    const { config, notices } = validateConfigReferences(
      loaded.config,
      CHECKS.map((check) => check.id),
      day,
      loaded.source,
    );
    for (const text of notices) notice(text);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
