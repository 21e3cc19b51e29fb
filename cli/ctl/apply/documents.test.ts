import { UsageError } from '../../exit-codes.js';
import { bareDryRunIsClient } from './flags.js';
import { NotFoundError } from '../../../protocol/api-error.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import type { ResourceStore } from '../../../client/store.js';
import { parseObjects, storedFor } from './documents.js';

describe('parseObjects', () => {
  it('should read every YAML document and flatten a kubectl List, in order', () => {
    const text = [
      'kind: App\nmetadata: {name: app}',
      '---',
      'apiVersion: v1\nkind: List\nitems:\n- {kind: Container, metadata: {name: a}}\n- {kind: Container, metadata: {name: b}}',
      '---',
      '',
    ].join('\n');

    expect(parseObjects(text, 'f.yaml').map((object) => (object.metadata as { name: string }).name)).toEqual([
      'app',
      'a',
      'b',
    ]);
  });

  it('should read JSON', () => {
    expect(parseObjects('{"kind":"App","metadata":{"name":"app"}}', '-')).toEqual([
      { kind: 'App', metadata: { name: 'app' } },
    ]);
  });

  it.each([
    ['malformed YAML', 'kind: [App', /f\.yaml: document 1 is not valid YAML or JSON/],
    ['a document that is not an object', '- a\n- b', /f\.yaml: document 1 is not an object/],
    ['nothing at all', '---\n', /f\.yaml: no objects to apply/],
  ])('should refuse %s as a usage error naming the input', (_name, text, message) => {
    const attempt = () => parseObjects(text, 'f.yaml');

    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });
});

describe('bareDryRunIsClient', () => {
  it("should read kubectl's bare --dry-run as client, and --dry-run server as --dry-run=server", () => {
    expect(bareDryRunIsClient(['--dry-run', '-f', 'x'])).toEqual(['--dry-run=client', '-f', 'x']);
    expect(bareDryRunIsClient(['--dry-run', 'server'])).toEqual(['--dry-run=server']);
    expect(bareDryRunIsClient(['--dry-run=none'])).toEqual(['--dry-run=none']);
  });
});

describe('storedFor and namespaces', () => {
  const container = (namespace: string): Resource => ({
    apiVersion: 'containers.rancherdesktop.io/v1alpha1',
    kind: 'Container',
    metadata: { name: 'c1', namespace },
  });
  const storeHolding = (resource: Resource): ResourceStore =>
    ({
      get: (_kind: string, name: string) => Promise.resolve(name === resource.metadata.name ? resource : null),
    }) as unknown as ResourceStore;
  const document = (namespace?: string) => ({
    kind: 'Container',
    metadata: { name: 'c1', ...(namespace ? { namespace } : {}) },
  });

  it('should find a mirror in its own namespace, else in -n, else in rdd namespace', async () => {
    const other = storeHolding(container('other'));

    await expect(storedFor(other, document('other'))).resolves.toMatchObject({ metadata: { namespace: 'other' } });
    await expect(storedFor(other, document(), 'other')).resolves.toMatchObject({ metadata: { namespace: 'other' } });
    await expect(storedFor(other, document())).rejects.toThrow(NotFoundError);
    await expect(storedFor(storeHolding(container('rancher-desktop')), document(), '')).resolves.toBeDefined();
  });

  it('should refuse an object whose namespace -n contradicts, naming both', async () => {
    await expect(storedFor(storeHolding(container('other')), document('other'), 'rancher-desktop')).rejects.toThrow(
      /in namespace "other", not "rancher-desktop" as -n says/,
    );
  });
});
