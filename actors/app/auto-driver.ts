/**
 * Resolves `vm.driver=auto` once, at admission. On Linux: dockerd (in its own user and network
 * namespace) whenever its prerequisites are all met, for root and non-root alike — it needs no VM;
 * else lima when limactl is installed; else external when an engine socket answers. Elsewhere (macOS):
 * lima, else external. When nothing fits, the error lists what dockerd lacks and how to get the others.
 */
import { ApiError } from '../../protocol/errors.js';
import type { VmDriverName } from '../../protocol/app.schema.js';
import { pingEngine } from '../vm/drivers/engine-ping.js';
import { findExecutable } from '../vm/drivers/environment.js';
import {
  describeMissing,
  gatherRootlessFacts,
  missingPrerequisites,
  type MissingPrerequisite,
} from '../vm/drivers/rootless-prerequisites.js';

export interface AutoDriverFacts {
  readonly platform: NodeJS.Platform;
  /** What the dockerd driver lacks here (checked on Linux only). */
  readonly dockerdMissing: readonly MissingPrerequisite[];
  readonly hasLimactl: boolean;
}

/** The driver `auto` means on this machine, before asking whether an external engine answers. */
export function preferredDriver(facts: AutoDriverFacts): 'dockerd' | 'lima' | null {
  if (facts.platform === 'linux' && facts.dockerdMissing.length === 0) return 'dockerd';
  return facts.hasLimactl ? 'lima' : null;
}

export async function resolveAutoDriver(env: NodeJS.ProcessEnv, socket: string): Promise<VmDriverName> {
  const platform = process.platform;
  const dockerdMissing = platform === 'linux' ? missingPrerequisites(await gatherRootlessFacts(env)) : [];
  const hasLimactl = (await findExecutable(env.RDD_LIMACTL || 'limactl', env)) !== null;
  const preferred = preferredDriver({ platform, dockerdMissing, hasLimactl });
  if (preferred) return preferred;
  try {
    await pingEngine(socket, 2_000);
    return 'external';
  } catch {
    const dockerd = platform === 'linux' ? `for vm.driver=dockerd, ${describeMissing(dockerdMissing)}; ` : '';
    throw new ApiError(
      'Invalid',
      `vm.driver=auto found no way to run an engine: ${dockerd}` +
        'install Lima (brew install lima, or see lima-vm.io) for vm.driver=lima; ' +
        `or start an engine whose socket answers at ${socket} (or set vm.socket) for vm.driver=external`,
      { property: 'vm.driver' },
    );
  }
}
