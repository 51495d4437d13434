import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { opensslCertificateAuthority, opensslSignedCertificate } from '../azure/tls.js';

/** A client certificate user of the Kubernetes API peer, as a kubeconfig names its credentials. */
export interface KubeClientCertificate {
  /** The user the API server sees: the certificate's CN. */
  readonly user: string;
  /** The groups the API server sees: the certificate's O values. */
  readonly groups: readonly string[];
  /** `client-certificate-data`: base64 of the PEM certificate. */
  readonly certData: string;
  /** `client-key-data`: base64 of the PEM private key. */
  readonly keyData: string;
}

/** The CA the peer trusts for client certificates (the API server's `--client-ca-file`) and one user it signed. */
export interface KubeClientAuthority {
  /** PEM of the client CA, given to the HTTPS server as `ca`. */
  readonly ca: string;
  readonly client: KubeClientCertificate;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * Makes a throwaway client CA and one client certificate with the machine's openssl, as a
 * kube-apiserver's client CA would sign it: CN is the user, each O a group. Kept apart from the
 * serving CA (test/peers/azure/tls.ts) because a real API server trusts a separate client CA too.
 */
export async function generateClientAuthority(
  user: string,
  groups: readonly string[],
): Promise<KubeClientAuthority> {
  const folder = await mkdtemp(path.join(tmpdir(), 'kubeline-kube-peer-client-'));
  const file = (name: string) => path.join(folder, name);
  const subject = `/CN=${user}${groups.map((group) => `/O=${group}`).join('')}`;
  try {
    await opensslCertificateAuthority(file, 'client-ca', 'kubeline test client CA');
    await opensslSignedCertificate(file, 'client', subject, 'client-ca', 'extendedKeyUsage=clientAuth\n');
    const [ca, cert, key] = await Promise.all(
      ['client-ca.crt', 'client.crt', 'client.key'].map((name) => readFile(file(name), 'utf8')),
    );
    return {
      ca: ca ?? '',
      client: { user, groups, certData: base64(cert ?? ''), keyData: base64(key ?? '') },
    };
  } catch (error) {
    throw new Error(`cannot generate the Kubernetes peer's client certificate for ${user} with openssl`, {
      cause: error,
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
