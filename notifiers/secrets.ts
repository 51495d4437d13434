import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from './aws.js';

/** Reads a secret's value by ARN; injected so the SMTP notifier can be built without AWS. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * The value a Secrets Manager secret holds: the first of `keys` that is a string in a JSON
 * object (the console's "other type of secret" and RDS-style secrets), else the whole string.
 */
export function secretValueOf(secretString: string, keys: readonly string[]): string {
  try {
    const parsed: unknown = JSON.parse(secretString);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const fields = parsed as Readonly<Record<string, unknown>>;
      for (const key of keys) {
        const value = fields[key];
        if (typeof value === 'string') return value;
      }
    }
  } catch {
    // Not JSON: the string is the value itself.
  }
  return secretString;
}

/** The password a Secrets Manager secret holds: its whole string, or the `password` key of a JSON object. */
export function passwordOf(secretString: string): string {
  return secretValueOf(secretString, ['password']);
}

/**
 * Reads the text of a Secrets Manager secret in the secret's own region (from its ARN). Errors
 * name `purpose` and the ARN, never the value.
 */
export async function readSecretString(
  arn: string,
  purpose: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const region = arn.split(':')[3] ?? '';
  const client = new SecretsManagerClient(awsClientOptions(region, env));
  let secretString: string | undefined;
  try {
    secretString = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`cannot read ${purpose} from ${arn}: ${why}`, { cause: error });
  } finally {
    client.destroy();
  }
  if (secretString === undefined) throw new Error(`secret ${arn} holds binary data, not ${purpose}`);
  return secretString;
}

/** Reads SMTP passwords from AWS Secrets Manager. */
export function secretsManagerReader(env: Readonly<Record<string, string | undefined>>): SecretReader {
  return async (arn) => passwordOf(await readSecretString(arn, 'the SMTP password', env));
}
