/** What differs between images, volumes and networks for their actors (see engine-object.actor.ts). */
import type { ImageInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { Image } from '../../protocol/mirrors/image.schema.js';
import type { Network } from '../../protocol/mirrors/network.schema.js';
import type { Volume } from '../../protocol/mirrors/volume.schema.js';
import { imageMirrors } from './build-image.js';
import { networkMirror } from './build-network.js';
import { volumeMirror, type VolumeInspect } from './build-volume.js';
import type { ObjectAdapter } from './engine-object.actor.js';

export const imageAdapter: ObjectAdapter<ImageInspectInfo, Image> = {
  kind: 'Image',
  inspect: (engine, id) => engine.inspectImage(id),
  build: (inspect, options) => imageMirrors(inspect, options),
  // By tag, so only that tag goes; a dangling image by its ID. Never forced unless asked (an image in use stays).
  remove: (engine, mirror, force) => engine.removeImage(mirror.status.repoTag || mirror.status.id, force),
  undeletable: () => null,
  usedBy: (mirror, container) => container.status.image === mirror.status.id,
  forceRemovesInUse: true,
  describe: (mirror) => `image ${mirror.status.repoTag || mirror.status.id}`,
};

export const volumeAdapter: ObjectAdapter<VolumeInspect, Volume> = {
  kind: 'Volume',
  inspect: (engine, name) => engine.inspectVolume(name),
  build: (inspect, options) => [volumeMirror(inspect, options)],
  remove: (engine, mirror) => engine.removeVolume(mirror.status.name),
  undeletable: () => null,
  // Container mirrors hold no mounts: the engine's refusal names the volume's users, by ID.
  usedBy: () => false,
  // Already removed with force; the engine still keeps a volume a container mounts.
  forceRemovesInUse: false,
  describe: (mirror) => `volume ${mirror.status.name}`,
};

export const networkAdapter: ObjectAdapter<NetworkInspectInfo, Network> = {
  kind: 'Network',
  inspect: (engine, id) => engine.inspectNetwork(id),
  build: (inspect, options) => [networkMirror(inspect, options)],
  remove: (engine, mirror) => engine.removeNetwork(mirror.status.id),
  undeletable: (mirror) =>
    mirror.status.predefined
      ? `network ${mirror.status.name} is predefined by the engine (bridge, host and none cannot be deleted)`
      : null,
  usedBy: (mirror, container) => mirror.status.containers.includes(container.metadata.name),
  forceRemovesInUse: false,
  describe: (mirror) => `network ${mirror.status.name}`,
};
