/**
 * The objects `rdd ctl apply -f` is given: one or more YAML (or JSON) documents, any of them a kubectl
 * List, each naming an object rdd stores by its kind and metadata.name.
 */
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { appKind } from '../../../protocol/app.schema.js';
import { ApiError, NotFoundError } from '../../../protocol/api-error.js';
import { quoteForMessage } from '../../../protocol/limits.js';
import { kindInfos, resolveKind, type KindInfo } from '../../../protocol/mirrors/kinds.js';
import { mirrorNamespace } from '../../../protocol/mirrors/mirror.schema.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import type { ShapeCheckedStore } from '../../../client/shape-checked-store.js';
import { UsageError } from '../../exit-codes.js';

export type Json = Record<string, unknown>;

/** Reads FILE, or standard input for `-`: the only rdd command that reads stdin, and only when told to. */
export async function readInput(file: string): Promise<string> {
  if (file !== '-') {
    try {
      return await fs.promises.readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${quoteForMessage(file)}: ${(error as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Every object in `text`, Lists flattened, in order; `source` names the input in errors. */
export function parseObjects(text: string, source: string): Json[] {
  const objects: Json[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const error = document.errors[0];
    if (error) throw new UsageError(`${source}: document ${index + 1} is not valid YAML or JSON: ${error.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new UsageError(`${source}: document ${index + 1} is not an object`);
    if (value.kind === 'List') {
      if (!Array.isArray(value.items))
        throw new UsageError(`${source}: the List in document ${index + 1} has no items`);
      for (const item of value.items as unknown[]) {
        if (!isObject(item))
          throw new UsageError(`${source}: an item of the List in document ${index + 1} is not an object`);
        objects.push(item);
      }
    } else objects.push(value);
  }
  if (objects.length === 0) throw new UsageError(`${source}: no objects to apply`);
  return objects;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The stored object `object` names; its kind and apiVersion must be ones rdd has. */
/**
 * The stored object `object` names. A mirror is looked up in its own metadata.namespace, else in `-n`'s
 * (empty or absent: rdd's namespace); the two disagreeing is a usage error, as with kubectl. The App is
 * cluster-scoped: no namespace applies to it.
 */
export async function storedFor(store: ShapeCheckedStore, object: Json, namespace?: string): Promise<Resource> {
  const info = kindOf(object.kind);
  if (object.apiVersion !== undefined && object.apiVersion !== info.apiVersion) {
    throw new ApiError(
      'Invalid',
      `apiVersion ${quoteForMessage(JSON.stringify(object.apiVersion))} does not serve kind ${info.kind}; use ${info.apiVersion}`,
    );
  }
  const metadata = isObject(object.metadata) ? object.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new UsageError(`a ${info.kind} to apply needs metadata.name`);
  }
  const own = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  if (info.kind !== appKind && own && namespace && own !== namespace) {
    throw new UsageError(
      `${info.kind} ${quoteForMessage(metadata.name)} is in namespace ${quoteForMessage(own)}, not ${quoteForMessage(namespace)} as -n says; drop -n or make them agree`,
    );
  }
  const wanted = own || namespace || mirrorNamespace;
  const found = await store.get(info.kind, metadata.name);
  const stored = found && (info.kind === appKind || found.metadata.namespace === wanted) ? found : null;
  if (!stored) {
    // rdd creates mirrors from the engine, and the App with rdd set: apply changes what exists.
    const where = info.kind === appKind ? '' : ` in namespace ${wanted}`;
    throw new NotFoundError(
      `${info.kind} ${quoteForMessage(metadata.name)} not found${where}; rdd ctl apply changes existing objects only`,
    );
  }
  return stored;
}

function kindOf(kind: unknown): KindInfo {
  if (typeof kind !== 'string' || kind === '') {
    throw new UsageError(`an object to apply needs a kind: one of ${kindInfos.map((info) => info.kind).join(', ')}`);
  }
  return kindInfos.find((info) => info.kind === kind) ?? resolveKind(kind);
}
