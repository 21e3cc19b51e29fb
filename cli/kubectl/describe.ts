/**
 * `rdd ctl describe`: kubectl-describe-style text for one resource. The envelope first (name, kind,
 * labels), then spec and status as indented fields with kubectl's smart labels (`restartCount` reads
 * `Restart Count`), then the conditions as a table and, for containers, the last one-shot action.
 */
import type { Condition } from '../../protocol/condition.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { renderTable } from '../output.js';
import { age } from './format.js';

// kubectl keeps these upper-case in smart labels; we add the ones our schemas use (id, ip, os, pid, vm).
const acronyms = new Set(['API', 'URL', 'UID', 'GUID', 'ID', 'IP', 'OS', 'PID', 'VM', 'OOM']);

/** `restartCount` → `Restart Count`, `hostIP` → `Host IP`; keys that are not words (labels) stay as they are. */
export function smartLabel(key: string): string {
  if (!/^[A-Za-z-]+$/.test(key)) return key;
  // GiB is a unit, not two words (`memoryGiB`); runs of capitals are acronyms (`hostIP`).
  return (key.match(/GiB|[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [key])
    .map((part) =>
      acronyms.has(part.toUpperCase()) ? part.toUpperCase() : `${part.charAt(0).toUpperCase()}${part.slice(1)}`,
    )
    .join(' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined || isEmpty(value)) return '<none>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const spaces = (count: number): string => ' '.repeat(count);

/** `Label:` padded so the values of one block line up, as kubectl's tabwriter lines them up. */
function line(indent: number, label: string, width: number, value: string): string {
  return `${spaces(indent)}${`${label}:`.padEnd(Math.max(width, label.length + 3))}${value}`.trimEnd();
}

// The string maps of our schemas: their keys are the engine's or the user's, never field names.
const freeFormMaps = new Set(['labels', 'annotations', 'options']);

function describeEntry(key: string, value: unknown, indent: number, width: number, label = smartLabel(key)): string[] {
  if (isEmpty(value) || (!isObject(value) && !Array.isArray(value))) {
    return [line(indent, label, width, scalarText(value))];
  }
  const body = Array.isArray(value)
    ? describeList(value, indent + 2)
    : describeObject(value, indent + 2, freeFormMaps.has(key) ? (name) => name : smartLabel);
  return [`${spaces(indent)}${label}:`, ...body];
}

function describeObject(
  object: Record<string, unknown>,
  indent: number,
  labelOf: (key: string) => string = smartLabel,
): string[] {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...entries.map(([key]) => labelOf(key).length + 1)) + 2;
  return entries.flatMap(([key, value]) => describeEntry(key, value, indent, width, labelOf(key)));
}

/** Lists read as YAML's do: a `- ` per item, an object item's fields aligned under its first. */
function describeList(items: readonly unknown[], indent: number): string[] {
  return items.flatMap((item) => {
    if (isEmpty(item) || (!isObject(item) && !Array.isArray(item))) return [`${spaces(indent)}- ${scalarText(item)}`];
    const [first = '', ...rest] = Array.isArray(item)
      ? describeList(item, indent + 2)
      : describeObject(item, indent + 2);
    return [`${spaces(indent)}- ${first.slice(indent + 2)}`, ...rest];
  });
}

/** Labels one per line as `key=value`, annotations as `key: value`, under the first line's value column. */
function describeMap(map: Record<string, string> | undefined, separator: string, width: number): string[] {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return ['<none>'];
  return entries.map(([key, value], index) => `${index === 0 ? '' : spaces(width)}${key}${separator}${value}`);
}

function timestamp(value: string, now: Date): string {
  return `${value} (${age(value, now)} ago)`;
}

function describeConditions(conditions: readonly Condition[], now: Date): string[] {
  if (conditions.length === 0) return ['Conditions:  <none>'];
  const headers = ['Type', 'Status', 'Reason', 'Message', 'Last Transition'];
  const table = renderTable(headers, [
    headers.map((header) => '-'.repeat(header.length)),
    ...conditions.map((condition) => [
      condition.type,
      condition.status,
      condition.reason,
      condition.message,
      timestamp(condition.lastTransitionTime, now),
    ]),
  ]);
  return [
    'Conditions:',
    ...table
      .trimEnd()
      .split('\n')
      .map((row) => `  ${row}`),
  ];
}

function describeLastAction(lastAction: unknown): string[] {
  if (!isObject(lastAction)) return ['Last Action:  <none>'];
  return ['Last Action:', ...describeObject(lastAction, 2)];
}

/**
 * The describe text of `resource`, ages measured at `now`. Ends with a newline.
 *
 * @example describeResource(container, new Date()) // 'Name:         3f2a…\nNamespace:    rancher-desktop\n…'
 */
export function describeResource(resource: Resource, now: Date): string {
  const { metadata } = resource;
  const header: [string, string | string[]][] = [['Name', metadata.name]];
  if (metadata.namespace !== undefined) header.push(['Namespace', metadata.namespace]);
  header.push(['Kind', resource.kind], ['API Version', resource.apiVersion]);
  const width = 'Annotations:'.length + 2;
  header.push(['Labels', describeMap(metadata.labels, '=', width)]);
  header.push(['Annotations', describeMap(metadata.annotations, ': ', width)]);
  if (metadata.creationTimestamp !== undefined) header.push(['Created', timestamp(metadata.creationTimestamp, now)]);
  if (metadata.deletionTimestamp !== undefined) {
    header.push(['Terminating', `since ${timestamp(metadata.deletionTimestamp, now)}`]);
  }
  // What rdd does before the mirror goes (remove the engine object): worth seeing beside Terminating.
  if (metadata.finalizers && metadata.finalizers.length > 0) {
    header.push(['Finalizers', metadata.finalizers.map((name, index) => `${index === 0 ? '' : spaces(width)}${name}`)]);
  }
  if (metadata.generation !== undefined) header.push(['Generation', String(metadata.generation)]);
  const lines = header.map(([label, value]) => line(0, label, width, Array.isArray(value) ? value.join('\n') : value));

  if (resource.spec !== undefined) lines.push(...describeEntry('spec', resource.spec, 0, 0));
  const status = isObject(resource.status) ? { ...resource.status } : undefined;
  if (status) {
    const { conditions, lastAction } = status;
    // Shown below in their own forms; and a mirror's status.labels repeat metadata.labels.
    delete status.conditions;
    delete status.lastAction;
    if (JSON.stringify(status.labels) === JSON.stringify(metadata.labels ?? {})) delete status.labels;
    // A status that held only conditions (the App's, before the VM reports) needs no empty section.
    if (!isEmpty(status)) lines.push(...describeEntry('status', status, 0, 0));
    if (Array.isArray(conditions)) lines.push(...describeConditions(conditions as Condition[], now));
    if (resource.kind === 'Container') lines.push(...describeLastAction(lastAction));
  }
  return `${lines.join('\n')}\n`;
}
