import type { Resource } from '../../protocol/resource.schema.js';
import { describeResource, smartLabel } from './describe.js';
import { app, container, NOW, volume } from './resources.fixtures.js';

describe('describeResource', () => {
  it('should describe a container with its spec, status, conditions and last action', () => {
    const text = describeResource(container({ args: ['-g', 'daemon off;'] }), NOW);

    expect(text).toBe(
      [
        'Name:         3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
        'Namespace:    rancher-desktop',
        'Kind:         Container',
        'API Version:  containers.rancherdesktop.io/v1alpha1',
        'Labels:       app=web',
        'Annotations:  <none>',
        'Created:      2026-03-01T11:00:00Z (60m ago)',
        'Spec:',
        '  State:  running',
        'Status:',
        '  Name:           web',
        '  Namespace:      moby',
        '  Path:           nginx',
        '  Args:',
        '    - -g',
        '    - daemon off;',
        '  Image:          sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985',
        '  Image Name:     nginx:alpine',
        '  Ports:',
        '    - Name:      80/tcp',
        '      Bindings:',
        '        - Host IP:    127.0.0.1',
        '          Host Port:  8080',
        '    - Name:      443/tcp',
        '      Bindings:  <none>',
        '  Status:         running',
        '  PID:            4242',
        '  Exit Code:      0',
        '  Error:',
        '  OOM Killed:     false',
        '  Health:         <none>',
        '  Restart Count:  0',
        '  Created At:     2026-03-01T11:57:00Z',
        '  Started At:     2026-03-01T11:57:01Z',
        '  Finished At:    <none>',
        '  Networks:',
        '    - bridge',
        '    - web-net',
        '  Observed At:    2026-03-01T11:59:59Z',
        'Conditions:',
        '  Type        Status   Reason      Message                               Last Transition',
        '  ----        ------   ------      -------                               ---------------',
        '  Converged   True     Converged   the container is running as desired   2026-03-01T11:59:55Z (5s ago)',
        'Last Action:',
        '  Action:        stop',
        '  State:         Succeeded',
        '  Observed At:   2026-03-01T11:58:00Z',
        '  Completed At:  2026-03-01T11:58:02Z',
        '',
      ].join('\n'),
    );
  });

  it('should describe the App without a namespace and with nested spec objects', () => {
    const text = describeResource(app(), NOW);

    expect(text).toBe(
      [
        'Name:         app',
        'Kind:         App',
        'API Version:  app.rancherdesktop.io/v1alpha1',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Created:      2026-02-27T12:00:00Z (2d ago)',
        'Generation:   3',
        'Spec:',
        '  Running:           true',
        '  Container Engine:',
        '    Name:           moby',
        '    Mirror Images:  true',
        '  Kubernetes:',
        '    Enabled:  false',
        '    Version:',
        '  VM:',
        '    Driver:  lima',
        '    Socket:',
        'Conditions:',
        '  Type                   Status   Reason    Message   Last Transition',
        '  ----                   ------   ------    -------   ---------------',
        '  ContainerEngineReady   True     Ready               2026-03-01T11:50:00Z (10m ago)',
        '  Running                True     Ready               2026-03-01T11:50:00Z (10m ago)',
        '  Settled                False    Waiting             2026-03-01T11:50:00Z (10m ago)',
        '',
      ].join('\n'),
    );
  });

  it('should list labels and annotations one per line, sorted, under the value column', () => {
    const resource: Resource = {
      ...volume(),
      metadata: {
        name: 'v',
        labels: { 'com.docker.compose.project': 'shop', app: 'db' },
        annotations: { 'rdd.io/note': 'kept', a: 'b' },
      },
    };

    const text = describeResource(resource, NOW);

    expect(text).toContain(
      'Labels:       app=db\n              com.docker.compose.project=shop\n' +
        'Annotations:  a: b\n              rdd.io/note: kept\n',
    );
  });

  it.each([
    ['shows', { opt: 'x' }, '  Labels:'],
    ['drops', {}, undefined],
  ])('should %s status.labels when they differ from metadata.labels (%j)', (_what, labels, expected) => {
    const text = describeResource(volume({ labels }), NOW);

    if (expected === undefined) expect(text).not.toContain('  Labels:');
    else expect(text).toContain(`${expected}\n    opt:  x\n`);
  });

  it('should say Terminating with the age when a deletion is pending', () => {
    const text = describeResource(container({}, { deletionTimestamp: '2026-03-01T11:59:30Z' }), NOW);

    expect(text).toContain('\nTerminating:  since 2026-03-01T11:59:30Z (30s ago)\n');
  });

  it('should list the finalizers, one a line, and leave the line out when there are none', () => {
    const finalized = describeResource(container({}, { finalizers: ['engine.rancherdesktop.io/mirror', 'x/y'] }), NOW);
    const plain = describeResource(container(), NOW);

    expect(finalized).toContain('\nFinalizers:   engine.rancherdesktop.io/mirror\n              x/y\n');
    expect(plain).not.toContain('Finalizers:');
  });

  it.each([
    ['no last action', container({ lastAction: undefined }), 'Last Action:  <none>\n'],
    ['no conditions', container({ conditions: [] }), 'Conditions:  <none>\n'],
    [
      'a failed action',
      container({
        lastAction: {
          action: 'kill',
          state: 'Failed',
          error: 'no such container',
          observedAt: 't1',
          completedAt: 't2',
        },
      }),
      'Last Action:\n  Action:        kill\n  State:         Failed\n  Error:         no such container\n',
    ],
  ])('should describe a container with %s', (_what, resource, expected) => {
    expect(describeResource(resource, NOW)).toContain(expected);
  });

  it.each([
    ['a volume', volume()],
    ['the app', app()],
  ])('should not print a last action for %s', (_what, resource) => {
    expect(describeResource(resource, NOW)).not.toContain('Last Action');
  });
});

describe('smartLabel', () => {
  it.each([
    ['name', 'Name'],
    ['restartCount', 'Restart Count'],
    ['hostIP', 'Host IP'],
    ['oomKilled', 'OOM Killed'],
    ['id', 'ID'],
    ['os', 'OS'],
    ['memoryGiB', 'Memory GiB'],
    ['containerEngine', 'Container Engine'],
    ['com.docker.compose.project', 'com.docker.compose.project'],
    ['k8s', 'k8s'],
  ])('should label %s as %s', (key, expected) => {
    expect(smartLabel(key)).toBe(expected);
  });
});
