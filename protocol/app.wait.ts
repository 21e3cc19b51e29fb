/**
 * What a client waiting on an App change concludes from one App snapshot: done (Settled=True for the
 * generation the write produced, or later), failed (a condition at that generation reports a failure —
 * fail fast with the cause instead of waiting for the timeout), or still waiting (with a summary of
 * what it waits on, for progress lines and the timeout message).
 */
import type { App } from './app.schema.js';
import type { Condition } from './condition.schema.js';

export const failureReasons = ['StartFailed', 'StopFailed', 'ConnectFailed', 'CreateFailed'] as const;

export type WaitVerdict =
  { state: 'done' } | { state: 'failed'; condition: Condition } | { state: 'waiting'; summary: string };

export function waitVerdict(app: App, minGeneration: number): WaitVerdict {
  const current = app.status.conditions.filter((condition) => condition.observedGeneration >= minGeneration);
  const failed = current.find(
    (condition) => condition.status === 'False' && (failureReasons as readonly string[]).includes(condition.reason),
  );
  if (failed) return { state: 'failed', condition: failed };
  const settled = current.find((condition) => condition.type === 'Settled');
  if (settled?.status === 'True') return { state: 'done' };
  return { state: 'waiting', summary: summarize(app, minGeneration) };
}

/** `Settled=False/EngineStale: …; Running=True/Started` — the conditions a waiter cares about. */
export function summarize(app: App, minGeneration: number): string {
  const order = ['Settled', 'Running', 'ContainerEngineReady', 'KubernetesReady', 'Created'];
  const shown = [...app.status.conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  if (shown.length === 0) return 'no conditions reported yet';
  return shown
    .map((condition) => {
      const stale = condition.observedGeneration < minGeneration ? ` (generation ${condition.observedGeneration})` : '';
      const message = condition.message && condition.status !== 'True' ? `: ${condition.message}` : '';
      return `${condition.type}=${condition.status}/${condition.reason}${stale}${message}`;
    })
    .join('; ');
}

export function describeCondition(condition: Condition): string {
  return `${condition.type}=${condition.status}/${condition.reason}${condition.message ? `: ${condition.message}` : ''}`;
}
