/**
 * Renders the Lima template of an instance. Deterministic — the same settings give the same bytes —
 * because its sha256 is the driver's fingerprint: a change means the VM must restart to apply it.
 * `lima/rdd.example.yaml` is a rendering of it, kept in sync by a unit test.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Document } from 'yaml';
import type { VmConfig } from '../driver.js';
import {
  engineProbeScript,
  k3sDisableScript,
  k3sProbeScript,
  k3sProvisionScript,
  mobyProvisionScript,
} from './lima-scripts.js';
import { limaHome, limaInstanceName } from './limactl.js';

export const defaultCpus = 2;
export const defaultMemoryGiB = 6;

/** The settings a template depends on; nothing else (no logger, no env) may change its bytes. */
export type LimaTemplateSettings = Pick<
  VmConfig,
  'instance' | 'paths' | 'engine' | 'kubernetes' | 'cpus' | 'memoryGiB'
>;

/** Debian, like the dockerd driver's hosts, so `docker.io` behaves the same in and out of the VM. */
const images = [
  {
    location: 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
    arch: 'x86_64',
  },
  {
    location: 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-arm64.qcow2',
    arch: 'aarch64',
  },
];

/** Where Lima copies the k3s kubeconfig on the host (removed again when the VM stops). */
export function limaKubeconfigPath(settings: Pick<VmConfig, 'paths'>): string {
  return path.join(settings.paths.dir, 'kubeconfig.yaml');
}

function templateObject(settings: LimaTemplateSettings): Record<string, unknown> {
  const moby = settings.engine === 'moby';
  const k8s = settings.kubernetes.enabled;
  const provision = [
    ...(moby ? [{ mode: 'system', script: mobyProvisionScript() }] : []),
    {
      mode: 'system',
      script: k8s ? k3sProvisionScript(settings.engine, settings.kubernetes.version) : k3sDisableScript(),
    },
  ];
  const hint = `Provisioning logs to /var/log/cloud-init-output.log in the VM: LIMA_HOME='${limaHome(settings.paths)}' limactl shell ${limaInstanceName(settings.instance)} sudo tail -50 /var/log/cloud-init-output.log`;
  const probes = [
    { description: `the ${settings.engine} engine`, script: engineProbeScript(settings.engine), hint },
    ...(k8s ? [{ description: 'k3s', script: k3sProbeScript(), hint }] : []),
  ];
  return {
    minimumLimaVersion: '1.0.0',
    // vmType is left to Lima's default: vz on recent macOS, qemu elsewhere.
    images,
    cpus: settings.cpus ?? defaultCpus,
    memory: `${settings.memoryGiB ?? defaultMemoryGiB}GiB`,
    mounts: [{ location: '~', writable: true }],
    // moby: dockerd manages its own containerd. containerd: Lima's system containerd brings nerdctl,
    // buildkit and the CNI plugins (its "nerdctl-full" bundle), which Debian does not package.
    containerd: { system: !moby, user: false },
    provision,
    probes,
    ...(moby
      ? { portForwards: [{ guestSocket: '/var/run/docker.sock', hostSocket: settings.paths.docker_socket }] }
      : {}),
    ...(k8s
      ? {
          copyToHost: [{ guest: '/etc/rancher/k3s/k3s.yaml', host: limaKubeconfigPath(settings), deleteOnStop: true }],
        }
      : {}),
  };
}

export function renderLimaTemplate(settings: LimaTemplateSettings): string {
  const document = new Document(templateObject(settings));
  document.commentBefore = [
    ` Lima template of rdd instance "${settings.instance}", rendered by rdd at every start.`,
    ' Edits are overwritten; change the App instead (rdd set ...).',
  ].join('\n');
  // lineWidth 0: never fold long lines, so scripts and paths stay byte-for-byte what was rendered.
  return document.toString({ lineWidth: 0, singleQuote: true });
}

export function limaTemplateFingerprint(settings: LimaTemplateSettings): string {
  return createHash('sha256').update(renderLimaTemplate(settings)).digest('hex');
}
