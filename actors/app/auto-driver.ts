/**
 * Resolves `vm.driver=auto` once, at admission: lima when limactl is installed; else dockerd when
 * running as root with dockerd installed; else external when an engine socket answers; else a clear
 * error saying how to get each.
 */
import { ApiError } from '../../protocol/errors.js';
import type { VmDriverName } from '../../protocol/app.schema.js';
import { pingEngine } from '../vm/drivers/engine-ping.js';
import { findExecutable } from '../vm/drivers/environment.js';

export async function resolveAutoDriver(env: NodeJS.ProcessEnv, socket: string): Promise<VmDriverName> {
  if (await findExecutable(env.RDD_LIMACTL || 'limactl', env)) return 'lima';
  if (process.getuid?.() === 0 && (await findExecutable(env.RDD_DOCKERD || 'dockerd', env))) return 'dockerd';
  try {
    await pingEngine(socket, 2_000);
    return 'external';
  } catch {
    throw new ApiError(
      'Invalid',
      'vm.driver=auto found no way to run an engine: install Lima (brew install lima, or see lima-vm.io) for vm.driver=lima; ' +
        'or, on Linux as root, install dockerd (apt-get install docker.io) for vm.driver=dockerd; ' +
        `or start an engine whose socket answers at ${socket} (or set vm.socket) for vm.driver=external`,
      { property: 'vm.driver' },
    );
  }
}
