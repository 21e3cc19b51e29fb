import { ApiError } from '../errors.js';
import { kindInfos, resolveKind, UnknownKindError } from './kinds.js';

describe('resolveKind', () => {
  it.each([
    ['app', 'App'],
    ['container', 'Container'],
    ['containers', 'Container'],
    ['c', 'Container'],
    ['image', 'Image'],
    ['images', 'Image'],
    ['img', 'Image'],
    ['volume', 'Volume'],
    ['volumes', 'Volume'],
    ['vol', 'Volume'],
    ['containernamespace', 'ContainerNamespace'],
    ['containernamespaces', 'ContainerNamespace'],
    ['cns', 'ContainerNamespace'],
    ['network', 'Network'],
    ['networks', 'Network'],
    ['apps', 'App'],
    ['net', 'Network'],
    ['ContainerNamespace', 'ContainerNamespace'],
    ['IMG', 'Image'],
    [' vol ', 'Volume'],
  ])('should resolve "%s" to %s', (text, kind) => {
    expect(resolveKind(text).kind).toBe(kind);
  });

  it.each([
    ['App', 'app.rancherdesktop.io/v1alpha1'],
    ['Container', 'containers.rancherdesktop.io/v1alpha1'],
    ['Network', 'containers.rancherdesktop.io/v1alpha1'],
  ])('should give the API version of %s when resolved', (kind, apiVersion) => {
    expect(resolveKind(kind).apiVersion).toBe(apiVersion);
  });

  it.each(['', 'pods', 'cont', 'application', 'n'])(
    'should throw an error listing the valid kinds when given "%s"',
    (text) => {
      const resolve = () => resolveKind(text);

      expect(resolve).toThrow(UnknownKindError);
      expect(resolve).toThrow(
        `unknown kind "${text}"; valid kinds: app (apps), container (containers, c), image (images, img), ` +
          'volume (volumes, vol), network (networks, net), containernamespace (containernamespaces, cns)',
      );
    },
  );

  it('should throw an Invalid ApiError when the kind is unknown', () => {
    const error = (() => {
      try {
        resolveKind('pods');
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'Invalid', name: 'UnknownKindError', details: { kind: 'pods' } });
  });

  it('should give every alias to exactly one kind when the table is read', () => {
    const aliases = kindInfos.flatMap((info) => info.aliases);

    expect(new Set(aliases).size).toBe(aliases.length);
  });
});
