import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message the peer accepted, parsed back. */
export interface ReceivedMail {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** The session ran over TLS (implicit or after STARTTLS). */
  readonly secure: boolean;
  /** The authenticated user, when the client logged in. */
  readonly user: string | undefined;
  readonly parsed: ParsedMail;
}

export interface SmtpPeerOptions {
  /** Key and certificate: with `implicitTls` the whole session is TLS, else STARTTLS is offered. */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly implicitTls?: boolean;
  /** Users the peer accepts; without, authentication is not offered. */
  readonly users?: Readonly<Record<string, string>>;
  /** Methods offered with `users`; default PLAIN and LOGIN. */
  readonly authMethods?: readonly string[];
}

/** An in-process SMTP server on 127.0.0.1 and a port chosen at run time, keeping what it receives. */
export interface SmtpPeer {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Failed logins, with the user name tried. */
  readonly failedLogins: string[];
  stop(): Promise<void>;
}

function addressesOf(entries: readonly { address: string }[]): string[] {
  return entries.map((entry) => entry.address);
}

export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const failedLogins: string[] = [];
  const users = options.users;
  const serverOptions: SMTPServerOptions = {
    logger: false,
    disableReverseLookup: true,
    secure: options.implicitTls === true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { disabledCommands: ['STARTTLS'] }),
    ...(users
      ? {
          authMethods: [...(options.authMethods ?? ['PLAIN', 'LOGIN'])],
          // Only over TLS unless the test runs plain on purpose.
          allowInsecureAuth: options.tls === undefined,
          onAuth(auth, _session, callback) {
            if (auth.username !== undefined && users[auth.username] === auth.password) {
              callback(null, { user: auth.username });
              return;
            }
            failedLogins.push(auth.username ?? '');
            callback(new Error('Invalid username or password'));
          },
        }
      : { authOptional: true }),
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({
            mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            rcptTo: addressesOf(session.envelope.rcptTo),
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
            parsed,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    failedLogins,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
