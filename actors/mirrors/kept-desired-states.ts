/**
 * Desired container states kept while their mirrors are gone. Stopping the App (or switching to
 * containerd) removes every mirror, as the Go original does, but a `spec.state` is the user's intent
 * for as long as the container exists in the engine: it is kept in the store as a `KeptDesiredState`
 * (named by the container ID) and handed back to the container's actor when the next sync finds the
 * container again. A sync that finds the container gone drops it. A kept state that is not valid is
 * counted, logged and left out (the container goes on without one); the next sweep writes over it.
 */
import { z } from 'zod';
import {
  containerDesiredStates,
  type ContainerDesiredState,
  type Container,
} from '../../protocol/mirrors/container.schema.js';
import { mirrorApiVersion } from '../../protocol/mirrors/mirror.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { firstIssue, InvalidStoredValueError } from '../../client/store.js';
import { rejections } from '../bus/rejections.js';
import type { MirrorStore } from './mirror-store.js';

export const keptDesiredStateKind = 'KeptDesiredState';

export interface KeptDesiredState extends Resource<{ state: ContainerDesiredState }> {
  kind: typeof keptDesiredStateKind;
  spec: { state: ContainerDesiredState };
}

/** The spec a kept state must have; the store checks only the envelope of kinds it does not know. */
const keptSpecSchema = z.object({ spec: z.object({ state: z.enum(containerDesiredStates) }).strict() });

/** What a container's actor starts from when it has no mirror yet. */
export interface DesiredSeed {
  state: ContainerDesiredState;
  generation: number;
}

/** Keeps the spec.state of every container mirror that has one (called before the mirrors go). */
export async function keepDesiredStates(store: MirrorStore, containers: readonly Container[]): Promise<number> {
  const held = containers.filter((mirror) => mirror.spec.state !== 'unknown');
  await Promise.all(
    held.map(async (mirror) => {
      const kept: KeptDesiredState = {
        apiVersion: mirrorApiVersion,
        kind: keptDesiredStateKind,
        metadata: { name: mirror.metadata.name, generation: mirror.metadata.generation ?? 1 },
        spec: { state: mirror.spec.state },
      };
      const existing = await store
        .get<KeptDesiredState>(keptDesiredStateKind, mirror.metadata.name)
        .catch((error: unknown) => {
          // Written over at the revision it was read at: what the mirror holds now is the intent.
          if (error instanceof InvalidStoredValueError)
            return { metadata: { resourceVersion: String(error.revision) } };
          throw error;
        });
      if (existing) await store.update({ ...kept, metadata: { ...kept.metadata, ...pickVersion(existing) } });
      else await store.create(kept);
    }),
  );
  return held.length;
}

/** Every kept desired state by container ID. */
export async function keptDesiredStates(store: MirrorStore): Promise<Map<string, DesiredSeed>> {
  const kept = (await store.list<KeptDesiredState>(keptDesiredStateKind)).filter((entry) => {
    const parsed = keptSpecSchema.safeParse({ spec: entry.spec });
    if (parsed.success) return true;
    const key = `${keptDesiredStateKind}.${entry.metadata.name}`;
    rejections.recordValue(
      `store.${keptDesiredStateKind}`,
      `${key}@${entry.metadata.resourceVersion}`,
      `the stored ${key}`,
      firstIssue(parsed.error),
    );
    return false;
  });
  return new Map(
    kept.map((entry) => [entry.metadata.name, { state: entry.spec.state, generation: entry.metadata.generation ?? 1 }]),
  );
}

/** Drops a kept desired state: its container has a mirror again, or is gone from the engine. */
export async function forgetDesiredState(store: MirrorStore, containerId: string): Promise<void> {
  await store.delete(keptDesiredStateKind, containerId);
}

function pickVersion(resource: Pick<Resource, 'metadata'> | { metadata: { resourceVersion: string } }): {
  resourceVersion?: string;
} {
  const { resourceVersion } = resource.metadata;
  return resourceVersion === undefined ? {} : { resourceVersion };
}
