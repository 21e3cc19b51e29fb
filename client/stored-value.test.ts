import { storedApp } from './stored-app.fixtures.js';
import { decode } from './store.js';
import { checkShape, decodeWith, InvalidStoredValueError } from './stored-value.js';

const app = storedApp;

const container = {
  apiVersion: 'containers.rancherdesktop.io/v1alpha1',
  kind: 'Container',
  metadata: { name: 'abc', namespace: 'rancher-desktop' },
  status: { name: 'web' },
};

/** A KV entry holding `value` as JSON under `key` at revision 7. */
const entry = (key: string, value: unknown) => ({
  key,
  revision: 7,
  string: () => (typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('decodeWith checkShape', () => {
  it.each([
    ['a valid App', 'App.app', app],
    ['a container (its status is the daemon’s to validate)', 'Container.abc', container],
    [
      'a kind only the daemon knows',
      'KeptDesiredState.abc',
      { apiVersion: 'x/v1', kind: 'KeptDesiredState', metadata: { name: 'abc' } },
    ],
  ])('should return %s as stored, with its revision', (_what, key, value) => {
    const decoded = decodeWith(entry(key, value), checkShape);

    expect(decoded).toEqual({ ...value, metadata: { ...value.metadata, resourceVersion: '7' } });
  });

  it.each([
    ['not JSON', 'App.app', '{"kind":', /^not JSON/],
    ['not an object', 'Container.abc', '[1]', /^expected an object$/],
    ['another apiVersion', 'Container.abc', { ...container, apiVersion: 'x' }, /^apiVersion: expected "containers\./],
    ['no name', 'Container.abc', { ...container, metadata: {} }, /^metadata\.name: /],
    ['another key', 'Container.abd', container, /^it says it is Container "abc"$/],
    [
      'an App with a bad spec',
      'App.app',
      { ...app, spec: { ...app.spec, running: 'yes' } },
      /^spec\.running: expected boolean$/,
    ],
    [
      'an App with an unknown driver',
      'App.app',
      { ...app, spec: { ...app.spec, vm: { driver: 'x', socket: '' } } },
      /^spec\.vm\.driver: expected auto\|lima/,
    ],
    [
      'an App with a fractional CPU count',
      'App.app',
      { ...app, spec: { ...app.spec, vm: { ...app.spec.vm, cpus: 1.5 } } },
      /^spec\.vm\.cpus: expected integer$/,
    ],
    ['an App without conditions', 'App.app', { ...app, status: {} }, /^status\.conditions: expected an array$/],
  ])('should refuse %s, naming the key, the revision and the issue', (_what, key, value, issue) => {
    const decoded = decodeWith(entry(key, value), checkShape);

    expect(decoded).toBeInstanceOf(InvalidStoredValueError);
    expect((decoded as InvalidStoredValueError).message).toMatch(
      `the stored ${key} (revision 7) is not a valid resource: `,
    );
    expect((decoded as InvalidStoredValueError).issue).toMatch(issue);
  });

  it('should refuse what the daemon’s full decode refuses for the App’s spec', () => {
    const spoiled = entry('App.app', { ...app, spec: { ...app.spec, running: 'yes please' } });

    expect(decode(spoiled)).toBeInstanceOf(InvalidStoredValueError);
    expect(decodeWith(spoiled, checkShape)).toBeInstanceOf(InvalidStoredValueError);
  });
});
