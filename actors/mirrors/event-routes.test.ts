import type { EngineEvent } from '../engine/engine-events.js';
import { baseAction, routesOf, type Route } from './event-routes.js';

const CONTAINER = 'c'.repeat(64);
const IMAGE = `sha256:${'a'.repeat(64)}`;
const NETWORK = 'n'.repeat(64);
const VOLUME = 'data';

function event(Type: string, Action: string, ID: string, Attributes?: Record<string, string>): EngineEvent {
  return { Type, Action, Actor: Attributes ? { ID, Attributes } : { ID } };
}

const container = (cause: string, spawn = true): Route => ({ kind: 'Container', key: CONTAINER, cause, spawn });
const image = (cause: string, spawn: boolean, key = IMAGE): Route => ({ kind: 'Image', key, cause, spawn });
const volume = (cause: string, spawn: boolean): Route => ({ kind: 'Volume', key: VOLUME, cause, spawn });
const network = (cause: string, spawn: boolean): Route => ({ kind: 'Network', key: NETWORK, cause, spawn });

describe('routesOf', () => {
  it.each<[string, EngineEvent, Route[]]>([
    // Containers: every state change routes to the container, started on demand; a removal starts nothing.
    ['container create', event('container', 'create', CONTAINER), [container('create')]],
    ['container start', event('container', 'start', CONTAINER), [container('start')]],
    ['container stop', event('container', 'stop', CONTAINER), [container('stop')]],
    ['container die', event('container', 'die', CONTAINER, { exitCode: '3' }), [container('die')]],
    ['container kill', event('container', 'kill', CONTAINER, { signal: '9' }), [container('kill')]],
    ['container pause', event('container', 'pause', CONTAINER), [container('pause')]],
    ['container unpause', event('container', 'unpause', CONTAINER), [container('unpause')]],
    ['container restart', event('container', 'restart', CONTAINER), [container('restart')]],
    ['container rename', event('container', 'rename', CONTAINER, { oldName: '/web' }), [container('rename')]],
    ['container update', event('container', 'update', CONTAINER), [container('update')]],
    ['container oom', event('container', 'oom', CONTAINER), [container('oom')]],
    ['container destroy', event('container', 'destroy', CONTAINER), [container('destroy', false)]],
    [
      'container health_status: healthy',
      event('container', 'health_status: healthy', CONTAINER),
      [container('health_status')],
    ],
    [
      'container health_status: unhealthy',
      event('container', 'health_status: unhealthy', CONTAINER),
      [container('health_status')],
    ],
    ['container exec_start (ignored)', event('container', 'exec_start: sh -c true', CONTAINER), []],
    ['container exec_create (ignored)', event('container', 'exec_create: sh', CONTAINER), []],
    ['container attach (ignored)', event('container', 'attach', CONTAINER), []],
    ['container resize (ignored)', event('container', 'resize', CONTAINER), []],
    // Images: a pull names the reference it pulled, every other event the image ID.
    [
      'image pull by reference',
      event('image', 'pull', 'busybox:latest'),
      [{ ...image('pull', true, 'busybox:latest'), reference: true }],
    ],
    ['image import', event('image', 'import', IMAGE), [image('import', true)]],
    ['image load', event('image', 'load', IMAGE), [image('load', true)]],
    ['image tag', event('image', 'tag', IMAGE, { name: 'busybox:v2' }), [image('tag', true)]],
    ['image untag', event('image', 'untag', IMAGE), [image('untag', false)]],
    ['image delete', event('image', 'delete', IMAGE), [image('delete', false)]],
    ['image save (ignored)', event('image', 'save', IMAGE), []],
    ['image push (ignored)', event('image', 'push', 'busybox:latest'), []],
    // Volumes: created and destroyed; mounts change nothing a mirror shows.
    ['volume create', event('volume', 'create', VOLUME), [volume('create', true)]],
    ['volume destroy', event('volume', 'destroy', VOLUME), [volume('destroy', false)]],
    ['volume mount (ignored)', event('volume', 'mount', VOLUME, { container: CONTAINER }), []],
    ['volume unmount (ignored)', event('volume', 'unmount', VOLUME, { container: CONTAINER }), []],
    // Networks: connect and disconnect change the attached container's mirror too.
    ['network create', event('network', 'create', NETWORK), [network('create', true)]],
    ['network destroy', event('network', 'destroy', NETWORK), [network('destroy', false)]],
    [
      'network connect',
      event('network', 'connect', NETWORK, { container: CONTAINER }),
      [network('connect', true), { kind: 'Container', key: CONTAINER, cause: 'network_connect', spawn: false }],
    ],
    [
      'network disconnect',
      event('network', 'disconnect', NETWORK, { container: CONTAINER }),
      [network('disconnect', false), { kind: 'Container', key: CONTAINER, cause: 'network_disconnect', spawn: false }],
    ],
    ['network connect without a container', event('network', 'connect', NETWORK), [network('connect', true)]],
    // Types rdd does not mirror.
    ['plugin enable (unknown type)', event('plugin', 'enable', 'p'.repeat(64)), []],
    ['daemon reload (unknown type)', event('daemon', 'reload', 'd'.repeat(64)), []],
    ['builder prune (unknown type)', event('builder', 'prune', 'b'.repeat(64)), []],
    ['service create (unknown type)', event('service', 'create', 's'.repeat(64)), []],
  ])('should route %s', (_name, engineEvent, expected) => {
    // Arrange: the table row

    // Act
    const routes = routesOf(engineEvent);

    // Assert
    expect(routes).toEqual(expected);
  });

  it.each<[string, EngineEvent]>([
    ['no Actor', { Type: 'container', Action: 'start' }],
    ['no Actor.ID', { Type: 'container', Action: 'start', Actor: { Attributes: { name: 'web' } } }],
    ['an empty Actor.ID', { Type: 'container', Action: 'die', Actor: { ID: '' } }],
    ['an empty Action', { Type: 'container', Action: '', Actor: { ID: CONTAINER } }],
    [
      'a network event without Actor.ID',
      { Type: 'network', Action: 'connect', Actor: { Attributes: { container: CONTAINER } } },
    ],
  ])('should route nothing when the event has %s', (_name, engineEvent) => {
    // Arrange: the table row

    // Act
    const routes = routesOf(engineEvent);

    // Assert
    expect(routes).toEqual([]);
  });

  it('should never read the legacy status, id and from fields', () => {
    // Arrange: a legacy-only event (Docker before 1.22 sent these without Type/Action/Actor)
    const legacy = { status: 'start', id: CONTAINER, from: 'busybox' } as unknown as EngineEvent;

    // Act
    const routes = routesOf(legacy);

    // Assert
    expect(routes).toEqual([]);
  });
});

describe('baseAction', () => {
  it.each([
    ['health_status: healthy', 'health_status'],
    ['exec_start: sh -c echo hi', 'exec_start'],
    ['exec_create: /bin/sh', 'exec_create'],
    ['start', 'start'],
    ['  die ', 'die'],
  ])('should read %j as %j', (action, expected) => {
    // Arrange: the table row

    // Act
    const base = baseAction(action);

    // Assert
    expect(base).toBe(expected);
  });
});
