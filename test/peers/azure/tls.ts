import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate authority and a server certificate it signed, made for one peer run. */
export interface PeerTls {
  /** PEM of the CA: what clients trust, through `tlsOptions.ca` or `targets.tls.caFile`. */
  readonly ca: string;
  /** The CA written to a file, for configs that name it (`targets.tls.caFile`). */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  /** Deletes the files. */
  remove(): Promise<void>;
}

/** Paths in one scratch folder of certificate files. */
type FileIn = (name: string) => string;

/** A self-signed CA (`<name>.key`, `<name>.crt`) valid two days: enough for one test run. */
export async function opensslCertificateAuthority(
  file: FileIn,
  name: string,
  commonName: string,
): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/**
 * A key and certificate (`<name>.key`, `<name>.crt`) for `subject`, signed by the CA `<ca>.key`
 * and `<ca>.crt` with the extensions given (subjectAltName, extendedKeyUsage).
 */
export async function opensslSignedCertificate(
  file: FileIn,
  name: string,
  subject: string,
  ca: string,
  extensions: string,
): Promise<void> {
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
    '-subj',
    subject,
  ]);
  await writeFile(file(`${name}.cnf`), extensions, 'utf8');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file(`${ca}.crt`),
    '-CAkey',
    file(`${ca}.key`),
    '-CAcreateserial',
    '-out',
    file(`${name}.crt`),
    '-days',
    '2',
    '-extfile',
    file(`${name}.cnf`),
  ]);
}

/**
 * Generates a throwaway CA and a server certificate for localhost / 127.0.0.1 / ::1 with the
 * machine's openssl (node:crypto can make keys but not sign X.509 certificates). Nothing is
 * committed and verification is never switched off: clients trust exactly this CA.
 */
export async function generatePeerTls(): Promise<PeerTls> {
  const folder = await mkdtemp(path.join(tmpdir(), 'kubeline-arm-peer-tls-'));
  const file = (name: string) => path.join(folder, name);
  try {
    await opensslCertificateAuthority(file, 'ca', 'kubeline test CA');
    await opensslSignedCertificate(
      file,
      'server',
      '/CN=localhost',
      'ca',
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n',
    );
    const [ca, key, cert] = await Promise.all(
      ['ca.crt', 'server.key', 'server.crt'].map((name) => readFile(file(name), 'utf8')),
    );
    return {
      ca: ca ?? '',
      caFile: file('ca.crt'),
      key: key ?? '',
      cert: cert ?? '',
      remove: () => rm(folder, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new Error('cannot generate the ARM peer certificates with openssl', { cause: error });
  }
}
