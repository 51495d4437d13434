import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import type { Notifier } from '../engine/ports.js';
import { awsClientOptions, regionFromEnv } from './aws.js';
import { emailNotifier, type OpenedTransport } from './deliver.js';
import type { EmailSettings } from './email.js';

/** `notify.email.ses`, as validated. */
export interface SesSettings {
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  readonly region?: string | undefined;
  readonly configurationSet?: string | undefined;
}

export interface SesNotifierOptions {
  readonly email: EmailSettings;
  readonly ses: SesSettings;
  /** `AWS_REGION`, `AWS_ENDPOINT_URL` and the SDK's own credential variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Emails a run's summary through Amazon SES v2. nodemailer's SES transport builds the MIME
 * message (the same one SMTP sends: both parts, the attachment) and sends it as Raw content with
 * `SendEmail`, so both transports deliver byte-for-byte the same kind of message.
 */
export function sesNotifier(options: SesNotifierOptions): Notifier {
  const region = options.ses.region ?? regionFromEnv(options.env);
  const configurationSet = options.ses.configurationSet;
  return emailNotifier({
    name: `ses ${region ?? '(no region)'}`,
    settings: options.email,
    open: async (): Promise<OpenedTransport> => {
      if (region === undefined) {
        throw new Error('no AWS region for SES: set notify.email.ses.region or AWS_REGION');
      }
      const sesClient = new SESv2Client(awsClientOptions(region, options.env));
      const mailer = nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } });
      return {
        transport: {
          sendMail: (message) => mailer.sendMail(message),
          close: () => {
            mailer.close();
            sesClient.destroy();
          },
        },
        secrets: [],
      };
    },
    ...(configurationSet ? { extra: { ses: { ConfigurationSetName: configurationSet } } } : {}),
  });
}
