import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { parse, YAMLError } from 'yaml';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { CaSource } from '../kubernetes/access.js';
import type { AzureClientFactory } from './clients.js';
import { describeArmError } from './errors.js';
import { parseAksResourceId } from './normalise.js';
import { AKS_USER_CREDENTIAL_ACTION } from './permissions.js';

/*
 * AKS does not put the API server's CA in the cluster description; it is only in the kubeconfig
 * listClusterUserCredential returns. That kubeconfig may hold a credential: a kubelogin exec user
 * on managed Entra ID clusters, but a bearer token or a client key on clusters with local
 * accounts. Only the CA and the server are taken from it; the rest is never returned, logged or
 * quoted in an error, and the bytes ARM sent are overwritten once read.
 */

/** What kubeline keeps of a kubeconfig's cluster entry. */
export interface KubeconfigCluster {
  /** `clusters[].cluster.server`. */
  readonly server: string;
  /** `clusters[].cluster.certificate-authority-data`: base64 PEM, whitespace removed. */
  readonly caData: string;
}

/** A kubeconfig of CredentialResults, as the SDK deserialises it. */
export interface CredentialKubeconfig {
  readonly name?: string;
  readonly value?: Uint8Array;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

function objectAt(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

/**
 * Where the YAML parser stopped, without its message: the message quotes the lines around the
 * fault, which may be the token line.
 */
function yamlFault(error: unknown): string {
  if (!(error instanceof YAMLError)) return 'it could not be parsed';
  const at = error.linePos?.[0];
  return `${error.code}${at ? ` at line ${at.line}, column ${at.col}` : ''}`;
}

function parseKubeconfig(text: string, where: string): unknown {
  try {
    // Pretty errors give the line and column; their message, which quotes the text, is not used,
    // and no cause is kept, since the error carries the source text.
    return parse(text, { maxAliasCount: 10 });
  } catch (error) {
    throw new Error(`${where} is not YAML (${yamlFault(error)})`);
  }
}

/** The base64 PEM of `certificate-authority-data`, or undefined when it is not one. */
function caDataOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+=*$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8').includes(PEM_CERTIFICATE) ? compact : undefined;
}

/**
 * The cluster entries of a kubeconfig with an https server and a CA. Users and contexts are not
 * read; nothing of the text appears in an error but the position of a fault.
 */
export function clustersOfKubeconfig(text: string, where = 'the kubeconfig'): KubeconfigCluster[] {
  const document = objectAt(parseKubeconfig(text, where));
  if (document === undefined) throw new Error(`${where} is not a YAML mapping`);
  const clusters = document.clusters;
  if (!Array.isArray(clusters)) throw new Error(`${where} has no clusters list`);
  const found: KubeconfigCluster[] = [];
  clusters.forEach((entry: unknown, index) => {
    const cluster = objectAt(objectAt(entry)?.cluster);
    const server = cluster?.server;
    const caData = caDataOf(cluster?.['certificate-authority-data']);
    if (typeof server !== 'string' || !server.startsWith('https://')) {
      throw new Error(`${where}: clusters[${index}] has no https server`);
    }
    if (caData === undefined) {
      throw new Error(
        `${where}: clusters[${index}] has no certificate-authority-data holding a PEM certificate`,
      );
    }
    found.push({ server, caData });
  });
  if (found.length === 0) throw new Error(`${where} lists no cluster`);
  return found;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The cluster entry for the API server at `server`, from the kubeconfigs of a
 * listClusterUserCredential answer; the first entry when none names that server (a private
 * cluster's kubeconfig may name its other FQDN, whose certificate the same cluster CA signs).
 * Each kubeconfig's bytes are zeroed once decoded.
 */
export function clusterOfCredentials(
  kubeconfigs: readonly CredentialKubeconfig[],
  server: string | undefined,
): KubeconfigCluster {
  const texts = kubeconfigs.map(({ value: bytes }) => {
    if (bytes === undefined) return undefined;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    bytes.fill(0);
    return text;
  });
  const clusters = texts.flatMap((text, index) =>
    text === undefined ? [] : clustersOfKubeconfig(text, `kubeconfigs[${index}]`),
  );
  const wanted = server === undefined ? undefined : originOf(server);
  const chosen = clusters.find((cluster) => originOf(cluster.server) === wanted) ?? clusters[0];
  if (chosen === undefined) throw new Error('the answer holds no kubeconfig');
  return chosen;
}

/** Why the user credential could not be read, naming the action when ARM refused it. */
function credentialError(posture: ClusterPosture, error: unknown): Error {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const failed = typeof status === 'number' && status >= 400;
  if (!failed) {
    // A 2xx answer the SDK could not read: its error holds the body, which may hold a credential.
    return new Error(`listClusterUserCredential of ${posture.name} sent an answer that could not be read`);
  }
  const described = describeArmError(error);
  const reason = `listClusterUserCredential of ${posture.name} failed: ${described.name}: ${described.message}`;
  if (status !== 401 && status !== 403) return new Error(reason, { cause: described });
  return new Error(
    `${reason}; kubeline's Azure identity needs ${AKS_USER_CREDENTIAL_ACTION} (infra/azure/kubeline-aks-reader.role.json) to read the API server's CA, or name a kubeconfig context for ${posture.name} in inCluster.kubeconfig.contexts`,
    { cause: described },
  );
}

/**
 * The CA source of AKS clusters for the in-cluster pass: listClusterUserCredential through the
 * AKS SDK, with the factory's credential, endpoint, CA and time limits.
 */
export function aksCaSource(factory: AzureClientFactory): CaSource {
  const clients = new Map<string, ContainerServiceClient>();
  const clientFor = (subscriptionId: string): ContainerServiceClient => {
    const key = subscriptionId.toLowerCase();
    const existing = clients.get(key);
    if (existing) return existing;
    const made = factory.forSubscription(subscriptionId).containerService;
    clients.set(key, made);
    return made;
  };
  return async (posture) => {
    const id = parseAksResourceId(posture.id);
    if (id === undefined) {
      throw new Error(`${posture.name} has no managed cluster resource id to ask its user credential of`);
    }
    let answer: Awaited<ReturnType<ContainerServiceClient['managedClusters']['listClusterUserCredentials']>>;
    try {
      answer = await clientFor(id.subscriptionId).managedClusters.listClusterUserCredentials(
        id.resourceGroup,
        id.clusterName,
      );
    } catch (error) {
      throw credentialError(posture, error);
    }
    const server = isUnknown(posture.apiServer) ? undefined : posture.apiServer.value.url;
    try {
      return clusterOfCredentials(answer.kubeconfigs ?? [], server).caData;
    } catch (error) {
      // The messages above quote nothing of the kubeconfig, so they can be kept; the cause cannot.
      const reason = error instanceof Error ? error.message : 'it could not be read';
      throw new Error(`the user kubeconfig of ${posture.name} gives no CA: ${reason}`);
    }
  };
}
