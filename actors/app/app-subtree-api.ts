/**
 * What the App subtree offers the rest of the daemon (its child value in the root supervisor), apart
 * from the subtree itself so the root's typed child keys can name it without importing the subtree.
 */
import type { MirrorSupervisor } from '../mirrors/mirror-supervisor.js';
import type { AppActorApi } from './app.actor.js';

/** What the API asks of the mirrors: a user's request, routed to the mirror's owner in-process. */
export type MirrorRequests = Pick<MirrorSupervisor, 'request'>;

/** The subtree's value: the App actor, and the engine actor's mirrors while it runs. */
export interface AppSubtreeApi extends AppActorApi {
  /** The running engine actor's mirror supervisor; throws while the engine actor is not running. */
  mirrors(): MirrorRequests;
}
