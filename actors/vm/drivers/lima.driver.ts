/**
 * The `lima` driver: a Lima VM per rdd instance (own LIMA_HOME under the instance dir), provisioned
 * from the rendered template with moby or containerd (and k3s), the guest docker socket forwarded to
 * the instance's socket. The VM outlives a daemon killed outright; the next daemon adopts it.
 *
 * A changed template is applied by overwriting the stopped instance's `lima.yaml`, which Lima re-reads
 * at every start (what `limactl edit` does too): deleting and re-creating would throw away the VM's
 * disk — images, containers, volumes — for a cpus or memory change.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isAlive, readPidFile } from '../../../host/processes.js';
import type { EngineHandle, VmConfig, VmDriver } from '../driver.js';
import { waitForEngine } from './engine-ping.js';
import { millisecondsFromEnv } from './environment.js';
import { abortReason, EngineStartError, EngineStopError } from './errors.js';
import { limaTemplateFingerprint, renderLimaTemplate } from './lima-template.js';
import {
  findLimaInstance,
  limaHome,
  limaInstanceName,
  limactlRun,
  resolveLimactl,
  type LimaInstance,
  type Limactl,
} from './limactl.js';
import { appendLine, tailLines, withTail } from './log-file.js';
import { watchUntil, type Watch } from './watch.js';

/** First boots download an image and install packages; later ones take seconds. */
const defaultStartTimeoutMs = 20 * 60_000;
const socketTimeoutMs = 60_000;
const createTimeoutMs = 10 * 60_000;
const stopTimeoutMs = 5 * 60_000;
const forceStopTimeoutMs = 60_000;
const pidPollMs = 1_000;
/** `limactl list` is slow-ish (it reads every instance): once every this many pid polls. */
const listEveryPolls = 10;

interface Tracked {
  stopping: boolean;
  readonly watch: Watch;
}

export function limaDriver(): VmDriver {
  const tracked = new Map<string, Tracked>();
  return {
    name: 'lima',
    start: (config, signal) => startLima(config, signal, tracked),
    stop: (config) => stopLima(config, tracked),
    detach: (config) => {
      const name = limaInstanceName(config.instance);
      const entry = tracked.get(name);
      if (!entry) return;
      entry.stopping = true;
      entry.watch.cancel();
      tracked.delete(name);
      config.logger.info(`Detached from the Lima VM ${name}; it keeps running for the next VM actor to adopt`);
    },
    fingerprint: (config) => limaTemplateFingerprint(config),
  };
}

/** rdd's copy of the rendered template and the fingerprint of the one the instance last got. */
function templateFiles(config: VmConfig): { rendered: string; applied: string } {
  return { rendered: path.join(config.paths.dir, 'lima.yaml'), applied: path.join(config.paths.dir, 'lima.applied') };
}

async function startLima(config: VmConfig, signal: AbortSignal, tracked: Map<string, Tracked>): Promise<EngineHandle> {
  const { logger } = config;
  const limactl = await resolveLimactl(config);
  const name = limaInstanceName(config.instance);
  for (const dir of [config.paths.dir, config.paths.run_dir, config.paths.log_dir, limaHome(config.paths)]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  }
  const yaml = renderLimaTemplate(config);
  const fingerprint = limaTemplateFingerprint(config);
  const files = templateFiles(config);
  await fs.writeFile(files.rendered, yaml, { mode: 0o600 });
  signal.throwIfAborted();

  let instance = await findLimaInstance(limactl, name);
  if (instance?.status === 'Running') {
    if (await templateApplied(instance, files.applied, fingerprint, yaml)) {
      logger.info(`Adopting the running Lima VM ${name}…`);
      return ready(config, limactl, name, instance, true, signal, tracked);
    }
    logger.info(`Stopping the Lima VM ${name} to apply its changed template…`);
    await limactlRun(limactl, ['stop', name], { timeoutMs: stopTimeoutMs });
    instance = await findLimaInstance(limactl, name);
  }
  if (instance === null) {
    logger.info(`Creating the Lima VM ${name}…`);
    await appendLine(limactl.logFile, `limactl create --name ${name} ${files.rendered}`);
    await limactlRun(limactl, ['create', '--tty=false', `--name=${name}`, files.rendered], {
      timeoutMs: createTimeoutMs,
    });
    instance = await findLimaInstance(limactl, name);
    if (instance === null)
      throw new EngineStartError(`the Lima VM ${name}`, 'limactl create succeeded but lists no such VM');
  } else if (!(await templateApplied(instance, files.applied, fingerprint, yaml))) {
    logger.info(`Applying the changed template to the Lima VM ${name}`);
    await fs.writeFile(path.join(instance.dir, 'lima.yaml'), yaml);
  }
  await fs.writeFile(files.applied, `${fingerprint}\n`, { mode: 0o600 });

  logger.info(`Starting the Lima VM ${name}…`);
  await appendLine(limactl.logFile, `limactl start ${name}`);
  try {
    await limactlRun(limactl, ['start', '--tty=false', name], {
      timeoutMs: millisecondsFromEnv(config.env, 'RDD_LIMA_START_TIMEOUT_MS', defaultStartTimeoutMs),
      signal,
    });
  } catch (error) {
    if (signal.aborted) {
      // `limactl start` may have booted the VM before it was killed: stop it rather than leave it.
      await limactlRun(limactl, ['stop', '--force', name], { timeoutMs: forceStopTimeoutMs }).catch(() => undefined);
      throw abortReason(signal, `starting the Lima VM ${name}`);
    }
    const tail = await tailLines(limactl.logFile, 15);
    throw new EngineStartError(`the Lima VM ${name}`, withTail((error as Error).message, limactl.logFile, tail), {
      cause: error,
    });
  }
  const started = (await findLimaInstance(limactl, name)) ?? instance;
  return ready(config, limactl, name, started, false, signal, tracked);
}

/**
 * True when the instance already runs this template: the fingerprint rdd recorded when it last
 * created or edited it, else (no record) Lima's stored copy compared byte for byte.
 */
async function templateApplied(
  instance: LimaInstance,
  appliedFile: string,
  fingerprint: string,
  yaml: string,
): Promise<boolean> {
  const recorded = await fs.readFile(appliedFile, 'utf8').catch(() => null);
  if (recorded !== null) return recorded.trim() === fingerprint;
  const stored = await fs.readFile(path.join(instance.dir, 'lima.yaml'), 'utf8').catch(() => null);
  return stored === yaml;
}

/** Waits for the forwarded socket (moby), then follows the host agent until the VM stops. */
async function ready(
  config: VmConfig,
  limactl: Limactl,
  name: string,
  instance: LimaInstance,
  adopted: boolean,
  signal: AbortSignal,
  tracked: Map<string, Tracked>,
): Promise<EngineHandle> {
  const socket = config.paths.docker_socket;
  // containerd has no docker socket to forward: `limactl start` passing its probes is the readiness.
  if (config.engine === 'moby') {
    try {
      await waitForEngine(socket, { timeoutMs: socketTimeoutMs, signal });
    } catch (error) {
      if (!signal.aborted)
        throw new EngineStartError(`the Lima VM ${name}`, (error as Error).message, { cause: error });
      if (!adopted) {
        await limactlRun(limactl, ['stop', '--force', name], { timeoutMs: forceStopTimeoutMs }).catch(() => undefined);
      }
      throw abortReason(signal, `starting the Lima VM ${name}`);
    }
  }
  const pid = (await readPidFile(path.join(instance.dir, 'ha.pid'))) ?? instance.hostAgentPID ?? null;
  tracked.get(name)?.watch.cancel();
  const entry: Tracked = { stopping: false, watch: watchHostAgent(limactl, name, pid) };
  tracked.set(name, entry);
  const died = entry.watch.died.then((error) => {
    if (!entry.stopping) config.logger.warn(error.message);
    return error;
  });
  config.logger.info(
    `${adopted ? 'Adopted' : 'Started'} the Lima VM ${name}${pid === null ? '' : ` (host agent pid ${pid})`}`,
  );
  return { socket, adopted, died, ...(pid === null ? {} : { pid }) };
}

function watchHostAgent(limactl: Limactl, name: string, pid: number | null): Watch {
  let polls = 0;
  return watchUntil(async () => {
    if (pid !== null && !isAlive(pid)) return `the Lima host agent of ${name} (pid ${pid}) exited`;
    if (++polls % listEveryPolls !== 0 && pid !== null) return null;
    const instance = await findLimaInstance(limactl, name);
    if (instance === null) return `the Lima VM ${name} is gone`;
    return instance.status === 'Running' ? null : `the Lima VM ${name} is ${instance.status}`;
  }, pidPollMs);
}

async function stopLima(config: VmConfig, tracked: Map<string, Tracked>): Promise<void> {
  const { logger } = config;
  const name = limaInstanceName(config.instance);
  const entry = tracked.get(name);
  if (entry) {
    entry.stopping = true;
    entry.watch.cancel();
    tracked.delete(name);
  }
  const limactl = await resolveLimactl(config);
  const instance = await findLimaInstance(limactl, name);
  if (instance === null || instance.status !== 'Running') return;
  logger.info(`Stopping the Lima VM ${name}…`);
  try {
    await limactlRun(limactl, ['stop', name], { timeoutMs: stopTimeoutMs });
  } catch (error) {
    logger.warn(`limactl stop ${name} failed (${(error as Error).message}); forcing it`);
    await limactlRun(limactl, ['stop', '--force', name], { timeoutMs: forceStopTimeoutMs }).catch((forced: Error) =>
      logger.warn(`limactl stop --force ${name} failed: ${forced.message}`),
    );
  }
  const after = await findLimaInstance(limactl, name);
  if (after?.status === 'Running')
    throw new EngineStopError(`the Lima VM ${name}`, 'it is still running after limactl stop --force');
  logger.info(`Stopped the Lima VM ${name}`);
}
