import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { instancePaths } from '../../../protocol/instance.js';
import { limaTemplateFingerprint, renderLimaTemplate, type LimaTemplateSettings } from './lima-template.js';

const paths = instancePaths('dev', { platform: 'darwin', home: '/Users/ann', env: {} });
const base: LimaTemplateSettings = {
  instance: 'dev',
  paths,
  engine: 'moby',
  kubernetes: { enabled: false, version: '' },
};

interface Template {
  cpus: number;
  memory: string;
  mounts: { location: string; writable: boolean }[];
  containerd: { system: boolean; user: boolean };
  provision: { mode: string; script: string }[];
  probes: { script: string }[];
  portForwards?: { guestSocket: string; hostSocket: string }[];
  copyToHost?: { guest: string; host: string }[];
}

function render(settings: Partial<LimaTemplateSettings> = {}): Template {
  return parse(renderLimaTemplate({ ...base, ...settings })) as Template;
}

const allScripts = (template: Template): string => template.provision.map((step) => step.script).join('\n');

describe('renderLimaTemplate', () => {
  it('should forward the guest docker socket to the instance socket when the engine is moby', () => {
    // Act
    const template = render();

    // Assert
    expect(template.portForwards).toEqual([{ guestSocket: '/var/run/docker.sock', hostSocket: paths.docker_socket }]);
    expect(template.containerd).toEqual({ system: false, user: false });
    expect(allScripts(template)).toContain('apt-get install -y --no-install-recommends docker.io');
    expect(allScripts(template)).toContain('SocketUser=%s');
    expect(template.probes[0]!.script).toContain('docker info');
  });

  it('should use Lima system containerd and forward no socket when the engine is containerd', () => {
    // Act
    const template = render({ engine: 'containerd' });

    // Assert
    expect(template.portForwards).toBeUndefined();
    expect(template.containerd).toEqual({ system: true, user: false });
    expect(allScripts(template)).not.toContain('docker.io');
    expect(template.probes[0]!.script).toContain('nerdctl info');
  });

  it.each([
    { engine: 'moby', version: '1.30.4', source: "INSTALL_K3S_VERSION='v1.30.4+k3s1'", runtime: '--docker' },
    { engine: 'moby', version: '', source: 'INSTALL_K3S_CHANNEL=stable', runtime: '--docker' },
    {
      engine: 'containerd',
      version: 'v1.29.1+k3s2',
      source: "INSTALL_K3S_VERSION='v1.29.1+k3s2'",
      runtime: '--container-runtime-endpoint unix:///run/containerd/containerd.sock',
    },
  ] as const)(
    'should install k3s with $source and $runtime when kubernetes is on with version "$version" on $engine',
    ({ engine, version, source, runtime }) => {
      // Act
      const template = render({ engine, kubernetes: { enabled: true, version } });

      // Assert
      const scripts = allScripts(template);
      expect(scripts).toContain(`curl -sfL https://get.k3s.io | ${source} INSTALL_K3S_EXEC='server ${runtime}`);
      expect(template.probes.map((probe) => probe.script).join('\n')).toContain('/etc/rancher/k3s/k3s.yaml');
      expect(template.copyToHost).toEqual([
        expect.objectContaining({ guest: '/etc/rancher/k3s/k3s.yaml', host: path.join(paths.dir, 'kubeconfig.yaml') }),
      ]);
    },
  );

  it('should disable an installed k3s and not install one when kubernetes is off', () => {
    // Act
    const template = render({ kubernetes: { enabled: false, version: '1.30.4' } });

    // Assert
    expect(allScripts(template)).toContain('systemctl disable --now k3s');
    expect(allScripts(template)).not.toContain('get.k3s.io');
    expect(template.copyToHost).toBeUndefined();
  });

  it.each([
    { cpus: undefined, memoryGiB: undefined, expected: { cpus: 2, memory: '6GiB' } },
    { cpus: 4, memoryGiB: 8, expected: { cpus: 4, memory: '8GiB' } },
    { cpus: 1, memoryGiB: 1.5, expected: { cpus: 1, memory: '1.5GiB' } },
  ])('should ask for $expected.cpus cpus and $expected.memory when cpus=$cpus memoryGiB=$memoryGiB', (row) => {
    // Act
    const template = render({
      ...(row.cpus === undefined ? {} : { cpus: row.cpus }),
      ...(row.memoryGiB === undefined ? {} : { memoryGiB: row.memoryGiB }),
    });

    // Assert
    expect({ cpus: template.cpus, memory: template.memory }).toEqual(row.expected);
  });

  it('should mount the home directory writable when rendered', () => {
    expect(render().mounts).toEqual([{ location: '~', writable: true }]);
  });

  it('should render identical bytes when rendered twice with the same settings', () => {
    // Act
    const first = renderLimaTemplate({ ...base, kubernetes: { enabled: true, version: '1.30.4' } });
    const second = renderLimaTemplate({ ...base, kubernetes: { enabled: true, version: '1.30.4' } });

    // Assert
    expect(second).toBe(first);
  });
});

describe('limaTemplateFingerprint', () => {
  const reference = limaTemplateFingerprint(base);

  it.each<[string, Partial<LimaTemplateSettings>]>([
    ['cpus', { cpus: 3 }],
    ['memory', { memoryGiB: 4 }],
    ['engine', { engine: 'containerd' }],
    ['kubernetes on', { kubernetes: { enabled: true, version: '' } }],
    ['the socket path', { paths: { ...paths, docker_socket: '/tmp/other.sock' } }],
  ])('should change when %s changes', (_what, change) => {
    expect(limaTemplateFingerprint({ ...base, ...change })).not.toBe(reference);
  });

  it('should stay the same when only the defaults are spelled out', () => {
    expect(limaTemplateFingerprint({ ...base, cpus: 2, memoryGiB: 6 })).toBe(reference);
  });

  it('should be a sha256 hex digest when computed', () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('lima/rdd.example.yaml', () => {
  const example = path.resolve(__dirname, '..', '..', '..', 'lima', 'rdd.example.yaml');
  const settings: LimaTemplateSettings = {
    instance: 'default',
    paths: instancePaths('default', { platform: 'darwin', home: '/Users/dev', env: {} }),
    engine: 'moby',
    kubernetes: { enabled: true, version: '1.30.4' },
  };

  it('should be what the renderer produces when rendered with the example settings', () => {
    // Arrange: RDD_UPDATE_LIMA_EXAMPLE=1 rewrites the example after a deliberate template change.
    const rendered = renderLimaTemplate(settings);
    if (process.env.RDD_UPDATE_LIMA_EXAMPLE === '1') fs.writeFileSync(example, rendered);

    // Act
    const onDisk = fs.readFileSync(example, 'utf8');

    // Assert
    expect(onDisk).toBe(rendered);
  });
});
