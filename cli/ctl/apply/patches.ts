/**
 * `rdd ctl patch -p`: a JSON merge patch (RFC 7386) or a JSON patch (RFC 6902), applied to the stored
 * object by well-kept libraries; the result is then checked as `rdd ctl apply` checks a file.
 */
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import mergePatch from 'json-merge-patch';
import { parse } from 'yaml';
import { ApiError } from '../../../protocol/api-error.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import { UsageError } from '../../exit-codes.js';
import { isObject, type Json } from './documents.js';

export const patchTypes = ['merge', 'json'] as const;
export type PatchType = (typeof patchTypes)[number];

/** kubectl's default and `strategic` need the Kubernetes schemas; rdd has merge and json. */
export function checkPatchType(type: string): PatchType {
  if ((patchTypes as readonly string[]).includes(type)) return type as PatchType;
  throw new UsageError(`--type ${type} is not supported; valid types: ${patchTypes.join(', ')}`);
}

/** The object `patch` (JSON or YAML text) makes of `stored`; a patch that does not apply is refused. */
export function patched(stored: Resource, text: string, type: PatchType): Json {
  let patch: unknown;
  try {
    patch = parse(text);
  } catch (error) {
    throw new UsageError(`the patch is not valid JSON or YAML: ${(error as Error).message}`);
  }
  const document = structuredClone(stored) as unknown as Json;
  if (type === 'merge') {
    if (!isObject(patch)) throw new UsageError('a merge patch is an object, e.g. {"spec":{"state":"running"}}');
    return mergePatch.apply<Json>(document, patch);
  }
  if (!Array.isArray(patch)) {
    throw new UsageError(
      'a JSON patch is a list of operations, e.g. [{"op":"replace","path":"/spec/state","value":"running"}]',
    );
  }
  try {
    return applyPatch(document, patch as Operation[], true, false).newDocument;
  } catch (error) {
    if (error instanceof JsonPatchError) {
      const where = error.operation ? ` at operation ${JSON.stringify(error.operation)}` : '';
      throw new ApiError(
        'Invalid',
        `the JSON patch does not apply${where}: ${error.name.replace(/_/g, ' ').toLowerCase()}`,
      );
    }
    throw error;
  }
}
