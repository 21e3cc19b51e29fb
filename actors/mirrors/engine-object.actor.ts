/**
 * The actor of one image, volume or network: owns the mirrors of that engine object (an image has one
 * per tag; the others one) and is their only writer. What differs by kind — how to inspect, build,
 * delete, and what may not be deleted — is an {@link ObjectAdapter}; the bookkeeping is shared here.
 */
import { setCondition } from '../../protocol/condition.schema.js';
import { ApiError, describeError } from '../../protocol/errors.js';
import {
  refusalSummary,
  type DeleteReply,
  type Holder,
  type MirrorCommand,
  type MirrorVerb,
} from '../../protocol/mirrors/commands.schema.js';
import { containerKind, type Container } from '../../protocol/mirrors/container.schema.js';
import type { Image } from '../../protocol/mirrors/image.schema.js';
import type { Network } from '../../protocol/mirrors/network.schema.js';
import type { Volume } from '../../protocol/mirrors/volume.schema.js';
import { engineMessage, type EngineClient } from '../engine/engine-client.js';
import { deleteFailedCondition, holdersOf, markedMetadata, refusalOf } from './deletion.js';
import { DeletionLifecycle, type DeletionHost } from './deletion-lifecycle.js';
import { Mailbox } from './mailbox.js';
import { guarded, nothingObserved, type MirrorActor, type MirrorActorContext, type Observed } from './mirror-actor.js';
import { writeMirror } from './mirror-writer.js';

export type ObjectMirror = Image | Volume | Network;

export interface ObjectAdapter<I, M extends ObjectMirror> {
  readonly kind: M['kind'];
  inspect(engine: EngineClient, key: string): Promise<I | null>;
  build(inspect: I, options: { namespace: string; observedAt: string }): M[];
  /** Removes what `mirror` stands for in the engine (an image's tag, a volume, a network). */
  remove(engine: EngineClient, mirror: M, force: boolean): Promise<void>;
  /** Why `mirror` may not be deleted (a predefined network), or null. */
  undeletable(mirror: M): string | null;
  /** Whether `container` keeps the object of `mirror` from being removed, as its mirrors show it. */
  usedBy(mirror: M, container: Container): boolean;
  /** Whether a forced remove succeeds while the object is in use (an image tag: it is untagged). */
  readonly forceRemovesInUse: boolean;
  /** How messages name the object: `image busybox:latest`, `volume data`. */
  describe(mirror: M): string;
}

export class EngineObjectActor<I, M extends ObjectMirror> implements MirrorActor {
  private readonly mailbox = new Mailbox();
  /** The mirrors as last read or written, by mirror name. */
  private readonly stored = new Map<string, M>();
  private readonly deletions: DeletionLifecycle;

  constructor(
    private readonly adapter: ObjectAdapter<I, M>,
    readonly key: string,
    stored: readonly M[],
    private readonly context: MirrorActorContext,
  ) {
    this.deletions = new DeletionLifecycle(this.deletionHost);
    for (const mirror of stored) {
      this.stored.set(mirror.metadata.name, mirror);
      this.deletions.resume(mirror.metadata.name, mirror.metadata);
    }
  }

  ownedNames(): string[] {
    return [...this.stored.keys()];
  }

  get kind(): M['kind'] {
    return this.adapter.kind;
  }

  observe(cause?: string): Promise<Observed> {
    return this.mailbox.observe(cause, () => this.guard('inspect', () => this.inspectAndWrite()));
  }

  command<V extends MirrorVerb>(verb: V, body: MirrorCommand<V>, mirrorName: string): Promise<unknown> {
    if (verb !== 'delete') {
      return Promise.reject(
        new ApiError('Invalid', `${this.adapter.kind} mirrors have no ${verb}; only containers do`),
      );
    }
    const { force } = body as MirrorCommand<'delete'>;
    return this.mailbox.run(() => this.guard('delete', () => this.startDelete(mirrorName, force)));
  }

  idle(): Promise<void> {
    return this.mailbox.idle();
  }

  get isIdle(): boolean {
    return this.mailbox.isIdle;
  }

  stop(): Promise<void> {
    this.deletions.stop();
    return this.mailbox.close();
  }

  private guard<T>(what: string, task: () => Promise<T>): Promise<T> {
    return guarded(this, this.context, what, task);
  }

  private async inspectAndWrite(): Promise<Observed> {
    const inspect = await this.adapter.inspect(this.context.engine(), this.key);
    const observedAt = new Date().toISOString();
    const built = inspect ? this.adapter.build(inspect, { namespace: this.context.namespace, observedAt }) : [];
    const observed: Observed = { ...nothingObserved, changed: [] };
    for (const mirror of built) {
      const outcome = await this.write(mirror, observedAt);
      if (outcome !== 'unchanged') {
        observed[outcome] += 1;
        observed.changed.push(`${this.adapter.kind}/${mirror.metadata.name}`);
      }
    }
    // An untag, or the whole object gone: its other mirrors go, and so does any pending delete of them.
    const names = new Set(built.map((mirror) => mirror.metadata.name));
    for (const name of [...this.stored.keys()].filter((stored) => !names.has(stored))) {
      await this.context.store.delete(this.adapter.kind, name);
      this.forget(name);
      observed.removed += 1;
      observed.changed.push(`${this.adapter.kind}/${name}`);
    }
    this.context.owns(this, [...this.stored.keys()]);
    if (this.kind === 'Image' && inspect) {
      this.context.claimTags?.(this, built.map((mirror) => (mirror as Image).status.repoTag).filter(Boolean));
    }
    if (!inspect) {
      this.context.exit(this);
      return observed;
    }
    this.deletions.resumePending((name) => this.stored.has(name));
    return observed;
  }

  private async write(built: M, observedAt: string): Promise<'created' | 'updated' | 'unchanged'> {
    const name = built.metadata.name;
    const previous = this.stored.get(name) ?? null;
    const deletion = this.deletions.of(name);
    const failed = deleteFailedCondition(deletion, 1);
    const conditions = failed ? setCondition(previous?.status.conditions ?? [], failed, observedAt) : [];
    const next = {
      ...built,
      metadata: markedMetadata(built.metadata, deletion, this.adapter.undeletable(built) === null),
      status: { ...built.status, ...(conditions.length > 0 ? { conditions } : {}) },
    } as M;
    const { mirror, outcome } = await writeMirror(this.context.store, previous, next, this.context.logger);
    this.stored.set(name, mirror);
    return outcome;
  }

  private async startDelete(name: string, force: boolean): Promise<DeleteReply> {
    const mirror = this.stored.get(name);
    if (!mirror) throw new ApiError('NotFound', `${this.adapter.kind} ${name} not found`);
    const refusal = this.adapter.undeletable(mirror);
    if (refusal) throw new ApiError('Forbidden', refusal);
    this.deletions.request(name, force);
    await this.write(mirror, new Date().toISOString());
    return this.attemptDelete(name);
  }

  private async attemptDelete(name: string): Promise<DeleteReply> {
    const mirror = this.stored.get(name);
    const attempt = mirror ? await this.deletions.attempt(name) : null;
    if (!mirror || !attempt) return { deleted: true, message: `${this.adapter.kind} ${name} deleted` };
    if (!attempt.removed) {
      return { deleted: false, message: refusalSummary(attempt.refusal), refused: attempt.refusal };
    }
    // The engine has let go: the next look removes every mirror that no longer stands for anything. The
    // delete is done either way, so a mirror the engine still reports is never removed again and again.
    await this.inspectAndWrite();
    const deleted = !this.stored.has(name);
    return {
      deleted,
      message: deleted
        ? `${this.adapter.describe(mirror)} deleted`
        : `${this.adapter.describe(mirror)} was removed but the engine still reports it`,
    };
  }

  /** How this actor's mirrors are deleted, for the shared lifecycle. */
  private get deletionHost(): DeletionHost {
    return {
      isStopped: () => this.mailbox.isClosed,
      retry: (name) => {
        this.mailbox.run(() => this.guard('delete', () => this.attemptDelete(name))).catch(() => undefined);
      },
      remove: (name, deletion) => this.adapter.remove(this.context.engine(), this.mirrorNamed(name), deletion.force),
      refusal: async (name, deletion, error) => {
        const mirror = this.mirrorNamed(name);
        const holders = await this.holders(mirror, engineMessage(error));
        const forceRemoves = this.adapter.forceRemovesInUse && !deletion.force;
        return refusalOf(this.adapter.describe(mirror), error, holders, forceRemoves);
      },
      show: (name) => this.write(this.mirrorNamed(name), new Date().toISOString()),
      pending: (pending) => this.context.deleting?.(this, pending),
    };
  }

  private mirrorNamed(name: string): M {
    const mirror = this.stored.get(name);
    if (!mirror) throw new Error(`${this.adapter.kind} ${name}: no mirror to delete`);
    return mirror;
  }

  /** The containers that hold the object of `mirror`; a store that cannot be read only costs their names. */
  private async holders(mirror: M, refusalMessage: string): Promise<Holder[]> {
    try {
      const containers = await this.context.store.list<Container>(containerKind);
      return holdersOf(containers, refusalMessage, (container) => this.adapter.usedBy(mirror, container));
    } catch (error) {
      this.context.logger.warn(
        `${this.adapter.describe(mirror)}: cannot read the containers that use it: ${describeError(error)}`,
      );
      return [];
    }
  }

  /** Something that may have released an object happened (a container went away): retry every delete now. */
  retryDeletes(): void {
    this.deletions.retryAll();
  }

  private forget(name: string): void {
    this.stored.delete(name);
    this.deletions.forget(name);
  }
}
