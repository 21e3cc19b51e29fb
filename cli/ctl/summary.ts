/** One human line per object for `rdd watch`: what a person wants to see change, nothing volatile. */
import type { Condition } from '../../protocol/condition.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';

export function summaryOf(resource: Resource): string {
  const status = (resource.status ?? {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof status[key] === 'string' ? status[key] : '');
  const deleting = resource.metadata.deletionTimestamp ? ' (deleting)' : '';
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  switch (resource.kind) {
    case 'App':
      return conditions.map((c) => `${c.type}=${c.status}${c.status === 'True' ? '' : `(${c.reason})`}`).join(' ');
    case 'Container': {
      const spec = (resource.spec ?? {}) as { state?: string };
      const lastAction = status.lastAction as { action?: string; state?: string } | undefined;
      const converged = conditions.find((c) => c.type === 'Converged');
      return [
        `${text('name')} ${text('status')}${deleting}`,
        spec.state && spec.state !== 'unknown' ? `desired ${spec.state}` : '',
        converged && converged.status !== 'True' ? `${converged.reason}: ${converged.message}` : '',
        lastAction ? `last action ${lastAction.action}=${lastAction.state}` : '',
      ]
        .filter(Boolean)
        .join(', ');
    }
    case 'Image':
      return `${text('repoTag') || `<none> ${text('id').slice(7, 19)}`}${deleting}${failed(conditions)}`;
    case 'Volume':
    case 'Network':
      return `${text('name')}${deleting}${failed(conditions)}`;
    default:
      return resource.metadata.name;
  }
}

function failed(conditions: readonly Condition[]): string {
  const deleteFailed = conditions.find((c) => c.type === 'DeleteFailed' && c.status === 'True');
  return deleteFailed ? `: ${deleteFailed.message}` : '';
}
