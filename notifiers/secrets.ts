import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from './aws.js';

/** Reads a secret's value by ARN; injected so the SMTP notifier can be built without AWS. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * The password a Secrets Manager secret holds: its whole string, or the `password` key of a JSON
 * object (the shape the console's "other type of secret" and RDS-style secrets use).
 */
export function passwordOf(secretString: string): string {
  try {
    const parsed: unknown = JSON.parse(secretString);
    if (typeof parsed === 'object' && parsed !== null && 'password' in parsed) {
      const { password } = parsed;
      if (typeof password === 'string') return password;
    }
  } catch {
    // Not JSON: the string is the password itself.
  }
  return secretString;
}

/** Reads secrets from AWS Secrets Manager in the secret's own region (from its ARN). */
export function secretsManagerReader(env: Readonly<Record<string, string | undefined>>): SecretReader {
  return async (arn) => {
    const region = arn.split(':')[3] ?? '';
    const client = new SecretsManagerClient(awsClientOptions(region, env));
    let secretString: string | undefined;
    try {
      secretString = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`cannot read the SMTP password from ${arn}: ${why}`, { cause: error });
    } finally {
      client.destroy();
    }
    if (secretString === undefined) throw new Error(`secret ${arn} holds binary data, not a password`);
    return passwordOf(secretString);
  };
}
