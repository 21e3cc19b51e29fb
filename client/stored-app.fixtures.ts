/** A valid stored App, as the client's decode tests read it back. */
import { appApiVersion, appKind, appName, type App } from '../protocol/app.schema.js';

export const storedApp: App = {
  apiVersion: appApiVersion,
  kind: appKind,
  metadata: { name: appName, generation: 3 },
  spec: {
    running: true,
    containerEngine: { name: 'moby', mirrorImages: true },
    kubernetes: { enabled: false, version: '' },
    vm: { driver: 'dockerd', socket: '/run/docker.sock' },
  },
  status: { conditions: [] },
};
