/**
 * The shell scripts of rdd's Lima template: provisioning (run as root at every boot, so each one is
 * idempotent and cheap once done) and readiness probes (run as the Lima user; `limactl start` returns
 * only once they pass). `{{.User}}` is Lima's template variable for the guest user.
 */
import type { EngineName } from '../../../protocol/app.schema.js';

function script(lines: readonly string[]): string {
  return ['#!/bin/bash', 'set -eux -o pipefail', ...lines, ''].join('\n');
}

export function mobyProvisionScript(): string {
  return script([
    '# rdd: moby from Debian (docker.io), the engine rdd mirrors through the forwarded socket.',
    '# The host agent forwards the socket as the Lima user, so that user must own it.',
    'mkdir -p /etc/systemd/system/docker.socket.d',
    `printf '[Socket]\\nSocketUser=%s\\n' '{{.User}}' >/etc/systemd/system/docker.socket.d/rdd.conf`,
    'if ! command -v dockerd >/dev/null 2>&1; then',
    '  export DEBIAN_FRONTEND=noninteractive',
    '  apt-get update',
    '  apt-get install -y --no-install-recommends docker.io',
    'fi',
    'systemctl daemon-reload',
    'systemctl enable --now docker.socket docker.service',
  ]);
}

/** `1.30.4` → `v1.30.4+k3s1`; a version that already names its k3s build keeps it. */
export function k3sRelease(version: string): string {
  const bare = version.trim().replace(/^v/, '');
  return bare.includes('+') ? `v${bare}` : `v${bare}+k3s1`;
}

/** k3s runs its pods on the same engine the user's containers run on, so images are shared. */
function k3sServerFlags(engine: EngineName): string {
  return engine === 'moby'
    ? 'server --docker --write-kubeconfig-mode 644'
    : 'server --container-runtime-endpoint unix:///run/containerd/containerd.sock --write-kubeconfig-mode 644';
}

/**
 * Installs k3s (a pinned release, or the stable channel when no version is set) and re-installs it when
 * the release or the engine changed, remembered in /var/lib/rdd/k3s-install.
 */
export function k3sProvisionScript(engine: EngineName, version: string): string {
  const source = version.trim() ? `INSTALL_K3S_VERSION='${k3sRelease(version)}'` : 'INSTALL_K3S_CHANNEL=stable';
  const flags = k3sServerFlags(engine);
  return script([
    `# rdd: Kubernetes (k3s) on the ${engine} engine.`,
    `want="${source} ${flags}"`,
    'if [ -x /usr/local/bin/k3s ] && [ "$(cat /var/lib/rdd/k3s-install 2>/dev/null)" = "$want" ]; then',
    '  systemctl enable --now k3s',
    '  exit 0',
    'fi',
    `curl -sfL https://get.k3s.io | ${source} INSTALL_K3S_EXEC='${flags}' sh -`,
    'mkdir -p /var/lib/rdd',
    'printf "%s" "$want" >/var/lib/rdd/k3s-install',
  ]);
}

/** Kubernetes off: stop a k3s an earlier setting installed; its data stays for when it is back on. */
export function k3sDisableScript(): string {
  return script([
    '# rdd: Kubernetes is off.',
    'if [ -e /etc/systemd/system/k3s.service ]; then',
    '  systemctl disable --now k3s',
    'fi',
  ]);
}

function waitScript(what: string, test: string, seconds: number, complaint: string): string {
  return script([
    `# rdd: wait for ${what}.`,
    `if ! timeout ${seconds}s bash -c 'until ${test}; do sleep 2; done'; then`,
    `  echo >&2 '${complaint}'`,
    '  exit 1',
    'fi',
  ]);
}

export function engineProbeScript(engine: EngineName): string {
  return engine === 'moby'
    ? waitScript('dockerd', 'docker info >/dev/null 2>&1', 180, 'dockerd does not answer on /var/run/docker.sock')
    : waitScript('containerd', 'sudo nerdctl info >/dev/null 2>&1', 180, 'containerd does not answer');
}

export function k3sProbeScript(): string {
  return waitScript('k3s', 'test -f /etc/rancher/k3s/k3s.yaml', 300, 'k3s has not written its kubeconfig');
}
