/**
 * The docker CLI's context for an instance's engine, written in the CLI's own on-disk format under
 * `$DOCKER_CONFIG` (default `~/.docker`), so a plain `docker …` can reach rdd's engine:
 * `contexts/meta/<sha256 of the name>/meta.json` holds the endpoint, `config.json` the current context.
 *
 * config.json belongs to the user: only its `currentContext` key is ever changed, every other key is
 * written back as read, and a config.json that is not a JSON object is left alone (with a warning).
 * rdd makes its context current only when the user's current one is missing or does not answer, and
 * when it removes its context it also drops `currentContext` if it names it — a `currentContext`
 * naming a missing context breaks every docker command ("context not found").
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'winston';
import { describeError } from '../../protocol/errors.js';
import { pingEngine } from './drivers/engine-ping.js';

/** How long the user's current context gets to answer before rdd's replaces it. */
const currentContextPingMs = 1_500;
const defaultDockerSocket = '/var/run/docker.sock';

export function dockerContextName(instance: string): string {
  return `rdd-${instance}`;
}

/** `$DOCKER_CONFIG`, else `~/.docker` of the user the daemon runs as. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return path.join(env.HOME || os.homedir(), '.docker');
}

export interface DockerContextEnvironment {
  /** `$DOCKER_CONFIG`. */
  readonly configDir: string;
  /** The daemon's environment: its DOCKER_HOST is what the CLI's "default" context means. */
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Resolves when the engine at a unix socket answers `/_ping`; rejects otherwise. */
  readonly ping?: (socket: string) => Promise<void>;
}

/** What happened to `currentContext` when rdd's context was written. */
export type CurrentContextOutcome = 'already-ours' | 'kept' | 'made-current' | 'config-unreadable';

export function contextMetaPath(configDir: string, name: string): string {
  const digest = createHash('sha256').update(name).digest('hex');
  return path.join(configDir, 'contexts', 'meta', digest, 'meta.json');
}

/**
 * Writes (or rewrites) context `name` pointing at `socket`, then makes it current if the user's current
 * context is missing or dead.
 */
export async function publishDockerContext(
  environment: DockerContextEnvironment,
  instance: string,
  socket: string,
): Promise<CurrentContextOutcome> {
  const name = dockerContextName(instance);
  const meta = {
    Name: name,
    Metadata: { Description: `rdd instance ${instance}` },
    Endpoints: { docker: { Host: `unix://${socket}`, SkipTLSVerify: false } },
  };
  const metaPath = contextMetaPath(environment.configDir, name);
  await fs.mkdir(path.dirname(metaPath), { recursive: true, mode: 0o755 });
  await writeAtomically(metaPath, JSON.stringify(meta), 0o644);
  return makeCurrentIfUnhealthy(environment, name);
}

/** Removes context `name`, and `currentContext` too when it names it. Missing is fine. */
export async function removeDockerContext(environment: DockerContextEnvironment, instance: string): Promise<void> {
  const name = dockerContextName(instance);
  await fs.rm(path.dirname(contextMetaPath(environment.configDir, name)), { recursive: true, force: true });
  const config = await readConfig(environment);
  if (config.kind !== 'object' || config.value.currentContext !== name) return;
  const { currentContext: _ours, ...rest } = config.value;
  await writeConfig(environment.configDir, rest, config.mode);
  environment.logger.info(`The docker CLI's current context was ${name}; reset it to default`);
}

async function makeCurrentIfUnhealthy(
  environment: DockerContextEnvironment,
  name: string,
): Promise<CurrentContextOutcome> {
  const config = await readConfig(environment);
  if (config.kind === 'unreadable') return 'config-unreadable';
  const current = config.kind === 'object' ? config.value.currentContext : undefined;
  if (current === name) return 'already-ours';
  const currentName = typeof current === 'string' && current !== '' ? current : 'default';
  const problem = await currentContextProblem(environment, currentName);
  if (problem === null) return 'kept';
  const value = config.kind === 'object' ? config.value : {};
  await writeConfig(environment.configDir, { ...value, currentContext: name }, config.mode);
  environment.logger.info(`The docker CLI's current context ${currentName} ${problem}; made ${name} current`);
  return 'made-current';
}

/** Why the context named `name` cannot serve the docker CLI, or null when it answers (or is not a unix socket). */
async function currentContextProblem(environment: DockerContextEnvironment, name: string): Promise<string | null> {
  let host: string;
  if (name === 'default') {
    host = environment.env.DOCKER_HOST || `unix://${defaultDockerSocket}`;
  } else {
    const endpoint = await readContextHost(environment.configDir, name);
    if (typeof endpoint !== 'string') return endpoint.problem;
    host = endpoint;
  }
  // tcp://, ssh:// and the rest: rdd cannot tell cheaply whether they work, and they are the user's choice.
  if (!host.startsWith('unix://')) return null;
  const socket = host.slice('unix://'.length);
  const ping = environment.ping ?? ((target: string) => pingEngine(target, currentContextPingMs));
  try {
    await ping(socket);
    return null;
  } catch (error) {
    return `does not answer at ${host} (${describeError(error)})`;
  }
}

async function readContextHost(configDir: string, name: string): Promise<string | { problem: string }> {
  let text: string;
  try {
    text = await fs.readFile(contextMetaPath(configDir, name), 'utf8');
  } catch (error) {
    return { problem: `is missing (${describeError(error)})` };
  }
  try {
    const meta = JSON.parse(text) as { Endpoints?: { docker?: { Host?: unknown } } };
    const host = meta.Endpoints?.docker?.Host;
    return typeof host === 'string' ? host : { problem: 'has no docker endpoint' };
  } catch (error) {
    return { problem: `has an unreadable meta.json (${describeError(error)})` };
  }
}

type ConfigReading =
  | { kind: 'missing'; mode: number }
  | { kind: 'object'; value: Record<string, unknown>; mode: number }
  | { kind: 'unreadable' };

async function readConfig({ configDir, logger }: DockerContextEnvironment): Promise<ConfigReading> {
  const file = path.join(configDir, 'config.json');
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((stats) => stats.mode & 0o777)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', mode: 0o600 };
    logger.warn(`Leaving the docker CLI's current context alone: cannot read ${file}: ${describeError(error)}`);
    return { kind: 'unreadable' };
  }
  // The docker CLI treats an empty file as an empty config.
  if (text.trim() === '') return { kind: 'object', value: {}, mode };
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { kind: 'object', value: value as Record<string, unknown>, mode };
    }
  } catch {
    // Reported below, with the same words as a JSON value that is not an object.
  }
  logger.warn(`Leaving the docker CLI's current context alone: ${file} is not a JSON object; fix or remove it`);
  return { kind: 'unreadable' };
}

async function writeConfig(configDir: string, value: Record<string, unknown>, mode: number): Promise<void> {
  await fs.mkdir(configDir, { recursive: true, mode: 0o700 });
  // Tabs, as the docker CLI writes it, so a diff against its own writes stays small.
  await writeAtomically(path.join(configDir, 'config.json'), `${JSON.stringify(value, null, '\t')}\n`, mode);
}

/** Readers (the docker CLI) see the old file or the new one, never half of one. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.rdd-${process.pid}-${Date.now()}.tmp`;
  try {
    await fs.writeFile(temporary, content, { mode });
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
