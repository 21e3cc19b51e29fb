import { ApiError } from '../../protocol/api-error.js';
import { UsageError } from '../exit-codes.js';
import { container, image, volume } from '../kubectl/resources.fixtures.js';
import { kubectlBooleans } from './ctl-command.js';
import { parseOutput } from './render.js';
import { findByName, parseTarget } from './target.js';
import { judge, parseWaitFor } from './wait-for.js';

describe('parseTarget', () => {
  it.each([
    [['containers'], 'Container', []],
    [['c', 'web'], 'Container', ['web']],
    [['container/web', 'c/db'], 'Container', ['web', 'db']],
    [['img/busybox:latest'], 'Image', ['busybox:latest']],
    [['app', 'app'], 'App', ['app']],
    [['image', 'rdd-test/busybox:latest'], 'Image', ['rdd-test/busybox:latest']],
    [['img/rdd-test/busybox:latest'], 'Image', ['rdd-test/busybox:latest']],
  ])('should read %j as %s %j', (args, kind, names) => {
    expect(parseTarget(args)).toMatchObject({ info: { kind }, names });
  });

  it.each([[['container/']], [['container/web', 'image/x']], [[]]])('should refuse %j as a usage error', (args) => {
    expect(() => parseTarget(args)).toThrow(UsageError);
  });

  it('should list the valid kinds for an unknown one', () => {
    expect(() => parseTarget(['pods'])).toThrow(/unknown kind "pods"; valid kinds: app \(apps\), container/);
  });
});

describe('findByName', () => {
  const web = container({ name: 'web' });
  const items = [web];

  it.each([
    ['the mirror name', web.metadata.name],
    ['the container name', 'web'],
    ['a unique ID prefix', web.metadata.name.slice(0, 6)],
  ])('should find a container by %s', (_case, name) => {
    expect(findByName(items, name)).toBe(web);
  });

  it('should not match a prefix shorter than 4 characters or an unknown name', () => {
    expect(findByName(items, web.metadata.name.slice(0, 3))).toBeNull();
    expect(findByName(items, 'db')).toBeNull();
  });

  it('should refuse an ambiguous name, listing the candidates', () => {
    const twin = { ...volume({ name: 'data' }), metadata: { ...volume().metadata, name: 'vol-other' } };
    expect(() => findByName([volume({ name: 'data' }), twin], 'data')).toThrow(ApiError);
  });

  it('should find an image by its tag', () => {
    const busybox = image({ repoTag: 'busybox:latest' });
    expect(findByName([busybox], 'busybox:latest')).toBe(busybox);
  });
});

describe('parseOutput', () => {
  it.each(['table', 'wide', 'json', 'yaml', 'name'])('should accept %s', (form) => {
    expect(parseOutput(form)).toEqual({ form });
  });

  it('should parse a jsonpath template and custom columns', () => {
    expect(parseOutput('jsonpath={.items[*].metadata.name}').form).toBe('jsonpath');
    expect(parseOutput('custom-columns=NAME:.status.name').form).toBe('custom-columns');
  });

  it.each(['xml', 'json=1', 'jsonpath='])('should refuse %s naming the valid forms', (form) => {
    expect(() => parseOutput(form)).toThrow(UsageError);
  });
});

describe('wait --for', () => {
  const running = container({ name: 'web', status: 'running' });

  it.each([
    ['create', { kind: 'create' }],
    ['delete', { kind: 'delete' }],
    ['condition=Running', { kind: 'condition', type: 'Running', status: 'True' }],
    ['condition=Running=False', { kind: 'condition', type: 'Running', status: 'False' }],
  ])('should parse %s', (text, expected) => {
    expect(parseWaitFor(text)).toEqual(expected);
  });

  it.each(['exists', 'condition=', "jsonpath='{.a'"])('should refuse %s', (text) => {
    expect(() => parseWaitFor(text)).toThrow(UsageError);
  });

  it('should be met by jsonpath equality and not by another value', () => {
    expect(judge(parseWaitFor('jsonpath={.status.status}=running'), [running], ['web']).met).toBe(true);
    expect(judge(parseWaitFor('jsonpath={.status.status}=exited'), [running], ['web'])).toMatchObject({
      met: false,
      seen: '{.status.status}=running',
    });
  });

  it('should need every named object for create, and none for delete', () => {
    expect(judge({ kind: 'create' }, [running], ['web', 'db'])).toMatchObject({ met: false, seen: 'db not found' });
    expect(judge({ kind: 'delete' }, [running], ['db']).met).toBe(true);
    expect(judge({ kind: 'delete' }, [running], ['web']).met).toBe(false);
  });

  it('should need at least one match for create with a selector, and none left for delete', () => {
    expect(judge({ kind: 'create' }, [], []).met).toBe(false);
    expect(judge({ kind: 'create' }, [running], []).met).toBe(true);
    expect(judge({ kind: 'delete' }, [], []).met).toBe(true);
  });
});

describe('kubectlBooleans', () => {
  it('should turn kubectl booleans into oclif flags and leave everything else', () => {
    const argv = ['image/x', '--wait=false', '--force=true', '--no-headers=false', '--timeout=10s', '--wait=true'];

    expect(kubectlBooleans(argv, ['wait', 'force', 'no-headers'], ['wait'])).toEqual([
      'image/x',
      '--no-wait',
      '--force',
      '--timeout=10s',
      '--wait',
    ]);
  });
});
