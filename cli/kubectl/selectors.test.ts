import { ApiError } from '../../protocol/api-error.js';
import type { Resource } from '../../protocol/resource.schema.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectableFieldsOf,
} from './selectors.js';

function container(name: string, status: string, labels: Record<string, string> = {}): Resource {
  return {
    apiVersion: 'containers.rancherdesktop.io/v1alpha1',
    kind: 'Container',
    metadata: { name: `${name}-id`, namespace: 'rancher-desktop', labels },
    status: { name, status, namespace: 'moby', exitCode: 0, health: null },
  };
}

describe('parseFieldSelector', () => {
  it.each([
    ['status.name=web', [{ field: 'status.name', operator: '=', value: 'web' }]],
    ['status.name==web', [{ field: 'status.name', operator: '=', value: 'web' }]],
    ['status.status!=exited', [{ field: 'status.status', operator: '!=', value: 'exited' }]],
    [
      'status.name=web,status.status!=exited',
      [
        { field: 'status.name', operator: '=', value: 'web' },
        { field: 'status.status', operator: '!=', value: 'exited' },
      ],
    ],
    ['status.name=', [{ field: 'status.name', operator: '=', value: '' }]],
    ['status.name=a\\,b', [{ field: 'status.name', operator: '=', value: 'a,b' }]],
    ['status.name=a\\=b', [{ field: 'status.name', operator: '=', value: 'a=b' }]],
    ['status.name=a=b', [{ field: 'status.name', operator: '=', value: 'a=b' }]],
    [' status.name = web', [{ field: 'status.name', operator: '=', value: ' web' }]],
    ['', []],
    ['status.name=web,', [{ field: 'status.name', operator: '=', value: 'web' }]],
  ])('should parse %j', (text, expected) => {
    expect(parseFieldSelector(text)).toEqual(expected);
  });

  it.each(['status.name', 'status.name!', '=web', 'a=1,b', 'status.name=a\\qb'])(
    'should reject %j as Invalid',
    (text) => {
      expect(() => parseFieldSelector(text)).toThrow(ApiError);
      expect(() => parseFieldSelector(text)).toThrow(`invalid field selector ${JSON.stringify(text)}`);
    },
  );

  it.each([
    ['Container', 'status.status=running'],
    ['Container', 'metadata.namespace=rancher-desktop'],
    ['Image', 'status.repoTag=busybox:latest,status.id=sha256:1'],
    ['Volume', 'status.name=data'],
    ['Network', 'status.name=bridge'],
    ['ContainerNamespace', 'metadata.name=moby'],
    ['App', 'metadata.name=app'],
  ])('should accept a %s selector on a selectable field (%s)', (kind, text) => {
    expect(() => parseFieldSelector(text, kind)).not.toThrow();
  });

  it.each([
    ['Container', 'status.image=x', 'metadata.name, metadata.namespace, status.name, status.namespace, status.status'],
    ['Image', 'status.name=x', 'metadata.name, metadata.namespace, status.id, status.namespace, status.repoTag'],
    ['Volume', 'status.driver=local', 'metadata.name, metadata.namespace, status.name, status.namespace'],
    ['Network', 'status.driver=bridge', 'metadata.name, metadata.namespace, status.name, status.namespace'],
    ['ContainerNamespace', 'status.name=moby', 'metadata.name, metadata.namespace'],
    ['App', 'metadata.namespace=x', 'metadata.name'],
  ])('should reject a %s selector on %s listing the selectable fields', (kind, text, fields) => {
    const parse = () => parseFieldSelector(text, kind);

    expect(parse).toThrow(ApiError);
    expect(parse).toThrow(`not supported for ${kind}; selectable fields: ${fields}`);
  });

  it('should give the metadata fields when the kind is unknown', () => {
    expect(selectableFieldsOf('Widget')).toEqual(['metadata.name', 'metadata.namespace']);
  });
});

describe('matchesFields', () => {
  const web = container('web', 'running');

  it.each([
    ['status.name=web', true],
    ['status.name=db', false],
    ['status.name!=web', false],
    ['status.name!=db', true],
    ['status.name=web,status.status=running', true],
    ['status.name=web,status.status!=running', false],
    ['metadata.namespace=rancher-desktop', true],
    ['status.missing=', true],
    ['status.missing!=', false],
    ['status.health=', true],
    ['status.exitCode=0', true],
    ['', true],
  ])('should give %j → %s', (text, expected) => {
    expect(matchesFields(web, parseFieldSelector(text))).toBe(expected);
  });
});

describe('parseLabelSelector', () => {
  it.each([
    ['app=web', [{ key: 'app', operator: 'equals', values: ['web'] }]],
    ['app==web', [{ key: 'app', operator: 'equals', values: ['web'] }]],
    ['app!=web', [{ key: 'app', operator: 'notEquals', values: ['web'] }]],
    ['app', [{ key: 'app', operator: 'exists', values: [] }]],
    ['!app', [{ key: 'app', operator: 'doesNotExist', values: [] }]],
    ['app in (web,db)', [{ key: 'app', operator: 'in', values: ['web', 'db'] }]],
    ['app notin (web, db)', [{ key: 'app', operator: 'notIn', values: ['web', 'db'] }]],
    ['app=', [{ key: 'app', operator: 'equals', values: [''] }]],
    [
      'com.docker.compose.project=my-app,tier',
      [
        { key: 'com.docker.compose.project', operator: 'equals', values: ['my-app'] },
        { key: 'tier', operator: 'exists', values: [] },
      ],
    ],
    [
      ' a = b , ! c ',
      [
        { key: 'a', operator: 'equals', values: ['b'] },
        { key: 'c', operator: 'doesNotExist', values: [] },
      ],
    ],
    ['', []],
  ])('should parse %j', (text, expected) => {
    expect(parseLabelSelector(text)).toEqual(expected);
  });

  it.each([
    ['=web', 'expected a label key at position 1'],
    ['app=web,', 'expected a label key at position 9'],
    ['app in web', 'expected "(" after in at position 8'],
    ['app in ()', 'expected a value in the in set at position 9'],
    ['app in (a b)', 'expected "," or ")" in the in set at position 11'],
    ['app in (a', 'expected "," or ")" in the in set at position 10'],
    ['app notin', 'expected "(" after notin at position 10'],
    ['app foo', 'expected =, ==, !=, in or notin after "app" at position 5'],
    ['!app=web', 'unexpected "=" at position 5'],
    ['a=b c', 'unexpected "c" at position 5'],
    ['app=(x)', 'unexpected "(" at position 5'],
  ])('should reject %j naming the problem and position', (text, message) => {
    const parse = () => parseLabelSelector(text);

    expect(parse).toThrow(ApiError);
    expect(parse).toThrow(message);
  });
});

describe('matchesLabels', () => {
  const labeled = container('web', 'running', { app: 'web', tier: 'front' });
  const bare = container('db', 'running');

  it.each([
    ['app=web', true, false],
    ['app=db', false, false],
    ['app!=db', true, true],
    ['app!=web', false, true],
    ['app', true, false],
    ['!app', false, true],
    ['app in (db,web)', true, false],
    ['app in (db)', false, false],
    ['app notin (db)', true, true],
    ['app notin (web)', false, true],
    ['app=web,tier=front', true, false],
    ['app=web,tier=back', false, false],
    ['tier=', false, false],
    ['', true, true],
  ])('should give %j → %s for a labeled and %s for an unlabeled resource', (text, forLabeled, forBare) => {
    const requirements = parseLabelSelector(text);

    expect([matchesLabels(labeled, requirements), matchesLabels(bare, requirements)]).toEqual([forLabeled, forBare]);
  });

  it('should treat missing metadata.labels as no labels', () => {
    const app: Resource = { apiVersion: 'app.rancherdesktop.io/v1alpha1', kind: 'App', metadata: { name: 'app' } };

    expect(matchesLabels(app, parseLabelSelector('!x'))).toBe(true);
  });
});
