/**
 * What the App subtree offers the rest of the daemon (its child value in the root supervisor), apart
 * from the subtree itself so the root's typed child keys can name it without importing the subtree.
 */
import type { EngineActorApi } from '../engine/engine.actor.js';
import type { MirrorSupervisor } from '../mirrors/mirror-supervisor.js';
import type { AppActorApi } from './app.actor.js';

/** What the API asks of the mirrors: a user's request, routed to the mirror's owner in-process. */
export type MirrorRequests = Pick<MirrorSupervisor, 'request'>;

/** What the API asks of the log server: a stream opened in-process, its chunks sent on the bus. */
export type LogOpener = ReturnType<EngineActorApi['logs']>;

/** What the engine actor counts, for `svc status`; zero while the engine actor is not running. */
export type EngineCounts = Pick<EngineActorApi, 'openLogStreams' | 'eventRoutingFailures'>;

/** The subtree's value: the App actor, and the engine actor's mirrors and log server while it runs. */
export interface AppSubtreeApi extends AppActorApi {
  /** The running engine actor's mirror supervisor; throws while the engine actor is not running. */
  mirrors(): MirrorRequests;
  /** The open engine connection's log server; throws while no engine connection is open. */
  logs(): LogOpener;
  engineCounts(): EngineCounts;
}
