/**
 * `rdd ctl get`'s default, `-o wide` and `-o name` output: one kubectl-style table per kind, wide
 * columns appended after the default ones as kubectl appends them. Returns text rather than printing,
 * so the command decides where "No resources found" goes (stderr, as kubectl sends it).
 */
import type { Condition } from '../../protocol/condition.schema.js';
import { findCondition } from '../../protocol/resource-names.js';
import type { App } from '../../protocol/app.schema.js';
import type {
  Container,
  ContainerNamespace,
  ContainerPort,
  Image,
  KindName,
  Network,
  Volume,
} from '../../protocol/mirrors/index.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { age, humanSize, listCell, shortId, stateOf } from './format.js';
import { labelsCell } from './list-options.js';
import { renderRows } from './table.js';

export interface PrintOptions {
  /** `wide` adds the columns kubectl would show with `-o wide`. */
  readonly format?: 'table' | 'wide';
  readonly noHeaders?: boolean;
  /** The instant ages are measured to; a parameter so output is reproducible. */
  readonly now: Date;
  /** The namespace that was listed, for the "No resources found in … namespace." notice. */
  readonly namespace?: string;
  /** `--show-labels`: a last LABELS column with the engine object's labels. */
  readonly showLabels?: boolean;
  /** Several kinds were asked for (`get all`, `get containers,images`): names read `kind/NAME`. */
  readonly kindPrefix?: boolean;
}

/** What to write: `stdout` for the data, `stderr` for notices. Each is empty or ends in a newline. */
export interface Rendered {
  readonly stdout: string;
  readonly stderr: string;
}

interface Column<R> {
  readonly header: string;
  readonly wide?: boolean;
  readonly value: (resource: R, now: Date) => string;
}

interface ResourceOf {
  App: App;
  Container: Container;
  Image: Image;
  Volume: Volume;
  Network: Network;
  ContainerNamespace: ContainerNamespace;
}

/** Engine objects age from when the engine created them; the rest from when they were stored. */
const engineAge = (resource: Resource & { status: { createdAt: string | null } }, now: Date): string =>
  age(resource.status.createdAt ?? resource.metadata.creationTimestamp, now);
const storedAge = (resource: Resource, now: Date): string => age(resource.metadata.creationTimestamp, now);

const conditionStatus = (conditions: readonly Condition[], type: string): string =>
  findCondition(conditions, type)?.status ?? '<unknown>';

/** `127.0.0.1:8080->80/tcp` as `docker ps` prints bindings; an exposed-only port is just `80/tcp`. */
export function formatPorts(ports: readonly ContainerPort[]): string {
  return listCell(
    ports.flatMap(({ name, bindings }) =>
      bindings.length === 0
        ? [name]
        : bindings.map(({ hostIP, hostPort }) => {
            const ip = hostIP === '' ? '0.0.0.0' : hostIP.includes(':') ? `[${hostIP}]` : hostIP;
            return `${ip}:${hostPort}->${name}`;
          }),
    ),
  );
}

const tables: { readonly [K in KindName]: readonly Column<ResourceOf[K]>[] } = {
  Container: [
    { header: 'NAME', value: (c) => c.status.name },
    { header: 'ID', value: (c) => shortId(c.metadata.name) },
    { header: 'IMAGE', value: (c) => c.status.imageName },
    { header: 'STATE', value: (c) => stateOf(c.metadata, c.status.status) },
    { header: 'DESIRED', value: (c) => c.spec.state },
    { header: 'AGE', value: engineAge },
    { header: 'PORTS', wide: true, value: (c) => formatPorts(c.status.ports) },
    { header: 'NETWORKS', wide: true, value: (c) => listCell(c.status.networks) },
    {
      header: 'CONVERGED',
      wide: true,
      value: (c) => findCondition(c.status.conditions, 'Converged')?.reason || '<none>',
    },
    {
      header: 'LAST ACTION',
      wide: true,
      value: (c) => (c.status.lastAction ? `${c.status.lastAction.action}=${c.status.lastAction.state}` : '<none>'),
    },
  ],
  Image: [
    { header: 'REPO TAG', value: (i) => i.status.repoTag || '<none>' },
    { header: 'ID', value: (i) => shortId(i.status.id) },
    { header: 'SIZE', value: (i) => humanSize(i.status.size) },
    { header: 'AGE', value: engineAge },
    { header: 'NAME', wide: true, value: (i) => i.metadata.name },
    { header: 'DIGESTS', wide: true, value: (i) => listCell(i.status.repoDigests) },
    { header: 'OS/ARCH', wide: true, value: (i) => `${i.status.os}/${i.status.architecture}` },
  ],
  Volume: [
    { header: 'NAME', value: (v) => v.status.name },
    { header: 'DRIVER', value: (v) => v.status.driver },
    { header: 'AGE', value: engineAge },
    { header: 'MOUNTPOINT', wide: true, value: (v) => v.status.mountpoint },
    { header: 'MIRROR NAME', wide: true, value: (v) => v.metadata.name },
  ],
  Network: [
    { header: 'NAME', value: (n) => n.status.name },
    { header: 'DRIVER', value: (n) => n.status.driver },
    { header: 'SCOPE', value: (n) => n.status.scope },
    { header: 'AGE', value: engineAge },
    { header: 'ID', wide: true, value: (n) => shortId(n.status.id) },
    { header: 'SUBNETS', wide: true, value: (n) => listCell(n.status.subnets) },
  ],
  ContainerNamespace: [
    { header: 'NAME', value: (n) => n.metadata.name },
    { header: 'AGE', value: storedAge },
  ],
  App: [
    { header: 'NAME', value: (a) => a.metadata.name },
    { header: 'RUNNING', value: (a) => conditionStatus(a.status.conditions, 'Running') },
    { header: 'ENGINE', value: (a) => conditionStatus(a.status.conditions, 'ContainerEngineReady') },
    { header: 'SETTLED', value: (a) => conditionStatus(a.status.conditions, 'Settled') },
    { header: 'AGE', value: storedAge },
    { header: 'DRIVER', wide: true, value: (a) => a.spec.vm.driver },
    { header: 'GENERATION', wide: true, value: (a) => String(a.metadata.generation ?? '<none>') },
  ],
};

/** Kinds this module has no table for still print, by name and age. */
const fallbackColumns: readonly Column<Resource>[] = [
  { header: 'NAME', value: (r) => r.metadata.name },
  { header: 'AGE', value: storedAge },
];

function columnsOf(kind: string): readonly Column<Resource>[] {
  // The kind string is the discriminator: a resource of kind K has ResourceOf[K]'s shape.
  return (tables as unknown as Readonly<Record<string, readonly Column<Resource>[]>>)[kind] ?? fallbackColumns;
}

const labelsColumn: Column<Resource> = { header: 'LABELS', value: (resource) => labelsCell(resource) };

/** kubectl's message for an empty list, with the namespace when one was listed. */
export function noResourcesMessage(namespace?: string): string {
  return namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
}

/** Resources grouped by kind, kinds in order of first appearance, as kubectl prints mixed lists. */
function byKind(resources: readonly Resource[]): Resource[][] {
  const groups = new Map<string, Resource[]>();
  for (const resource of resources) groups.set(resource.kind, [...(groups.get(resource.kind) ?? []), resource]);
  return [...groups.values()];
}

/** The default or wide tables: one per kind, separated by a blank line. */
export function renderResources(resources: readonly Resource[], options: PrintOptions): Rendered {
  if (resources.length === 0) return { stdout: '', stderr: noResourcesMessage(options.namespace) };
  const wide = options.format === 'wide';
  const tablesText = byKind(resources).map((group) => {
    const kind = group[0]?.kind ?? '';
    const columns = [
      ...columnsOf(kind).filter((column) => wide || !column.wide),
      ...(options.showLabels ? [labelsColumn] : []),
    ];
    const rows = group.map((resource) =>
      columns.map((column, index) => {
        const value = column.value(resource, options.now);
        return options.kindPrefix && index === 0 ? `${kind.toLowerCase()}/${value}` : value;
      }),
    );
    return renderRows(
      columns.map((column) => column.header),
      rows,
      options.noHeaders,
    );
  });
  return { stdout: tablesText.join('\n'), stderr: '' };
}

/** `<lower-case kind>.<API group>/<name>`, e.g. `container.containers.rancherdesktop.io/3f2a…`. */
export function resourceName(resource: Resource): string {
  const slash = resource.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${resource.apiVersion.slice(0, slash)}`;
  return `${resource.kind.toLowerCase()}${group}/${resource.metadata.name}`;
}

/** `-o name`: one qualified name per line; nothing at all for no resources, as kubectl (scripts pipe it). */
export function renderNames(resources: readonly Resource[]): Rendered {
  return { stdout: resources.map((resource) => `${resourceName(resource)}\n`).join(''), stderr: '' };
}
