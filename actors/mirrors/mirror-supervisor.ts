/**
 * The mirrors supervisor: runs one actor per engine object, started on demand (Erlang's
 * simple_one_for_one with transient children). It routes each engine event to the one actor it
 * concerns through a map (O(1), never a sweep over all mirrors: the D1 finding), routes users'
 * requests on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>` the same way, and restarts a crashed actor
 * with the restart policy every supervisor uses (`mirror-restarts.ts`).
 *
 * Why not `actors/supervision`'s Supervisor itself: its children are declared up front and started in
 * order; these come and go with engine objects, thousands at a time, and must cost little each. Its
 * restart decisions are shared all the same.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { ApiError, describeError, NotFoundError } from '../../protocol/errors.js';
import type { MirrorStore } from './mirror-store.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import type { AttachInspection } from '../inspection/inspection.js';
import type { EngineClient } from '../engine/engine-client.js';
import type { EngineEvent } from '../engine/engine-events.js';
import type { DesiredSeed } from './kept-desired-states.js';
import { routesOf, type Route } from './event-routes.js';
import { checkedRequest, listenForMirrorRequests } from './mirror-requests.js';
import type { MirrorActor, MirrorActorContext, ObjectKind } from './mirror-actor.js';
import { createMirrorActor, storedMirrorsOf, type StoredMirror } from './mirror-actors.js';
import { KindTable } from './kind-table.js';
import { MirrorRestarts } from './mirror-restarts.js';
import { TagOwners } from './tag-owners.js';

export interface MirrorSupervisorOptions {
  instance: string;
  nc: NatsConnection;
  store: MirrorStore;
  namespace: string;
  logger: Logger;
  report: (event: SupervisionEvent) => void;
  /** Called once when crashes exceed the intensity: the engine actor should crash and start afresh. */
  escalate: (error: Error) => void;
  /** Registers a container machine for inspection (published while someone inspects). */
  attachInspection?: AttachInspection;
  intensity?: number;
  periodMs?: number;
}

export class MirrorSupervisor {
  /** Kind → engine key → its actor. */
  private readonly actors = new KindTable<MirrorActor>();
  /** Kind → mirror name → the actor owning that mirror, for users' requests. */
  private readonly owners = new KindTable<MirrorActor>();
  private readonly ownedNames = new Map<MirrorActor, readonly string[]>();
  private readonly tags = new TagOwners();
  private readonly deleters = new Set<MirrorActor & { retryDeletes(): void }>();
  private readonly restarts: MirrorRestarts;
  /** One for every actor: its functions take the actor, so none is built per actor. */
  private readonly context: MirrorActorContext;
  /** Bumped by stopActors: work started before a stop or sweep must not start actors after it. */
  private epoch = 0;
  private engineClient: EngineClient | null = null;
  private imagesEnabled = true;
  private subscription: Subscription | null = null;
  private stopped = false;
  /** Work the supervisor started outside any actor (a pull's lookup, a restart), until it ends. */
  private readonly background = new Set<Promise<unknown>>();
  /** Counters a test (or `svc status`) reads: how much work events caused. */
  readonly stats = { routed: 0, spawned: 0, restarted: 0 };

  constructor(private readonly options: MirrorSupervisorOptions) {
    const { logger, report, escalate, intensity, periodMs } = options;
    this.restarts = new MirrorRestarts({
      logger,
      report,
      escalate,
      ...(intensity === undefined ? {} : { intensity }),
      ...(periodMs === undefined ? {} : { periodMs }),
      restart: (kind, key) => this.restart(kind, key),
    });
    this.context = this.actorContext();
  }

  start(): void {
    const { nc, instance, logger } = this.options;
    this.subscription = listenForMirrorRequests(nc, instance, logger, (kind, name, verb, body) =>
      this.request(kind, name, verb, body),
    );
  }

  setEngine(engine: EngineClient): void {
    this.engineClient = engine;
  }

  get images(): boolean {
    return this.imagesEnabled;
  }

  setImagesEnabled(enabled: boolean): void {
    this.imagesEnabled = enabled;
  }

  /**
   * The actor for `kind`/`key`, started (with its stored mirrors, or for a container without one the
   * desired state kept for it) if it does not run yet.
   */
  actorFor(kind: ObjectKind, key: string, stored: readonly StoredMirror[] = [], seed?: DesiredSeed): MirrorActor {
    const existing = this.actors.get(kind, key);
    if (existing) return existing;
    const actor = createMirrorActor(kind, key, this.context, stored, seed);
    this.actors.set(kind, key, actor);
    // Its stored mirrors are its own from the start: requests reach it before its first look.
    this.recordOwnership(actor, actor.ownedNames());
    this.stats.spawned += 1;
    return actor;
  }

  running(kind: ObjectKind, key: string): MirrorActor | undefined {
    return this.actors.get(kind, key);
  }

  actorsOf(kind: ObjectKind): MirrorActor[] {
    return this.actors.ofKind(kind);
  }

  get size(): number {
    return this.actors.size;
  }

  /** Routes one engine event to the actor(s) it concerns; returns at once. */
  route(event: EngineEvent): void {
    if (this.stopped) return;
    for (const route of routesOf(event)) this.routeOne(route);
    // A container going away may free an image someone asked to delete.
    if (event.Type === 'container' && event.Action === 'destroy') {
      for (const deleter of this.deleters) deleter.retryDeletes();
    }
  }

  private routeOne(route: Route): void {
    if (route.kind === 'Image' && !this.imagesEnabled) return;
    this.stats.routed += 1;
    if (route.reference) {
      // A pull names a reference: find the image it now points at, then treat it as that image's event.
      const epoch = this.epoch;
      this.track(
        this.engine()
          .inspectImage(route.key)
          .then(
            (inspect) =>
              inspect &&
              epoch === this.epoch &&
              !this.stopped &&
              this.routeOne({ ...route, key: inspect.Id, reference: false }),
            (error: unknown) => this.options.logger.warn(`image ${route.key}: ${describeError(error)}`),
          ),
      );
      return;
    }
    const actor = route.spawn ? this.actorFor(route.kind, route.key) : this.running(route.kind, route.key);
    actor?.observe(route.cause).catch(() => undefined /* the actor reported its crash */);
  }

  /**
   * Resolves once every actor is idle and nothing the supervisor started is pending: the condition a
   * test waits on after routing events, instead of a count of event-loop turns.
   */
  async idle(): Promise<void> {
    while (!this.isIdle) {
      await Promise.all([...this.background, ...this.actors.values().map((actor) => actor.idle())]);
    }
  }

  get isIdle(): boolean {
    return this.background.size === 0 && this.actors.values().every((actor) => actor.isIdle);
  }

  private track(work: Promise<unknown>): void {
    this.background.add(work);
    const done = (): void => void this.background.delete(work);
    work.then(done, done);
  }

  /** Stops every actor and stops listening; the mirrors stay in the store. */
  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    void this.stopActors();
  }

  /**
   * Stops every actor (before a sweep); resolves once none is writing any more. Requests find no owner
   * until a sync starts them again.
   */
  stopActors(): Promise<void> {
    this.epoch += 1;
    const stopping = this.actors.values().map((actor) => actor.stop());
    this.actors.clear();
    this.owners.clear();
    this.ownedNames.clear();
    this.tags.clear();
    this.deleters.clear();
    this.restarts.clear();
    return Promise.all(stopping).then(() => undefined);
  }

  /** Stops the actors of one kind (images when mirrorImages goes off). */
  stopKind(kind: ObjectKind): void {
    for (const actor of this.actorsOf(kind)) this.remove(actor);
    this.restarts.clearKind(kind);
  }

  private engine(): EngineClient {
    if (!this.engineClient) throw new ApiError('Unavailable', 'the container engine is not connected');
    return this.engineClient;
  }

  private actorContext(): MirrorActorContext {
    return {
      store: this.options.store,
      engine: () => this.engine(),
      logger: this.options.logger,
      namespace: this.options.namespace,
      owns: (actor, names) => this.recordOwnership(actor, names),
      exit: (actor) => this.remove(actor),
      crash: (actor, error) => this.onCrash(actor, error),
      claimTags: (actor, tags) => this.claimTags(actor, tags),
      deleting: (actor, pending) => (pending ? this.deleters.add(actor) : this.deleters.delete(actor)),
      ...(this.options.attachInspection ? { attachInspection: this.options.attachInspection } : {}),
    };
  }

  private recordOwnership(actor: MirrorActor, names: readonly string[]): void {
    if (this.actors.get(actor.kind, actor.key) !== actor) return;
    for (const name of this.ownedNames.get(actor) ?? []) this.owners.delete(actor.kind, name);
    for (const name of names) this.owners.set(actor.kind, name, actor);
    this.ownedNames.set(actor, names);
  }

  /** A tag moved to another image (a pull of a newer one): the image that had it must look again. */
  private claimTags(actor: MirrorActor, tags: readonly string[]): void {
    for (const previous of this.tags.claim(actor, tags)) {
      if (this.actors.has(previous.kind, previous.key)) previous.observe('untag').catch(() => undefined);
    }
  }

  private remove(actor: MirrorActor): void {
    if (this.actors.get(actor.kind, actor.key) === actor) this.actors.delete(actor.kind, actor.key);
    for (const name of this.ownedNames.get(actor) ?? []) {
      if (this.owners.get(actor.kind, name) === actor) this.owners.delete(actor.kind, name);
    }
    this.ownedNames.delete(actor);
    this.tags.forget(actor);
    this.deleters.delete(actor as MirrorActor & { retryDeletes(): void });
    void actor.stop();
  }

  private onCrash(actor: MirrorActor, error: Error): void {
    if (this.actors.get(actor.kind, actor.key) !== actor || this.stopped) return;
    const names = actor.ownedNames();
    this.remove(actor);
    this.restarts.crashed(actor, names, error);
  }

  /** A fresh actor reads its mirrors back from the store and looks at the engine again. */
  private restart(kind: ObjectKind, key: string): void {
    if (this.stopped || this.running(kind, key)) return;
    this.stats.restarted += 1;
    const epoch = this.epoch;
    this.track(
      storedMirrorsOf(this.options.store, kind, key)
        .then((stored) => {
          if (this.stopped || epoch !== this.epoch || this.running(kind, key)) return;
          return this.actorFor(kind, key, stored).observe();
        })
        .catch(() => undefined),
    );
  }

  /** A user's request for the mirror `kind`/`name`, routed to its owner; `body` is validated here. */
  async request(kind: string, name: string, verb: string, body: unknown): Promise<unknown> {
    const checked = checkedRequest(kind, name, verb, body);
    const actor = this.owners.get(kind, name);
    const retryAt = this.restarts.retryAt(kind, name);
    if (!actor && retryAt !== undefined) {
      const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
      throw new ApiError(
        'Unavailable',
        `${kind} ${name}: its actor is restarting after a failure; retry in ${seconds}s`,
      );
    }
    if (!actor) throw new NotFoundError(`${kind} ${JSON.stringify(name)} not found`);
    return actor.command(checked.verb, checked.command, name);
  }
}
