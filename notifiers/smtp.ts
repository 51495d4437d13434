import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import nodemailer, { type SMTPTransportOptions } from 'nodemailer';
import type { Notifier } from '../engine/ports.js';
import { isLoopbackHost } from '../providers/endpoint.js';
import { emailNotifier, type OpenedTransport } from './deliver.js';
import type { EmailSettings } from './email.js';
import { type SecretReader, secretsManagerReader } from './secrets.js';

/** `notify.email.smtp`, as validated. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** `tls`: implicit TLS (465); `starttls`: the upgrade is required (587); `none`: loopback only. */
  readonly secure: 'tls' | 'starttls' | 'none';
  readonly userEnv?: string | undefined;
  readonly passwordEnv?: string | undefined;
  readonly passwordSecret?: string | undefined;
  readonly caFile?: string | undefined;
}

/** Limits of one SMTP session, in milliseconds. nodemailer's own defaults wait up to 10 minutes. */
export interface SmtpTimeouts {
  readonly connectionMs: number;
  readonly greetingMs: number;
  /** Inactivity on an open connection. */
  readonly socketMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionMs: 10_000,
  greetingMs: 10_000,
  socketMs: 60_000,
};

export interface SmtpNotifierOptions {
  readonly email: EmailSettings;
  readonly smtp: SmtpSettings;
  /** Where `userEnv` and `passwordEnv` are read, and `AWS_ENDPOINT_URL` for the secret. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads `passwordSecret`; default: AWS Secrets Manager. */
  readonly readSecret?: SecretReader;
  readonly timeouts?: SmtpTimeouts;
}

function fromEnv(env: SmtpNotifierOptions['env'], variable: string, what: string): string {
  const value = env[variable];
  if (value === undefined || value === '')
    throw new Error(`${what}: environment variable ${variable} is not set`);
  return value;
}

/** The user and password, when the relay needs them; read at send time, never kept. */
async function credentials(
  options: SmtpNotifierOptions,
): Promise<{ user: string; pass: string } | undefined> {
  const { smtp, env } = options;
  if (smtp.userEnv === undefined) return undefined;
  const user = fromEnv(env, smtp.userEnv, 'SMTP user');
  if (smtp.passwordSecret !== undefined) {
    const read = options.readSecret ?? secretsManagerReader(env);
    return { user, pass: await read(smtp.passwordSecret) };
  }
  if (smtp.passwordEnv === undefined) throw new Error('SMTP user given without a password source');
  return { user, pass: fromEnv(env, smtp.passwordEnv, 'SMTP password') };
}

/** The public CAs plus `caFile`: a private relay's CA is trusted besides, not instead of, the usual ones. */
async function trustedCas(caFile: string | undefined): Promise<string[] | undefined> {
  if (caFile === undefined) return undefined;
  try {
    return [...rootCertificates, await readFile(caFile, 'utf8')];
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`notify.email.smtp.caFile ${caFile}: cannot read (${why})`, { cause: error });
  }
}

function transportOptions(
  smtp: SmtpSettings,
  timeouts: SmtpTimeouts,
  auth: { user: string; pass: string } | undefined,
  ca: string[] | undefined,
): SMTPTransportOptions {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure === 'tls',
    requireTLS: smtp.secure === 'starttls',
    ignoreTLS: smtp.secure === 'none',
    tls: { minVersion: 'TLSv1.2', ...(ca ? { ca } : {}) },
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    // Each message is its own SMTP transaction; a run sends few, so no pool stays open after it.
    pool: false,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(auth ? { auth } : {}),
  };
}

/** Emails a run's summary through an SMTP relay (nodemailer), over TLS or STARTTLS. */
export function smtpNotifier(options: SmtpNotifierOptions): Notifier {
  const { smtp } = options;
  const timeouts = options.timeouts ?? DEFAULT_SMTP_TIMEOUTS;
  return emailNotifier({
    name: `smtp ${smtp.host}:${smtp.port}`,
    settings: options.email,
    open: async (): Promise<OpenedTransport> => {
      // The schema refuses this already; a configuration built in code gets the same protection.
      if (smtp.secure === 'none' && !isLoopbackHost(smtp.host)) {
        throw new Error(`secure: none is only for a loopback host, not ${smtp.host}: use tls or starttls`);
      }
      const [auth, ca] = await Promise.all([credentials(options), trustedCas(smtp.caFile)]);
      const transport = nodemailer.createTransport(transportOptions(smtp, timeouts, auth, ca));
      return { transport, secrets: auth ? [auth.pass] : [] };
    },
  });
}
