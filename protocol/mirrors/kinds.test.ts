import { ApiError } from '../errors.js';
import { kindInfos, resolveKind, UnknownGroupError, UnknownKindError } from './kinds.js';

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

  it.each([
    ['image.containers.rancherdesktop.io', 'Image'],
    ['containernamespace.containers.rancherdesktop.io', 'ContainerNamespace'],
    ['container.containers.rancherdesktop.io', 'Container'],
    ['containers.v1alpha1.containers.rancherdesktop.io', 'Container'],
    ['app.app.rancherdesktop.io', 'App'],
    ['Volume.Containers.RancherDesktop.io', 'Volume'],
  ])('should resolve "%s", the form -o name prints, to %s', (text, kind) => {
    expect(resolveKind(text).kind).toBe(kind);
  });

  it.each(['image.example.io', 'app.containers.rancherdesktop.io', 'container.app.rancherdesktop.io', 'image.'])(
    'should refuse "%s", naming the valid groups',
    (text) => {
      const resolve = () => resolveKind(text);

      expect(resolve).toThrow(UnknownGroupError);
      expect(resolve).toThrow('valid groups: app.rancherdesktop.io, containers.rancherdesktop.io');
    },
  );

  it('should name the valid kinds when the kind of a qualified name is unknown', () => {
    expect(() => resolveKind('pod.containers.rancherdesktop.io')).toThrow(UnknownKindError);
  });

  it('should give every alias to exactly one kind when the table is read', () => {
    const aliases = kindInfos.flatMap((info) => info.aliases);

    expect(new Set(aliases).size).toBe(aliases.length);
  });
});
