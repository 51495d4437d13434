import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';

/** What a Kubernetes peer cluster holds: API objects and each node's kubelet `configz` body. */
export interface KubeFixture {
  /** Objects as `kubectl get -o yaml` shows them: apiVersion, kind, metadata, spec/status/data. */
  readonly objects: readonly JsonObject[];
  /** The body `GET /api/v1/nodes/<name>/proxy/configz` answers, by node name (`{ kubeletconfig: … }`). */
  readonly configz: Readonly<Record<string, JsonValue>>;
}

const FIXTURES = new URL('../../fixtures/k8s/', import.meta.url);

/** The fixture folders under test/fixtures/k8s/. */
export const KUBE_FIXTURES = ['compliant', 'non-compliant'] as const;
export type KubeFixtureName = (typeof KUBE_FIXTURES)[number];

function objectsOf(text: string, file: string): JsonObject[] {
  return parseAllDocuments(text).flatMap((document, index) => {
    if (document.errors.length > 0)
      throw new Error(
        `${file} document ${index + 1} is not valid YAML: ${document.errors[0]?.message ?? ''}`,
      );
    const value: unknown = document.toJS();
    if (value === null) return [];
    if (!isJsonObject(value) || typeof value.kind !== 'string' || !isJsonObject(value.metadata))
      throw new Error(`${file} document ${index + 1} is not a Kubernetes object (kind and metadata)`);
    return [value];
  });
}

function configzOf(text: string, file: string): Record<string, JsonValue> {
  const documents = parseAllDocuments(text);
  const first = documents[0];
  if (documents.length !== 1 || first === undefined || first.errors.length > 0)
    throw new Error(`${file} must be one YAML document mapping node names to configz bodies`);
  const value: unknown = first.toJS();
  if (
    !isJsonObject(value) ||
    !Object.values(value).every((body) => isJsonObject(body) && 'kubeletconfig' in body)
  )
    throw new Error(`${file} must map node names to { kubeletconfig: … } bodies`);
  return { ...value };
}

/** Reads test/fixtures/k8s/<name>/objects.yaml (multi-document) and configz.yaml. */
export async function loadKubeFixture(name: KubeFixtureName): Promise<KubeFixture> {
  const folder = new URL(`${name}/`, FIXTURES);
  const read = (file: string) => readFile(new URL(file, folder), 'utf8');
  const [objects, configz] = await Promise.all([read('objects.yaml'), read('configz.yaml')]);
  return {
    objects: objectsOf(objects, `${name}/objects.yaml`),
    configz: configzOf(configz, `${name}/configz.yaml`),
  };
}
