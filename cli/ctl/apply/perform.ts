/**
 * Carrying out a planned write through the same API requests as `rdd set`, `rdd ctl state` and
 * `rdd ctl annotate`, so the daemon's admission answers them all alike; and how kubectl reports it.
 */
import { randomBytes } from 'node:crypto';
import { appKind, appProperties } from '../../../protocol/app.schema.js';
import type { ApiClient } from '../../../client/api-client.js';
import { containerActionAnnotation, type ContainerDesiredState } from '../../../protocol/mirrors/container.schema.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import { resourceName } from '../../kubectl/index.js';
import type { Write } from './plan.js';

/** kubectl's --dry-run: none (do it), client (send nothing), server (the daemon validates, stores nothing). */
export const dryRunModes = ['none', 'client', 'server'] as const;
export type DryRun = (typeof dryRunModes)[number];

export interface Outcome {
  /** The object as it is now, or as it would be with a dry run. */
  object: Resource;
  changed: boolean;
}

const requestTimeoutMs = 60_000;

export function isEmptyWrite(write: Write): boolean {
  if (write.kind === 'none') return true;
  if (write.kind === appKind) return Object.keys(write.changes).length === 0;
  return write.state === undefined && write.action === undefined;
}

export async function performWrite(api: ApiClient, stored: Resource, write: Write, dryRun: DryRun): Promise<Outcome> {
  if (isEmptyWrite(write)) return { object: stored, changed: false };
  if (write.kind === appKind) {
    if (dryRun === 'client') return { object: withSpecChanges(stored, write.changes), changed: true };
    const reply = await api.request(
      'app.set',
      {
        changes: write.changes,
        dryRun: dryRun === 'server',
        request: { id: randomBytes(8).toString('hex'), basedOnGeneration: stored.metadata.generation ?? 0 },
      },
      requestTimeoutMs,
    );
    return { object: reply.app, changed: reply.changed };
  }
  if (write.kind === 'none') return { object: stored, changed: false };
  let object = stored;
  if (write.state !== undefined) {
    // The daemon checks the state, with the words rdd ctl state gets: the client does not second-guess it.
    const state = write.state as ContainerDesiredState;
    object =
      dryRun === 'client'
        ? { ...stored, spec: { ...(stored.spec as object), state } }
        : await api.request(
            'container.state',
            { name: stored.metadata.name, state, dryRun: dryRun === 'server' },
            requestTimeoutMs,
          );
  }
  if (write.action !== undefined) {
    if (dryRun === 'none') {
      await api.request('container.action', { name: stored.metadata.name, action: write.action, wait: false });
    }
    const annotations = { ...object.metadata.annotations, [containerActionAnnotation]: write.action };
    object = { ...object, metadata: { ...object.metadata, annotations } };
  }
  return { object, changed: true };
}

/** The App as the changes would leave it, computed without the daemon (--dry-run=client). */
function withSpecChanges(stored: Resource, changes: Record<string, string>): Resource {
  const spec = structuredClone((stored.spec ?? {}) as Record<string, unknown>);
  for (const [path, text] of Object.entries(changes)) {
    const keys = path.split('.');
    let node = spec;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = typedValue(path, text);
  }
  return { ...stored, spec };
}

/** A property's text as its JSON value, by its type in the catalogue (planWrite checked the form). */
function typedValue(path: string, text: string): unknown {
  const type = appProperties.find((property) => property.path === path)?.type;
  if (type === 'boolean') return text === 'true';
  if ((type === 'integer' || type === 'number') && text !== '') return Number(text);
  return text;
}

/** `container.containers.rancherdesktop.io/web configured (server dry run)`. */
export function describeOutcome(outcome: Outcome, verb: 'apply' | 'patch', dryRun: DryRun): string {
  const done =
    verb === 'apply'
      ? outcome.changed
        ? 'configured'
        : 'unchanged'
      : outcome.changed
        ? 'patched'
        : 'patched (no change)';
  const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
  return `${resourceName(outcome.object)} ${done}${suffix}`;
}
