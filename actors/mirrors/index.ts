/**
 * actors/mirrors: the mirrors of the engine and the actors that own them.
 *
 * - `mirror-supervisor.ts` runs one actor per engine object, started on demand and restarted with
 *   backoff after a crash (transient: an object that went away is never restarted). It routes engine
 *   events and users' requests through maps: O(1) per event. `sync.ts` is the snapshot (list, then
 *   inspect with bounded parallelism); `actors/engine/mirror-session.ts` ties it to the event stream.
 * - `container.actor.ts` runs `machines/container.machine.ts` per container; `engine-object.actor.ts`
 *   owns an image's, a volume's or a network's mirrors (`object-adapters.ts` holds what differs).
 * - The builders (`build-*.ts`) turn Docker's inspect results into mirrors, deterministically: equal
 *   engine state gives byte-equal JSON whatever order Docker lists ports, bindings, digests, labels,
 *   options, networks, subnets or containers in, because every write mints a KV revision and wakes
 *   every watcher (the S2/S3/S6 churn of the Go original). `mirror-writer.ts` skips writes that would
 *   change nothing but `observedAt`.
 *
 * Deviations from DESIGN.md, with the reasons:
 * - One actor per engine image, owning one mirror per tag, rather than one per Image mirror: tag and
 *   untag change several mirrors of one image at once, and one writer keeps them consistent.
 * - The mirrors supervisor is its own small class, not `actors/supervision`'s Supervisor: those
 *   children are declared up front and started in order; these come and go with engine objects,
 *   thousands at a time, and must cost little each. Crashes and restarts are reported the same way.
 * - Users' requests reach an actor on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>` through one
 *   wildcard subscription of the supervisor, not one subscription per actor (memory per mirror).
 */
export { containerMirror, type ContainerMirrorOptions } from './build-container.js';
export { imageMirrors } from './build-image.js';
export { volumeMirror, type VolumeInspect } from './build-volume.js';
export { networkMirror } from './build-network.js';
export { namespaceMirror } from './build-namespace.js';
export { sameMirrorContent } from './same-mirror-content.js';
export type { MirrorOptions } from './canonical.js';
