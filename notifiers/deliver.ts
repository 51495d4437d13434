import type { SendMailOptions } from 'nodemailer';
import type { NotificationFailure, NotificationResult, Notifier, PublishedRun } from '../engine/ports.js';
import { composeRunEmails, type EmailMessage, type EmailSettings, oneLine } from './email.js';

/** What the notifiers need of a nodemailer transporter. */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close(): void;
}

/** A transport ready to send, and the secret values no failure reason may repeat. */
export interface OpenedTransport {
  readonly transport: MailTransport;
  readonly secrets: readonly string[];
}

/** How a notifier gets its transport: reading credentials and CA files happens here, once per run. */
export type TransportOpener = () => Promise<OpenedTransport>;

const REDACTED = '[redacted]';
const MIN_REDACTED_LENGTH = 4;

/** An error as one line for the manifest and stderr: its code when it has one, never a secret. */
export function failureReason(error: unknown, secrets: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
  const name = error instanceof Error && error.name !== 'Error' ? error.name : '';
  // An AWS SDK error's name (MessageRejected) says more than the code nodemailer tags it with (ESES).
  const label = name || code;
  let reason = oneLine(label && !message.startsWith(label) ? `${label}: ${message}` : message).trim();
  // A secret of a few characters would match inside ordinary words of the message; real passwords are longer.
  for (const secret of secrets.filter((value) => value.length >= MIN_REDACTED_LENGTH)) {
    reason = reason.split(secret).join(REDACTED);
  }
  return reason || 'unknown error';
}

/** Headers that tell mail servers and people that no one wrote this by hand (RFC 3834). */
function mailOptions(message: EmailMessage, runId: string, extra: Partial<SendMailOptions>): SendMailOptions {
  return {
    from: message.from,
    to: [...message.to],
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: message.attachments.map((attachment) => ({ ...attachment })),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Kubeline-Run': runId },
    ...extra,
  };
}

function failuresFor(
  notifier: string,
  recipients: readonly (readonly string[])[],
  reason: string,
): NotificationFailure[] {
  return recipients.map((to) => ({ notifier, recipients: [...to], reason }));
}

/** Everyone the settings would email, one group per message, for failures before messages exist. */
function configuredRecipients(settings: EmailSettings): string[][] {
  const owners = Object.values(settings.owners?.addresses ?? {}).flat();
  return [[...settings.to], ...(owners.length > 0 ? [[...new Set(owners)].sort()] : [])].filter(
    (group) => group.length > 0,
  );
}

/** The parts every email notifier shares: how it names itself, what it sends, and how. */
export interface EmailNotifierParts {
  readonly name: string;
  readonly settings: EmailSettings;
  readonly open: TransportOpener;
  /** Transport-specific fields of each message (SES configuration set). */
  readonly extra?: Partial<SendMailOptions>;
}

/**
 * An email notifier: composes the run's messages, opens the transport, sends each message and
 * turns every failure into a result with its recipients and a one-line reason. Never throws.
 */
export function emailNotifier(parts: EmailNotifierParts): Notifier {
  const { name, settings, open } = parts;
  return {
    name,
    async notify(run: PublishedRun): Promise<NotificationResult> {
      let messages: EmailMessage[];
      try {
        messages = await composeRunEmails(run, settings);
      } catch (error) {
        const reason = `cannot compose the email: ${failureReason(error)}`;
        return {
          notifier: name,
          delivered: 0,
          failures: failuresFor(name, configuredRecipients(settings), reason),
        };
      }
      if (messages.length === 0) return { notifier: name, delivered: 0, failures: [] };
      let opened: OpenedTransport;
      try {
        opened = await open();
      } catch (error) {
        const reason = failureReason(error);
        const recipients = messages.map((message) => message.to);
        return { notifier: name, delivered: 0, failures: failuresFor(name, recipients, reason) };
      }
      try {
        return await sendEach(name, opened, messages, mailOptionsFor(run.model.run.id, parts.extra ?? {}));
      } finally {
        opened.transport.close();
      }
    },
  };
}

function mailOptionsFor(runId: string, extra: Partial<SendMailOptions>) {
  return (message: EmailMessage) => mailOptions(message, runId, extra);
}

async function sendEach(
  name: string,
  { transport, secrets }: OpenedTransport,
  messages: readonly EmailMessage[],
  toMail: (message: EmailMessage) => SendMailOptions,
): Promise<NotificationResult> {
  let delivered = 0;
  const failures: NotificationFailure[] = [];
  // One message at a time: a relay that refuses the first (authentication, a down server) refuses
  // them all, and the failures should not arrive as a burst of parallel connections.
  for (const message of messages) {
    try {
      await transport.sendMail(toMail(message));
      delivered += 1;
    } catch (error) {
      failures.push({ notifier: name, recipients: [...message.to], reason: failureReason(error, secrets) });
    }
  }
  return { notifier: name, delivered, failures };
}
