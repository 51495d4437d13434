import {
  DEFAULT_ATTACH_MAX_BYTES,
  DEFAULT_LINK_LIFETIME_DAYS,
  type KubelineConfig,
} from '../config/schema.js';
import type { Notifier } from '../engine/ports.js';
import type { EmailSettings } from './email.js';
import { sesNotifier } from './ses.js';
import { smtpNotifier } from './smtp.js';

const SECONDS_PER_DAY = 86_400;

/** `notify.email` and `output.linkLifetimeDays` with their defaults, as the notifiers read them. */
export function emailSettingsFrom(config: KubelineConfig): EmailSettings | undefined {
  const email = config.notify?.email;
  if (email === undefined) return undefined;
  return {
    from: email.from,
    to: email.to ?? [],
    subjectPrefix: email.subjectPrefix ?? 'kubeline',
    attachMaxBytes: email.attachMaxBytes ?? DEFAULT_ATTACH_MAX_BYTES,
    linkLifetimeSeconds: (config.output?.linkLifetimeDays ?? DEFAULT_LINK_LIFETIME_DAYS) * SECONDS_PER_DAY,
    ...(email.owners
      ? {
          owners: {
            tag: email.owners.tag,
            addresses: Object.fromEntries(
              Object.entries(email.owners.addresses).map(([value, to]) => [
                value,
                typeof to === 'string' ? [to] : to,
              ]),
            ),
          },
        }
      : {}),
  };
}

/**
 * The notifiers of `notify.email`: SMTP or SES, or none without it. Builds no client and reads no
 * credential: that happens when a run is notified, so `--no-notify` needs neither.
 */
export function notifiersFrom(
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>>,
): Notifier[] {
  const email = config.notify?.email;
  const settings = emailSettingsFrom(config);
  if (email === undefined || settings === undefined) return [];
  if (email.transport === 'ses') return [sesNotifier({ email: settings, ses: email.ses ?? {}, env })];
  // The schema requires smtp settings with transport smtp.
  if (email.smtp === undefined) return [];
  return [smtpNotifier({ email: settings, smtp: email.smtp, env })];
}
