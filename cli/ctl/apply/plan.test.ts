import { ApiError } from '../../../protocol/api-error.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import { patched } from './patches.js';
import { planWrite } from './plan.js';

const action = 'containers.rancherdesktop.io/action';

function container(): Resource {
  return {
    apiVersion: 'containers.rancherdesktop.io/v1alpha1',
    kind: 'Container',
    metadata: { name: 'a'.repeat(64), namespace: 'rancher-desktop', resourceVersion: '7' },
    spec: { state: 'unknown' },
    status: { name: 'web', status: 'running' },
  };
}

function app(): Resource {
  return {
    apiVersion: 'app.rancherdesktop.io/v1alpha1',
    kind: 'App',
    metadata: { name: 'app', generation: 3, resourceVersion: '9' },
    spec: {
      running: true,
      containerEngine: { name: 'moby', mirrorImages: true },
      kubernetes: { enabled: false, version: '' },
      vm: { driver: 'dockerd', socket: '', cpus: 2 },
    },
    status: { conditions: [] },
  };
}

const roundTrip = (resource: Resource) => structuredClone(resource) as unknown as Record<string, unknown>;

describe('planWrite', () => {
  it('should ask for nothing when the object comes back as it was read, stale counters included', () => {
    const read = roundTrip(container());
    (read.metadata as Record<string, unknown>).resourceVersion = '1';

    expect(planWrite(container(), read, 'unchanged')).toEqual({ kind: 'Container' });
    expect(planWrite(app(), roundTrip(app()), 'unchanged')).toEqual({ kind: 'App', changes: {} });
  });

  it("should turn a container's edited spec.state and action annotation into the write", () => {
    const edited = roundTrip(container());
    edited.spec = { state: 'created' };
    edited.metadata = { ...(edited.metadata as object), annotations: { [action]: 'restart' } };

    expect(planWrite(container(), edited, 'unchanged')).toEqual({
      kind: 'Container',
      state: 'created',
      action: 'restart',
    });
  });

  it("should turn the App's edited leaves into rdd set's PROPERTY=VALUE changes", () => {
    const edited = patched(app(), '{"spec":{"running":false,"vm":{"cpus":4}}}', 'merge');

    expect(planWrite(app(), edited, 'reset')).toEqual({ kind: 'App', changes: { running: 'false', 'vm.cpus': '4' } });
  });

  it('should reset a property a patch removes to its default', () => {
    const edited = patched(app(), '[{"op":"remove","path":"/spec/vm/cpus"}]', 'json');

    expect(planWrite(app(), edited, 'reset')).toEqual({ kind: 'App', changes: { 'vm.cpus': '' } });
  });

  it.each([
    ['a changed status', '{"status":{"status":"exited"}}', /status\.status cannot be changed \(it is written by rdd\)/],
    ['a label', '{"metadata":{"labels":{"a":"b"}}}', /metadata\.labels cannot be changed.*writable are/],
    ['another spec field', '{"spec":{"image":"x"}}', /spec\.image cannot be changed/],
    ['another annotation', '{"metadata":{"annotations":{"x":"y"}}}', /annotation "x" is not supported/],
    ['an unknown action', `{"metadata":{"annotations":{"${action}":"explode"}}}`, /valid values: start, stop/],
  ])('should refuse %s on a container, naming the field', (_name, patch, message) => {
    const attempt = () => planWrite(container(), patched(container(), patch, 'merge'), 'reset');

    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(message);
  });

  it('should refuse a bad App value with the words rdd set gives', () => {
    const attempt = () => planWrite(app(), patched(app(), '{"spec":{"running":"maybe"}}', 'merge'), 'reset');

    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(/running/);
  });

  it('should refuse any change to a read-only kind', () => {
    const image: Resource = { ...container(), kind: 'Image', spec: {} };

    expect(() => planWrite(image, { ...roundTrip(image), spec: { x: 1 } }, 'unchanged')).toThrow(
      /spec\.x cannot be changed \(it is read-only: rdd mirrors this Image from the engine\)/,
    );
  });
});

describe('patched', () => {
  it('should refuse a JSON patch whose test fails, naming the operation', () => {
    const attempt = () => patched(container(), '[{"op":"test","path":"/spec/state","value":"running"}]', 'json');

    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(/does not apply at operation.*"op":"test"/);
  });
});
