import { storedApp } from './stored-app.fixtures.js';
import { decode, InvalidStoredValueError } from './store.js';

const app = storedApp;

/** A KV entry holding `text` under `key` at revision 7. */
const entry = (key: string, text: string) => ({ key, revision: 7, string: () => text });

describe('decode', () => {
  it('should return a valid stored App as it was stored, with its revision', () => {
    expect(decode(entry('App.app', JSON.stringify(app)))).toEqual({
      ...app,
      metadata: { ...app.metadata, resourceVersion: '7' },
    });
  });

  it('should check a kind only the daemon knows against the resource envelope', () => {
    const kept = { apiVersion: 'x/v1', kind: 'KeptDesiredState', metadata: { name: 'abc' }, spec: { any: 1 } };

    expect(decode(entry('KeptDesiredState.abc', JSON.stringify(kept)))).toMatchObject({ spec: { any: 1 } });
  });

  it.each([
    ['not JSON', 'App.app', '{"kind":', /^not JSON/],
    [
      'an App with a bad spec',
      'App.app',
      JSON.stringify({ ...app, spec: { ...app.spec, running: 'yes' } }),
      /^spec\.running: /,
    ],
    ['an App without its status', 'App.app', JSON.stringify({ ...app, status: undefined }), /^status: /],
    ['a mirror without its metadata', 'Container.abc', JSON.stringify({ kind: 'Container' }), /apiVersion|metadata/],
    ['a value filed under another key', 'App.other', JSON.stringify(app), /it says it is App "app"/],
    ['JSON that is no object', 'Volume.v', '42', /expected object/],
  ])('should refuse %s naming the key, the revision and the issue', (_case, key, text, issue) => {
    // Act
    const decoded = decode(entry(key, text));

    // Assert
    expect(decoded).toBeInstanceOf(InvalidStoredValueError);
    const invalid = decoded as InvalidStoredValueError;
    expect(invalid).toMatchObject({ key, revision: 7, code: 'Internal' });
    expect(invalid.issue).toMatch(issue);
    expect(invalid.message).toContain(`the stored ${key} (revision 7) is not a valid resource: `);
  });

  it('should keep the generation an invalid value claims, for a writer that compares and swaps over it', () => {
    const decoded = decode(entry('App.app', JSON.stringify({ ...app, spec: {} })));

    expect((decoded as InvalidStoredValueError).generation).toBe(3);
  });
});
