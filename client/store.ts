/**
 * The resource store as the daemon uses it: client/shape-checked-store.ts's store with every value it
 * reads validated whole by its kind's schema, so the daemon never acts on a value it did not write (a
 * value written by hand or by an older rdd). The CLI reads with the shape-checked store and loads no
 * schema (client/README.md).
 */
import type { z } from 'zod';
import { appKind, appSchema } from '../protocol/app.schema.js';
import { mirrorKinds, type MirrorKind } from '../protocol/mirrors/kinds.js';
import { mirrorSchema } from '../protocol/mirrors/mirror.js';
import { resourceSchema, type Resource } from '../protocol/resource.schema.js';
import { ShapeCheckedStore } from './shape-checked-store.js';
import { decodeWith, type EntryToDecode, type InvalidStoredValueError } from './stored-value.js';

export {
  ShapeCheckedStore,
  type CreateOptions,
  type InvalidValueReporter,
  type ListOptions,
  type WatchOptions,
} from './shape-checked-store.js';
export { InvalidStoredValueError } from './stored-value.js';

export class ResourceStore extends ShapeCheckedStore {
  protected override decode<R extends Resource>(entry: EntryToDecode): R | InvalidStoredValueError {
    return decode<R>(entry);
  }
}

/** The schema a stored value of `kind` must pass; kinds only the daemon knows get the envelope's. */
function schemaOf(kind: string): z.ZodType {
  if (kind === appKind) return appSchema;
  return mirrorKinds.includes(kind as MirrorKind) ? mirrorSchema : resourceSchema;
}

/**
 * The resource stored in `entry`, or why it is not one: not JSON, not valid for its kind, or filed
 * under another key. Only checked, never transformed: what is returned is what was stored.
 */
export function decode<R extends Resource>(entry: EntryToDecode): R | InvalidStoredValueError {
  return decodeWith<R>(entry, (value, kind) => {
    const parsed = schemaOf(kind).safeParse(value);
    return parsed.success ? undefined : firstIssue(parsed.error);
  });
}

/** `spec.running: expected boolean, received string`: the first thing wrong, where it is. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}
