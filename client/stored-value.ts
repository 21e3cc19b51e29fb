/**
 * A stored value as a reader sees it, without any schema: the error for a value that is not a resource
 * of its key's kind, how bytes are written and read back with their revision, and the shape check the
 * CLI reads with. The daemon's full check (every field, by zod) is `decode` in client/store.ts; the CLI
 * checks only what it needs not to crash or mislead (client/README.md).
 */
import { ApiError } from '../protocol/api-error.js';
import type { Resource } from '../protocol/resource.schema.js';
import { appProperties, describeType, type Property } from '../protocol/app-properties.js';
import { appApiVersion, appKind, mirrorApiVersion } from '../protocol/resource-names.js';
import { mirrorKinds } from '../protocol/mirrors/kinds.js';
import { resourceKey } from '../protocol/subjects.js';
import type { StoredEntry } from './store-reads.js';

/**
 * A stored value that is not a valid resource of its key's kind. `generation` is the one it claims,
 * when it has a readable one (a writer may still compare-and-swap over it at `revision`).
 */
export class InvalidStoredValueError extends ApiError {
  override readonly name = 'InvalidStoredValueError';
  constructor(
    readonly key: string,
    readonly revision: number,
    readonly issue: string,
    readonly generation?: number,
  ) {
    super('Internal', `the stored ${key} (revision ${revision}) is not a valid resource: ${issue}`, {
      key,
      revision,
      issue,
    });
  }
}

/** What a decode is given: a stored entry's key, revision and text. */
export type EntryToDecode = Pick<StoredEntry, 'key' | 'revision' | 'string'>;

/** Checks a value the JSON of `entry` holds, resolving to an issue when it is not a resource of `kind`. */
export type ValueCheck = (value: unknown, kind: string) => string | undefined;

export function keyOf(resource: Resource): string {
  return resourceKey(resource.kind, resource.metadata.name);
}

/** The stored bytes never hold resourceVersion: it is the revision, known only after the write. */
export function encode(resource: Resource): Buffer {
  const { resourceVersion: _ignored, ...metadata } = resource.metadata;
  return Buffer.from(JSON.stringify({ ...resource, metadata }));
}

export function withRevision<R extends Resource>(resource: R, revision: number): R {
  return { ...resource, metadata: { ...resource.metadata, resourceVersion: String(revision) } };
}

/** The last value of a deleted key never seen valid: its kind and name, from the key. */
export function tombstone(entry: Pick<StoredEntry, 'key'>): Resource {
  const dot = entry.key.indexOf('.');
  return { apiVersion: 'rdd/v1', kind: entry.key.slice(0, dot), metadata: { name: entry.key.slice(dot + 1) } };
}

/**
 * The resource stored in `entry`, or why it is not one: not JSON, refused by `check`, or filed under
 * another key. Only checked, never transformed: what is returned is what was stored.
 */
export function decodeWith<R extends Resource>(entry: EntryToDecode, check: ValueCheck): R | InvalidStoredValueError {
  const invalid = (issue: string, generation?: unknown) =>
    new InvalidStoredValueError(
      entry.key,
      entry.revision,
      issue,
      Number.isInteger(generation) ? (generation as number) : undefined,
    );
  let value: unknown;
  try {
    value = JSON.parse(entry.string());
  } catch (error) {
    return invalid(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const kind = entry.key.slice(0, entry.key.indexOf('.'));
  const issue = check(value, kind);
  const generation = (value as { metadata?: { generation?: unknown } } | null)?.metadata?.generation;
  if (issue !== undefined) return invalid(issue, generation);
  const resource = value as R;
  if (keyOf(resource) !== entry.key) {
    return invalid(`it says it is ${resource.kind} ${JSON.stringify(resource.metadata.name)}`, generation);
  }
  // Parsed here, so no one else holds it: the revision goes in without copying a listing's every object.
  resource.metadata.resourceVersion = String(entry.revision);
  return resource;
}

/** The apiVersion a stored value of `kind` must have; undefined for kinds only the daemon knows. */
function apiVersionOf(kind: string): string | undefined {
  if (kind === appKind) return appApiVersion;
  return (mirrorKinds as readonly string[]).includes(kind) ? mirrorApiVersion : undefined;
}

/**
 * The shape the CLI needs of a stored value: an object with the kind and apiVersion of its key's kind
 * and a metadata.name (a resource's identity; the rest is the daemon's to validate). The App's spec is
 * checked too, property by property, and its conditions are a list: `rdd set` acts on them, and an App
 * written by hand must fail it at once, naming what is wrong, not hang it. Messages are worded as the
 * schema's first issue is (`path: what was expected`).
 */
export const checkShape: ValueCheck = (value, kind) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object';
  const {
    apiVersion,
    kind: claimed,
    metadata,
  } = value as Partial<Record<'apiVersion' | 'kind', unknown>> & {
    metadata?: unknown;
  };
  const expectedVersion = apiVersionOf(kind);
  if (typeof apiVersion !== 'string') return 'apiVersion: expected a string';
  if (expectedVersion !== undefined && apiVersion !== expectedVersion)
    return `apiVersion: expected ${JSON.stringify(expectedVersion)}`;
  if (typeof claimed !== 'string') return 'kind: expected a string';
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return 'metadata: expected an object';
  const { name } = metadata as { name?: unknown };
  if (typeof name !== 'string' || name === '') return 'metadata.name: expected a non-empty string';
  return kind === appKind ? checkAppShape(value) : undefined;
};

/** Properties a stored App may leave out (the schema's optional ones); the others it must have. */
const optionalAppProperties = new Set(['vm.cpus', 'vm.memoryGiB']);

function checkAppShape({ spec, status }: { spec?: unknown; status?: unknown }): string | undefined {
  for (const property of appProperties) {
    const [group = '', field = ''] = property.path.split('.');
    const parent = property.path.includes('.') ? (spec as Record<string, unknown> | undefined)?.[group] : spec;
    const value = (parent as Record<string, unknown> | undefined)?.[property.path.includes('.') ? field : group];
    if (value === undefined && optionalAppProperties.has(property.path)) continue;
    if (!hasPropertyType(value, property)) return `spec.${property.path}: expected ${describeType(property.type)}`;
  }
  const conditions = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? undefined : 'status.conditions: expected an array';
}

function hasPropertyType(value: unknown, { type }: Property): boolean {
  if (typeof type !== 'string') return type.includes(value as string);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}
