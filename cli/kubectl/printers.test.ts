import { containerSchema, imageSchema, mirrorSchema } from '../../protocol/mirrors/index.js';
import { appSchema } from '../../protocol/app.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { formatPorts, noResourcesMessage, renderNames, renderResources, resourceName } from './printers.js';
import { app, container, containerNamespace, image, network, NOW, volume } from './resources.fixtures.js';

describe('the fixtures', () => {
  it.each([container(), image(), volume(), network(), containerNamespace()])(
    'should be valid mirrors when built ($kind)',
    (mirror) => {
      expect(mirrorSchema.safeParse(mirror).success).toBe(true);
    },
  );

  it('should be a valid App when built', () => {
    expect(appSchema.safeParse(app()).success).toBe(true);
  });
});

describe('renderResources', () => {
  it.each<[string, Resource[], 'table' | 'wide', string]>([
    [
      'containers',
      [container(), container({ name: 'db', status: 'exited', imageName: 'postgres:16', createdAt: null })],
      'table',
      'NAME   ID             IMAGE          STATE     DESIRED   AGE\n' +
        'web    3f2a9c1d7e4b   nginx:alpine   running   running   3m\n' +
        'db     3f2a9c1d7e4b   postgres:16    exited    running   60m\n',
    ],
    [
      'containers wide',
      [container(), container({ ports: [], networks: [], conditions: [] }, { name: 'abc' })],
      'wide',
      'NAME   ID             IMAGE          STATE     DESIRED   AGE   PORTS                            NETWORKS         CONVERGED   LAST ACTION\n' +
        'web    3f2a9c1d7e4b   nginx:alpine   running   running   3m    127.0.0.1:8080->80/tcp,443/tcp   bridge,web-net   Converged   stop=Succeeded\n' +
        'web    abc            nginx:alpine   running   running   3m    <none>                           <none>           <none>      stop=Succeeded\n',
    ],
    [
      'a terminating container',
      [container({}, { deletionTimestamp: '2026-03-01T11:59:59Z' })],
      'table',
      'NAME   ID             IMAGE          STATE         DESIRED   AGE\n' +
        'web    3f2a9c1d7e4b   nginx:alpine   Terminating   running   3m\n',
    ],
    [
      'images',
      [image(), image({ repoTag: '', size: 512, createdAt: null }, { creationTimestamp: undefined })],
      'table',
      'REPO TAG       ID             SIZE     AGE\n' +
        'nginx:alpine   f746d1db2b9b   4.26MB   4d\n' +
        '<none>         f746d1db2b9b   512B     <unknown>\n',
    ],
    [
      'images wide',
      [image(), image({ repoDigests: [] })],
      'wide',
      'REPO TAG       ID             SIZE     AGE   NAME                   DIGESTS             OS/ARCH\n' +
        'nginx:alpine   f746d1db2b9b   4.26MB   4d    img-6f19d1b94ba16ea0   nginx@sha256:aaaa   linux/arm64\n' +
        'nginx:alpine   f746d1db2b9b   4.26MB   4d    img-6f19d1b94ba16ea0   <none>              linux/arm64\n',
    ],
    ['volumes', [volume()], 'table', 'NAME   DRIVER   AGE\ndata   local    3h\n'],
    [
      'volumes wide',
      [volume()],
      'wide',
      'NAME   DRIVER   AGE   MOUNTPOINT                           MIRROR NAME\n' +
        'data   local    3h    /var/lib/docker/volumes/data/_data   vol-bc7a898312d9\n',
    ],
    ['networks', [network()], 'table', 'NAME     DRIVER   SCOPE   AGE\nbridge   bridge   local   60m\n'],
    [
      'networks wide',
      [network({ subnets: ['172.17.0.0/16', 'fd00::/64'] })],
      'wide',
      'NAME     DRIVER   SCOPE   AGE   ID             SUBNETS\n' +
        'bridge   bridge   local   60m   fdeaaf539390   172.17.0.0/16,fd00::/64\n',
    ],
    ['container namespaces', [containerNamespace()], 'table', 'NAME   AGE\nmoby   60m\n'],
    ['the app', [app()], 'table', 'NAME   RUNNING   ENGINE   SETTLED   AGE\napp    True      True     False     2d\n'],
    [
      'the app wide',
      [app()],
      'wide',
      'NAME   RUNNING   ENGINE   SETTLED   AGE   DRIVER   GENERATION\napp    True      True     False     2d    lima     3\n',
    ],
    [
      'an unknown kind',
      [{ apiVersion: 'x.io/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: '2026-03-01T11:59:00Z' } }],
      'table',
      'NAME   AGE\nw      60s\n',
    ],
    [
      'mixed kinds',
      [volume(), network(), volume({ name: 'logs' })],
      'table',
      'NAME   DRIVER   AGE\ndata   local    3h\nlogs   local    3h\n\nNAME     DRIVER   SCOPE   AGE\nbridge   bridge   local   60m\n',
    ],
  ])('should print %s as a kubectl table', (_what, resources, format, expected) => {
    expect(renderResources(resources, { format, now: NOW })).toEqual({ stdout: expected, stderr: '' });
  });

  it('should leave out the header when noHeaders is set', () => {
    const { stdout } = renderResources([volume(), volume({ name: 'a-longer-name' })], { now: NOW, noHeaders: true });

    expect(stdout).toBe('data            local   3h\na-longer-name   local   3h\n');
  });

  it.each([
    ['rancher-desktop', 'No resources found in rancher-desktop namespace.\n'],
    [undefined, 'No resources found\n'],
  ])('should return kubectl notice for stderr when nothing is listed in namespace %s', (namespace, expected) => {
    expect(renderResources([], { now: NOW, namespace })).toEqual({ stdout: '', stderr: expected });
    expect(noResourcesMessage(namespace)).toBe(expected);
  });

  it('should print a container that passes schema validation after parsing', () => {
    const parsed = containerSchema.parse(container());

    expect(renderResources([parsed], { now: NOW }).stdout).toContain('web    3f2a9c1d7e4b');
  });
});

describe('formatPorts', () => {
  it.each([
    [[], '<none>'],
    [[{ name: '80/tcp', bindings: [] }], '80/tcp'],
    [[{ name: '80/tcp', bindings: [{ hostIP: '', hostPort: '8080' }] }], '0.0.0.0:8080->80/tcp'],
    [[{ name: '80/tcp', bindings: [{ hostIP: '::', hostPort: '8080' }] }], '[::]:8080->80/tcp'],
    [
      [
        {
          name: '53/udp',
          bindings: [
            { hostIP: '0.0.0.0', hostPort: '53' },
            { hostIP: '127.0.0.1', hostPort: '5353' },
          ],
        },
      ],
      '0.0.0.0:53->53/udp,127.0.0.1:5353->53/udp',
    ],
  ])('should print %j as %s', (ports, expected) => {
    expect(formatPorts(ports)).toBe(expected);
  });
});

describe('renderNames', () => {
  it.each<[string, Resource, string]>([
    [
      'a container',
      container(),
      'container.containers.rancherdesktop.io/3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
    ],
    ['an image', image(), 'image.containers.rancherdesktop.io/img-6f19d1b94ba16ea0'],
    ['a container namespace', containerNamespace(), 'containernamespace.containers.rancherdesktop.io/moby'],
    ['the app', app(), 'app.app.rancherdesktop.io/app'],
    ['a core kind', { apiVersion: 'v1', kind: 'List', metadata: { name: 'x' } }, 'list/x'],
  ])('should name %s as kubectl does', (_what, resource, expected) => {
    expect(resourceName(resource)).toBe(expected);
  });

  it('should print one name per line when given a list', () => {
    expect(renderNames([volume(), network()])).toEqual({
      stdout:
        'volume.containers.rancherdesktop.io/vol-bc7a898312d9\nnetwork.containers.rancherdesktop.io/net-1e9639d60965\n',
      stderr: '',
    });
  });

  it('should print nothing at all when the list is empty, as kubectl -o name does', () => {
    expect(renderNames([])).toEqual({ stdout: '', stderr: '' });
  });

  it('should accept an image that passes schema validation', () => {
    expect(renderNames([imageSchema.parse(image())]).stdout).toBe(
      'image.containers.rancherdesktop.io/img-6f19d1b94ba16ea0\n',
    );
  });
});
