/**
 * What an applied or patched object asks rdd to change, found by comparing it with the stored one.
 * Only the writable parts may differ: a container's spec.state and its action annotation, the App's
 * spec. Anything else that differs is refused naming the field (kubectl would drop a status silently;
 * we say so), while parts equal to the stored ones or left out are fine, so `get -o yaml | edit |
 * apply` round-trips.
 */
import { checkChanges } from '../../../protocol/app.admission.js';
import { appKind } from '../../../protocol/app.schema.js';
import { ApiError } from '../../../protocol/api-error.js';
import { quoteForMessage } from '../../../protocol/limits.js';
import {
  containerActionAnnotation,
  containerActions,
  containerKind,
  type ContainerAction,
} from '../../../protocol/mirrors/container.schema.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import { resourceName } from '../../kubectl/index.js';

export type Write =
  | { kind: typeof appKind; changes: Record<string, string> }
  | { kind: typeof containerKind; state?: unknown; action?: ContainerAction }
  /** A mirror of a read-only kind, given back as it is stored. */
  | { kind: 'none' };

export const writableParts = `writable are a Container's spec.state and its ${containerActionAnnotation} annotation, and the App's spec`;

/**
 * What a part of the object left out means: unchanged (apply: a file names what it sets), or removed,
 * reset to its default (patch: the patched object is the whole object).
 */
export type Missing = 'unchanged' | 'reset';

/** Counters the store writes; a round-trip sends them back stale, and they say nothing about the change. */
const serverCounters = new Set(['resourceVersion', 'generation']);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The change `desired` asks of `stored`; throws Invalid naming the first field that may not change. */
export function planWrite(stored: Resource, desired: Json, missing: Missing): Write {
  const name = resourceName(stored);
  const refuse = (field: string, why = 'is written by rdd'): never => {
    throw new ApiError('Invalid', `${name}: ${field} cannot be changed (it ${why}); ${writableParts}`, {
      field: quoteForMessage(field),
    });
  };
  const storedJson = stored as unknown as Json;
  for (const key of Object.keys(desired)) {
    if (key === 'spec' && (stored.kind === appKind || stored.kind === containerKind)) continue;
    if (key === 'metadata') continue;
    if (!(key in storedJson) && desired[key] === undefined) continue;
    const difference = firstDifference(storedJson[key], desired[key], key);
    if (difference) refuse(difference, whyNot(key, stored.kind));
  }
  const action = checkMetadata(stored, desired.metadata, refuse);
  if (stored.kind === appKind) {
    if (action) refuse(`metadata.annotations.${containerActionAnnotation}`, 'is for containers only');
    const changes = appChanges(stored.spec, desired.spec, missing, refuse);
    checkChanges(changes);
    return { kind: appKind, changes };
  }
  if (stored.kind !== containerKind) {
    if (action) refuse(`metadata.annotations.${containerActionAnnotation}`, 'is for containers only');
    return { kind: 'none' };
  }
  const write: Write = { kind: containerKind, ...(action ? { action } : {}) };
  const storedSpec = (stored.spec ?? {}) as Json;
  const desiredSpec = desired.spec === undefined && missing === 'unchanged' ? storedSpec : desired.spec;
  if (!isObject(desiredSpec)) return refuse('spec', 'must be an object');
  for (const key of Object.keys(desiredSpec)) {
    if (key !== 'state' && !sameJson(desiredSpec[key], storedSpec[key])) refuse(`spec.${key}`, 'is not writable');
  }
  const state = desiredSpec.state ?? (missing === 'reset' ? 'unknown' : storedSpec.state);
  return state === storedSpec.state ? write : { ...write, state };
}

function whyNot(key: string, kind: string): string {
  if (key === 'status') return 'is written by rdd';
  if (key === 'spec') return `is read-only: rdd mirrors this ${kind} from the engine`;
  return 'is not writable';
}

/** Refuses metadata that differs, except the action annotation, which is returned when given anew. */
function checkMetadata(
  stored: Resource,
  desired: unknown,
  refuse: (field: string, why?: string) => never,
): ContainerAction | undefined {
  if (desired === undefined) return undefined;
  if (!isObject(desired)) return refuse('metadata', 'must be an object');
  const metadata = stored.metadata as Json;
  let action: ContainerAction | undefined;
  for (const [key, value] of Object.entries(desired)) {
    if (serverCounters.has(key)) continue;
    if (key !== 'annotations') {
      const difference = firstDifference(metadata[key], value, `metadata.${key}`);
      if (difference) refuse(difference, 'is not writable');
      continue;
    }
    if (value === null) continue;
    if (!isObject(value)) return refuse('metadata.annotations', 'must be an object of strings');
    const storedAnnotations = (metadata.annotations ?? {}) as Json;
    for (const [annotation, text] of Object.entries(value)) {
      if (sameJson(storedAnnotations[annotation], text) || text === null) continue;
      if (annotation !== containerActionAnnotation) {
        throw new ApiError(
          'Invalid',
          `annotation ${quoteForMessage(annotation)} is not supported; rdd acts on ${containerActionAnnotation} only`,
        );
      }
      // The same words as rdd ctl annotate.
      if (!(containerActions as readonly unknown[]).includes(text)) {
        throw new ApiError(
          'Invalid',
          `invalid ${containerActionAnnotation} annotation ${quoteForMessage(typeof text === 'string' ? text : JSON.stringify(text))}; valid values: ${containerActions.join(', ')}`,
        );
      }
      action = text as ContainerAction;
    }
  }
  return action;
}

/**
 * The App's spec as `rdd set` changes: one PROPERTY=VALUE per leaf that differs, so admission answers
 * with the very words it gives `rdd set`. A removed leaf (patch) is the empty value: reset to default.
 */
function appChanges(
  storedSpec: unknown,
  desiredSpec: unknown,
  missing: Missing,
  refuse: (field: string, why?: string) => never,
): Record<string, string> {
  if (desiredSpec === undefined && missing === 'unchanged') return {};
  if (!isObject(desiredSpec)) return refuse('spec', 'must be an object');
  const before = leaves(storedSpec);
  const after = leaves(desiredSpec);
  const changes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [path, value] of after) {
    if (!sameJson(before.get(path), value)) changes[path] = propertyText(value);
  }
  if (missing === 'reset') for (const path of before.keys()) if (!after.has(path)) changes[path] = '';
  return changes;
}

/** `running=true`: the value as `rdd set` takes it. */
function propertyText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Dotted path → value for every non-object value under `value`. */
function leaves(value: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (!isObject(value)) return into;
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(child) && Object.keys(child).length > 0) leaves(child, path, into);
    else into.set(path, child);
  }
  return into;
}

/** The dotted path of the first value in `desired` that differs from `stored`, or null. */
function firstDifference(stored: unknown, desired: unknown, path: string): string | null {
  if (sameJson(stored, desired)) return null;
  if (!isObject(stored) || !isObject(desired)) return path;
  for (const key of new Set([...Object.keys(stored), ...Object.keys(desired)])) {
    const difference = firstDifference(stored[key], desired[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return path;
}

/**
 * Whether two JSON values are equal. Not util.isDeepStrictEqual: that also compares prototypes, and the
 * objects compared come from YAML, from the store and from structuredClone.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
  );
}
