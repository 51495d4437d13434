import { parse as parseYaml } from 'yaml';
import type {
  AwsAuthMapping,
  ClusterRoleFacts,
  DaemonSetFacts,
  InClusterPosture,
  InClusterRaw,
  InClusterResource,
  KubeletFacts,
  NamespaceFacts,
  NetworkPolicyFacts,
  RbacBinding,
  RbacRule,
  RbacSubject,
} from '../../model/inCluster.js';
import type { Observed, SourceField } from '../../model/observed.js';
import { known, unknown } from '../../model/observed.js';
import type { ApiServerAddress, Provider } from '../../model/posture.js';
import {
  child,
  descend,
  describeValue,
  isAbsent,
  isRawObject,
  quoted,
  type RawNode,
  type Read,
  readArray,
  readBoolean,
  readObject,
  readString,
  readStringArray,
  rootNode,
  sourceOf,
} from '../reader.js';

/** `inCluster` of a posture when the configuration did not ask for the in-cluster pass. */
export const IN_CLUSTER_OFF = 'the in-cluster pass is off (inCluster.enabled in the configuration)';

/** The node label each provider sets to the node's pool, node group or agent pool. */
export const NODE_POOL_LABELS: Readonly<Record<Provider, string>> = {
  eks: 'eks.amazonaws.com/nodegroup',
  gke: 'cloud.google.com/gke-nodepool',
  aks: 'kubernetes.azure.com/agentpool',
};

const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Error texts from an export are user input: long ones are cut so a report stays readable. */
const MAX_ERROR_LENGTH = 300;

/** What parsing one list item gave: the facts, or why the item (and so the whole list) is unusable. */
type Parsed<T> = { readonly facts: T } | Invalid;
type Invalid = { readonly invalid: string; readonly source: SourceField };

function invalidAt(node: RawNode, expected: string): Invalid {
  const found = isAbsent(node.value) ? 'absent' : `is ${describeValue(node.value)}`;
  return { invalid: `${node.path} ${found}, expected ${expected}`, source: sourceOf(node) };
}

function invalidRead(read: { readonly reason: string; readonly source: SourceField }): Invalid {
  return { invalid: read.reason, source: read.source };
}

/**
 * Maps what the in-cluster pass read (Kubernetes JSON) to the in-cluster facts. Pure and total: a
 * resource that was not read, or whose shape is wrong, is unknown with the reason, on its own, so
 * the other resources still decide their checks. One malformed item makes its whole list unknown:
 * dropping it could hide the very binding a check looks for.
 */
export function normaliseInCluster(
  raw: InClusterRaw,
  context: { readonly provider: Provider },
): InClusterPosture {
  const nodes = listOf(raw, 'nodes', parseNode);
  return {
    clusterRoleBindings: listOf(raw, 'clusterrolebindings', (item) =>
      parseBinding(item, 'ClusterRoleBinding'),
    ),
    roleBindings: listOf(raw, 'rolebindings', (item) => parseBinding(item, 'RoleBinding')),
    clusterRoles: listOf(raw, 'clusterroles', parseClusterRole),
    awsAuth: awsAuth(raw, context.provider),
    namespaces: listOf(raw, 'namespaces', parseNamespace),
    networkPolicies: listOf(raw, 'networkpolicies', parseNetworkPolicy),
    nodeCount: 'value' in nodes ? known(nodes.value.length, ...nodes.from) : nodes,
    kubelets: kubelets(raw, 'value' in nodes ? nodes.value : undefined, context.provider),
    daemonSets: listOf(raw, 'daemonsets', parseDaemonSet),
  };
}

/** Why a resource was not read: the collector's error, or its absence from the bundle. */
function notRead(raw: InClusterRaw, resource: InClusterResource): string | undefined {
  const error = ownField(ownField(raw, 'errors'), resource);
  if (typeof error === 'string') {
    const text = error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH)}…` : error;
    return `${resource} could not be read from the API server: ${text}`;
  }
  return isAbsent(resourceValue(raw, resource)) && resource !== 'awsAuth'
    ? `${resource} absent from the in-cluster read`
    : undefined;
}

function resourceValue(raw: InClusterRaw, resource: InClusterResource): unknown {
  return ownField(raw, resource);
}

/** An own field of what may not even be an object: the bundle comes from a file as often as from the collector. */
function ownField(container: unknown, key: string): unknown {
  return isRawObject(container) && Object.hasOwn(container, key) ? container[key] : undefined;
}

type ListResource = Exclude<InClusterResource, 'awsAuth' | 'configz'>;

/** A List object's items, each parsed; the list's resourceVersion is the evidence of what was read. */
function listOf<T>(
  raw: InClusterRaw,
  resource: ListResource,
  parse: (item: RawNode) => Parsed<T>,
): Observed<readonly T[]> {
  const reason = notRead(raw, resource);
  if (reason !== undefined) return unknown(reason);
  const list = rootNode(resourceValue(raw, resource), resource);
  if (!isRawObject(list.value))
    return unknown(invalidAt(list, 'a Kubernetes List object').invalid, sourceOf(list));
  const items = readArray(child(list, 'items'));
  if (items.kind === 'invalid') return unknown(items.reason, items.source);
  if (items.kind === 'absent') {
    return unknown(`${resource}.items absent: not a Kubernetes List object`, items.source);
  }
  const facts: T[] = [];
  for (const [index, value] of items.value.entries()) {
    const parsed = parse({ value, path: `${resource}.items[${index}]` });
    if ('invalid' in parsed) return unknown(parsed.invalid, parsed.source);
    facts.push(parsed.facts);
  }
  return known(facts, sourceOf(descend(list, 'metadata', 'resourceVersion')));
}

interface Identity {
  readonly name: string;
  /** Set for namespaced items only. */
  readonly namespace?: string;
  /** The item, its path relabelled by name (`clusterrolebindings[name=x]`) for evidence. */
  readonly node: RawNode;
}

interface NamespacedIdentity extends Identity {
  readonly namespace: string;
}

/** A name-like string that must be present and non-empty. */
function requiredText(node: RawNode, expected: string): { readonly text: string } | Invalid {
  const read = readString(node);
  if (read.kind === 'invalid') return invalidRead(read);
  return read.kind === 'value' && read.value !== '' ? { text: read.value } : invalidAt(node, expected);
}

/** `clusterrolebindings` from `clusterrolebindings.items[3]`. */
function listPath(item: RawNode): string {
  return item.path.slice(0, item.path.indexOf('.items['));
}

function identify(item: RawNode): Identity | Invalid {
  if (!isRawObject(item.value)) return invalidAt(item, 'an object');
  const name = requiredText(descend(item, 'metadata', 'name'), 'a name');
  if ('invalid' in name) return name;
  return { name: name.text, node: { value: item.value, path: `${listPath(item)}[name=${name.text}]` } };
}

function identifyNamespaced(item: RawNode): NamespacedIdentity | Invalid {
  const id = identify(item);
  if ('invalid' in id) return id;
  const namespace = requiredText(descend(item, 'metadata', 'namespace'), 'a namespace');
  if ('invalid' in namespace) return namespace;
  return {
    name: id.name,
    namespace: namespace.text,
    node: { value: item.value, path: `${listPath(item)}[name=${namespace.text}/${id.name}]` },
  };
}

const SUBJECT_KINDS: readonly RbacSubject['kind'][] = ['User', 'Group', 'ServiceAccount'];

function parseBinding(item: RawNode, kind: RbacBinding['kind']): Parsed<RbacBinding> {
  const id = kind === 'RoleBinding' ? identifyNamespaced(item) : identify(item);
  if ('invalid' in id) return id;
  const roleKind = readString(descend(id.node, 'roleRef', 'kind'));
  if (roleKind.kind !== 'value' || (roleKind.value !== 'ClusterRole' && roleKind.value !== 'Role')) {
    return invalidAt(descend(id.node, 'roleRef', 'kind'), '"ClusterRole" or "Role"');
  }
  const roleName = requiredText(descend(id.node, 'roleRef', 'name'), 'a role name');
  if ('invalid' in roleName) return roleName;
  const { namespace } = id;
  const subjects = parseSubjects(child(id.node, 'subjects'), namespace);
  if ('invalid' in subjects) return subjects;
  return {
    facts: {
      kind,
      name: id.name,
      ...(namespace === undefined ? {} : { namespace }),
      roleRef: { kind: roleKind.value, name: roleName.text },
      subjects: subjects.facts,
    },
  };
}

/** `subjects` is optional in rbac/v1: a binding without it grants nothing. */
function parseSubjects(node: RawNode, bindingNamespace: string | undefined): Parsed<readonly RbacSubject[]> {
  const list = readArray(node);
  if (list.kind === 'invalid') return invalidRead(list);
  if (list.kind === 'absent') return { facts: [] };
  const subjects: RbacSubject[] = [];
  for (const [index, value] of list.value.entries()) {
    const subject = parseSubject({ value, path: `${node.path}[${index}]` }, bindingNamespace);
    if (!('facts' in subject)) return subject;
    subjects.push(subject.facts);
  }
  return { facts: subjects };
}

function parseSubject(node: RawNode, bindingNamespace: string | undefined): Parsed<RbacSubject> {
  if (!isRawObject(node.value)) return invalidAt(node, 'an object');
  const kindNode = child(node, 'kind');
  const kind = SUBJECT_KINDS.find((subjectKind) => kindNode.value === subjectKind);
  if (kind === undefined) return invalidAt(kindNode, '"User", "Group" or "ServiceAccount"');
  const name = requiredText(child(node, 'name'), 'a subject name');
  if ('invalid' in name) return name;
  if (kind !== 'ServiceAccount') return { facts: { kind, name: name.text } };
  // In a RoleBinding a ServiceAccount subject without a namespace is the binding's own namespace;
  // a ClusterRoleBinding must name it.
  const namespaceNode = child(node, 'namespace');
  const namespace = isAbsent(namespaceNode.value) ? bindingNamespace : namespaceNode.value;
  if (typeof namespace !== 'string' || namespace === '') {
    return invalidAt(namespaceNode, 'the ServiceAccount namespace');
  }
  return { facts: { kind, name: name.text, namespace } };
}

function parseClusterRole(item: RawNode): Parsed<ClusterRoleFacts> {
  const id = identify(item);
  if ('invalid' in id) return id;
  const rulesNode = child(id.node, 'rules');
  const list = readArray(rulesNode);
  if (list.kind === 'invalid') return invalidRead(list);
  const rules: RbacRule[] = [];
  for (const [index, value] of valuesOf(list).entries()) {
    const rule = parseRule({ value, path: `${rulesNode.path}[${index}]` });
    if ('invalid' in rule) return rule;
    rules.push(rule.facts);
  }
  return { facts: { name: id.name, rules } };
}

function parseRule(node: RawNode): Parsed<RbacRule> {
  if (!isRawObject(node.value)) return invalidAt(node, 'an object');
  const verbs = readStringArray(child(node, 'verbs'));
  const apiGroups = readStringArray(child(node, 'apiGroups'));
  const resources = readStringArray(child(node, 'resources'));
  const nonResourceURLs = readStringArray(child(node, 'nonResourceURLs'));
  for (const read of [verbs, apiGroups, resources, nonResourceURLs]) {
    if (read.kind === 'invalid') return invalidRead(read);
  }
  return {
    facts: {
      verbs: valuesOf(verbs),
      apiGroups: valuesOf(apiGroups),
      resources: valuesOf(resources),
      nonResourceURLs: valuesOf(nonResourceURLs),
    },
  };
}

/** An optional list: absent is empty. */
function valuesOf<T>(read: Read<readonly T[]>): readonly T[] {
  return read.kind === 'value' ? read.value : [];
}

/** A label of a user map, by its exact key: label keys are case-sensitive, unlike API field names. */

function parseNamespace(item: RawNode): Parsed<NamespaceFacts> {
  const id = identify(item);
  if ('invalid' in id) return id;
  const labels = descend(id.node, 'metadata', 'labels');
  const enforce = ownField(labels.value, POD_SECURITY_ENFORCE_LABEL);
  if (!isAbsent(enforce) && typeof enforce !== 'string') {
    return invalidAt({ value: enforce, path: `${labels.path}.${POD_SECURITY_ENFORCE_LABEL}` }, 'a string');
  }
  return { facts: { name: id.name, podSecurityEnforce: typeof enforce === 'string' ? enforce : null } };
}

function parseNetworkPolicy(item: RawNode): Parsed<NetworkPolicyFacts> {
  const id = identifyNamespaced(item);
  if ('invalid' in id) return id;
  return { facts: { namespace: id.namespace, name: id.name } };
}

interface NodeFacts {
  readonly name: string;
  readonly labels: unknown;
}

function parseNode(item: RawNode): Parsed<NodeFacts> {
  const id = identify(item);
  if ('invalid' in id) return id;
  return { facts: { name: id.name, labels: descend(id.node, 'metadata', 'labels').value } };
}

function parseDaemonSet(item: RawNode): Parsed<DaemonSetFacts> {
  const id = identifyNamespaced(item);
  if ('invalid' in id) return id;
  const containersNode = descend(id.node, 'spec', 'template', 'spec', 'containers');
  const containers = readArray(containersNode);
  if (containers.kind === 'invalid') return invalidRead(containers);
  const images: string[] = [];
  for (const [index, value] of valuesOf(containers).entries()) {
    const image = readString(child({ value, path: `${containersNode.path}[${index}]` }, 'image'));
    if (image.kind === 'invalid') return invalidRead(image);
    if (image.kind === 'value') images.push(image.value);
  }
  const desired = count(descend(id.node, 'status', 'desiredNumberScheduled'));
  const ready = count(descend(id.node, 'status', 'numberReady'));
  if ('invalid' in desired) return desired;
  if ('invalid' in ready) return ready;
  return {
    facts: {
      namespace: id.namespace,
      name: id.name,
      images,
      desired: desired.facts,
      ready: ready.facts,
    },
  };
}

/** A DaemonSet status count: the API writes zero too, so absent (a status not yet written) is zero. */
function count(node: RawNode): Parsed<number> {
  if (node.broken) return { invalid: node.broken.reason, source: node.broken.source };
  if (isAbsent(node.value)) return { facts: 0 };
  return isCount(node.value) ? { facts: node.value } : invalidAt(node, 'a non-negative integer');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function awsAuth(raw: InClusterRaw, provider: Provider): Observed<readonly AwsAuthMapping[] | null> {
  if (provider !== 'eks')
    return unknown('kube-system/aws-auth is an EKS ConfigMap: read on EKS clusters only');
  const reason = notRead(raw, 'awsAuth');
  if (reason !== undefined) return unknown(reason);
  const value = resourceValue(raw, 'awsAuth');
  const configMap = rootNode(value, 'awsAuth');
  // null is the collector's record of a 404: clusters that use access entries only have no aws-auth.
  if (value === null) return known(null, sourceOf(configMap));
  if (value === undefined) return unknown('awsAuth absent from the in-cluster read');
  if (!isRawObject(value))
    return unknown(invalidAt(configMap, 'a ConfigMap or null').invalid, sourceOf(configMap));
  const roles = mappings(descend(configMap, 'data', 'mapRoles'), 'role');
  const users = mappings(descend(configMap, 'data', 'mapUsers'), 'user');
  if (!('facts' in roles)) return unknown(roles.invalid, roles.source);
  if (!('facts' in users)) return unknown(users.invalid, users.source);
  return known([...roles.facts, ...users.facts], roles.source, users.source);
}

/** `mapRoles` / `mapUsers`: a YAML list in a ConfigMap string value; absent means no mappings. */
function mappings(
  node: RawNode,
  kind: AwsAuthMapping['kind'],
): { readonly facts: readonly AwsAuthMapping[]; readonly source: SourceField } | Invalid {
  const read = readString(node);
  if (read.kind === 'invalid') return { invalid: read.reason, source: read.source };
  if (read.kind === 'absent') return { facts: [], source: read.source };
  let parsed: unknown;
  try {
    parsed = parseYaml(read.value);
  } catch {
    return { invalid: `${node.path} is not YAML`, source: read.source };
  }
  if (isAbsent(parsed)) return { facts: [], source: read.source };
  if (!Array.isArray(parsed)) return { invalid: `${node.path} is not a YAML list`, source: read.source };
  const facts: AwsAuthMapping[] = [];
  for (const [index, entry] of parsed.entries()) {
    const mapping = parseMapping({ value: entry, path: `${node.path}[${index}]` }, kind);
    if ('invalid' in mapping) return { invalid: mapping.invalid, source: read.source };
    facts.push(mapping.facts);
  }
  return { facts, source: read.source };
}

function parseMapping(node: RawNode, kind: AwsAuthMapping['kind']): Parsed<AwsAuthMapping> {
  if (!isRawObject(node.value)) return invalidAt(node, 'a mapping');
  const arn = requiredText(child(node, kind === 'role' ? 'rolearn' : 'userarn'), 'an ARN');
  if ('invalid' in arn) return arn;
  const username = readString(child(node, 'username'));
  if (username.kind === 'invalid') return invalidRead(username);
  const groups = readStringArray(child(node, 'groups'));
  if (groups.kind === 'invalid') return invalidRead(groups);
  return {
    facts: {
      kind,
      arn: arn.text,
      username: username.kind === 'value' ? username.value : null,
      groups: valuesOf(groups),
    },
  };
}

function kubelets(
  raw: InClusterRaw,
  nodes: readonly NodeFacts[] | undefined,
  provider: Provider,
): Observed<readonly KubeletFacts[]> {
  const reason = notRead(raw, 'configz');
  if (reason !== undefined) return unknown(reason);
  const bodies: unknown = resourceValue(raw, 'configz');
  if (!isRawObject(bodies)) {
    return unknown(invalidAt(rootNode(bodies, 'configz'), 'an object of configz bodies by node').invalid);
  }
  const poolOf = new Map(
    (nodes ?? []).map((node) => [node.name, ownField(node.labels, NODE_POOL_LABELS[provider])]),
  );
  return known(
    Object.keys(bodies).map((node) => {
      const pool = poolOf.get(node);
      return kubelet(node, typeof pool === 'string' ? pool : null, bodies[node]);
    }),
  );
}

/**
 * One node's kubelet from its `configz` body (`{"kubeletconfig": {...}}`, KubeletConfiguration
 * v1beta1 with defaults applied: https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/).
 */
function kubelet(node: string, pool: string | null, body: unknown): KubeletFacts {
  if (typeof body === 'string') {
    const failed = unknown(`configz of node ${node} could not be read: ${body.slice(0, MAX_ERROR_LENGTH)}`);
    return { node, pool, readOnlyPort: failed, anonymousAuth: failed, authorizationMode: failed };
  }
  const config = child(rootNode(body, `nodes[name=${node}].configz`), 'kubeletconfig');
  const shape = readObject(config);
  if (shape.kind !== 'value') {
    const reason =
      shape.kind === 'invalid'
        ? shape.reason
        : `${config.path} absent: the body is not a kubelet configz answer`;
    const failed = unknown(reason, shape.source);
    return { node, pool, readOnlyPort: failed, anonymousAuth: failed, authorizationMode: failed };
  }
  return {
    node,
    pool,
    readOnlyPort: readOnlyPort(child(config, 'readOnlyPort')),
    anonymousAuth: anonymousAuth(descend(config, 'authentication', 'anonymous', 'enabled')),
    authorizationMode: authorizationMode(descend(config, 'authorization', 'mode')),
  };
}

/** readOnlyPort is `omitempty` in v1beta1: a disabled port (0, the config file's default) is left out. */
function readOnlyPort(node: RawNode): Observed<number> {
  if (isAbsent(node.value)) return known(0, sourceOf(node));
  if (isCount(node.value) && node.value <= 65_535) return known(node.value, sourceOf(node));
  return unknown(invalidAt(node, 'a port number').invalid, sourceOf(node));
}

/*
 * The kubelet binary defaults to --anonymous-auth=true and --authorization-mode=AlwaysAllow; only a
 * KubeletConfiguration file defaults them to false and Webhook
 * (https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/,
 * https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/). configz serialises the
 * effective settings, so a body without them was not written from a config file: the binary's
 * defaults apply, and they never read as compliant.
 */

function anonymousAuth(node: RawNode): Observed<boolean> {
  const read = readBoolean(node);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  return known(read.kind === 'value' ? read.value : true, read.source);
}

function authorizationMode(node: RawNode): Observed<string> {
  const read = readString(node);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  if (read.kind === 'absent' || read.value === '') return known('AlwaysAllow', read.source);
  return known(read.value, read.source);
}

/** A CA field of a cluster description, and the reason to give when it is absent. */
export interface CaField {
  readonly read: Read<string>;
  readonly absent: string;
}

/**
 * The API server address from a cluster description: `host` is a URL (EKS `endpoint`) or a host
 * name or address (GKE `endpoint`, AKS `fqdn`), `ca` the base64 PEM CA, or undefined where the
 * description does not carry it (AKS). Only an https URL without credentials is accepted: the pass
 * never talks to an API server in clear text.
 */
export function observeApiServer(
  host: Read<string>,
  hostAbsent: string,
  ca?: CaField,
): Observed<ApiServerAddress> {
  if (host.kind === 'invalid') return unknown(host.reason, host.source);
  if (host.kind === 'absent' || host.value === '') return unknown(hostAbsent, host.source);
  const url = httpsUrl(host.value);
  if (url === undefined) {
    return unknown(`${host.source.path} ${quoted(host.value)} is not an https address`, host.source);
  }
  if (ca === undefined) return known({ url, caData: null }, host.source);
  const { read } = ca;
  if (read.kind === 'invalid') return unknown(read.reason, host.source, read.source);
  if (read.kind === 'absent' || read.value === '') return unknown(ca.absent, host.source, read.source);
  return known({ url, caData: read.value }, host.source, read.source);
}

function httpsUrl(host: string): string | undefined {
  const text = host.includes('://') ? host : `https://${host}`;
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.origin;
}
