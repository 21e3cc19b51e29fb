/** Names and namespaces as kubectl users write them: the qualified names `-o name` prints, `-n ""`. */
import { mirrorNamespace } from '../../protocol/mirrors/mirror.schema.js';
import { selectionOf } from './selection.js';
import { UsageError } from '../exit-codes.js';
import { parseTarget, parseTargets } from './target.js';

describe('parseTarget with the names -o name prints', () => {
  it.each([
    [['image.containers.rancherdesktop.io/img-6f19d1b94ba16ea0'], 'Image', ['img-6f19d1b94ba16ea0']],
    [['containernamespace.containers.rancherdesktop.io/moby'], 'ContainerNamespace', ['moby']],
    [['containernamespace.containers.rancherdesktop.io', 'moby'], 'ContainerNamespace', ['moby']],
    [['container.containers.rancherdesktop.io/abc', 'container/def'], 'Container', ['abc', 'def']],
    [['app.app.rancherdesktop.io/app'], 'App', ['app']],
  ])('should read %j as %s %j', (args, kind, names) => {
    expect(parseTarget(args)).toMatchObject({ info: { kind }, names });
  });

  it('should name the valid groups for a qualified kind of another group', () => {
    expect(() => parseTarget(['image.example.io/x'])).toThrow(
      /valid groups: app.rancherdesktop.io, containers.rancherdesktop.io/,
    );
  });
});

describe('selectionOf namespaces', () => {
  const target = parseTarget(['containers']);

  it.each([
    [{}, mirrorNamespace],
    [{ namespace: '' }, mirrorNamespace],
    [{ namespace: 'other' }, 'other'],
    [{ namespace: 'other', 'all-namespaces': true }, undefined],
  ])('should read %j as the namespace %s', (flags, namespace) => {
    expect(selectionOf(target, flags).namespace).toBe(namespace);
  });
});

describe('-n/--namespace on every ctl verb', () => {
  const verbs = ['get', 'delete', 'annotate', 'describe', 'wait', 'state', 'action'];

  it.each(verbs)('should take -n on ctl %s', async (verb) => {
    const command = ((await import(`../commands/ctl/${verb}.js`)) as { default: { flags: Record<string, unknown> } })
      .default;

    expect(command.flags.namespace).toMatchObject({ char: 'n', type: 'option' });
  });
});

describe('parseTargets: several kinds at once', () => {
  const kinds = (args: string[]): string[] => parseTargets(args).map((target) => target.info.kind);

  it('should read all as every mirror kind, without the App', () => {
    expect(kinds(['all'])).toEqual(['Container', 'Image', 'Volume', 'Network', 'ContainerNamespace']);
  });

  it.each([
    [['containers,images'], ['Container', 'Image']],
    [['img,c,images'], ['Image', 'Container']],
    [['container.containers.rancherdesktop.io,apps'], ['Container', 'App']],
    [
      ['container/web', 'image/busybox:latest', 'c/db'],
      ['Container', 'Image'],
    ],
  ])('should read %j as the kinds %j', (args, expected) => {
    expect(kinds(args)).toEqual(expected);
  });

  it('should keep the names of each kind when given KIND/NAME pairs', () => {
    expect(parseTargets(['container/web', 'image/busybox:latest', 'c/db']).map((t) => t.names)).toEqual([
      ['web', 'db'],
      ['busybox:latest'],
    ]);
  });

  it.each([[['containers,', 'x']], [['containers,images', 'web']], [['all', 'web']]])(
    'should refuse %j as a usage error',
    (args) => {
      expect(() => parseTargets(args)).toThrow(UsageError);
    },
  );
});
