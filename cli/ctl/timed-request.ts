/**
 * A request to the daemon bounded by the user's --timeout is a wait: when the time runs out (the engine
 * hangs, a container takes long to stop) the command gave up on time and exits 4 like every other wait,
 * naming what it waited for and the last state seen, instead of failing with a bare "no answer".
 */
import type { App } from '../../protocol/app.schema.js';
import { appKind, appName } from '../../protocol/resource-names.js';
import { describeCondition } from '../../protocol/app.wait.js';
import type { Condition } from '../../protocol/condition.schema.js';
import { findCondition } from '../../protocol/resource-names.js';
import { ApiError, describeError } from '../../protocol/api-error.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { ShapeCheckedStore } from '../../client/shape-checked-store.js';
import { formatDuration } from '../duration.js';
import { WaitTimeoutError } from '../exit-codes.js';

export interface TimedWait {
  /** What the user waited for, e.g. `stop of container web`. */
  what: string;
  timeoutMs: number;
  /** Read only when the time ran out. */
  lastSeen: () => Promise<string>;
}

/** How long reading the last state may take: the bus answers even while the engine hangs. */
const lastSeenReadMs = 3_000;

/** Resolves to the request's reply; its time running out becomes a {@link WaitTimeoutError}. */
export async function withinTimeout<T>(request: Promise<T>, wait: TimedWait): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'Timeout') throw error;
    const lastSeen = await boundedRead(wait.lastSeen());
    throw new WaitTimeoutError(
      `timed out after ${formatDuration(wait.timeoutMs)} waiting for ${wait.what}; last seen: ${lastSeen}`,
      { cause: error },
    );
  }
}

/**
 * The mirror as it stands (its state, its last action, whether it is being deleted), and the engine
 * connection when it is not ready: a hung engine is usually why the wait ran out.
 */
export async function lastSeenOf(store: Pick<ShapeCheckedStore, 'get'>, kind: string, name: string): Promise<string> {
  const [resource, app] = await Promise.all([store.get(kind, name), store.get<App>(appKind, appName)]);
  const engine = findCondition(app?.status.conditions, 'ContainerEngineReady');
  const parts = [resource ? describeMirror(resource) : `${kind} ${name} is gone`];
  if (engine && engine.status !== 'True') parts.push(describeCondition(engine));
  return parts.join('; ');
}

function describeMirror(resource: Resource): string {
  const status = resource.status as
    { status?: unknown; lastAction?: { action: string; state: string }; conditions?: Condition[] } | undefined;
  const parts = [`${resource.kind} ${resource.metadata.name}`];
  if (typeof status?.status === 'string') parts.push(`is ${status.status}`);
  if (status?.lastAction) parts.push(`last finished action ${status.lastAction.action} ${status.lastAction.state}`);
  if (resource.metadata.deletionTimestamp) parts.push(`marked for deletion`);
  const deleteFailed = findCondition(status?.conditions, 'DeleteFailed');
  if (deleteFailed?.status === 'True') parts.push(`delete failed: ${deleteFailed.message}`);
  return parts.join(', ');
}

async function boundedRead(read: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`unknown (no answer from the store within ${lastSeenReadMs / 1000} s)`),
      lastSeenReadMs,
    );
  });
  try {
    return await Promise.race([read.catch((error: unknown) => `unknown (${describeError(error)})`), late]);
  } finally {
    clearTimeout(timer);
  }
}
