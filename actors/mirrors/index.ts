/**
 * actors/mirrors: pure builders that turn Docker's inspect results (dockerode's types) into the mirror
 * resources of protocol/mirrors, and the comparison the writer uses to skip writes that would change
 * nothing but `observedAt`.
 *
 * Builders are deterministic: equal engine state gives byte-equal JSON whatever order Docker lists ports,
 * bindings, digests, labels, options, networks, subnets or containers in, because every mirror write
 * mints a new KV revision and wakes every watcher (the S2/S3/S6 churn of the Go original).
 *
 * May import protocol/ and dockerode's types only; no I/O happens here.
 */
export { containerMirror, type ContainerMirrorOptions } from './build-container.js';
export { imageMirrors } from './build-image.js';
export { volumeMirror, type VolumeInspect } from './build-volume.js';
export { networkMirror } from './build-network.js';
export { namespaceMirror } from './build-namespace.js';
export { sameMirrorContent } from './same-mirror-content.js';
export type { MirrorOptions } from './canonical.js';
