/**
 * `rdd ctl api-resources`: the kinds rdd serves, as kubectl lists a cluster's, from protocol's kind
 * table so the list never drifts from what the CLI accepts. Pure.
 */
import { appKind } from '../../protocol/resource-names.js';
import { groupOf, kindInfos, type KindInfo } from '../../protocol/mirrors/kinds.js';
import { renderTable } from '../output.js';

export interface ApiResource {
  name: string;
  shortNames: string[];
  apiVersion: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** What a client may do with each kind: every kind is read and watched; apply/patch write specs. */
function verbsOf(info: KindInfo): string[] {
  if (info.kind === appKind) return ['get', 'list', 'patch', 'watch'];
  if (info.kind === 'Container') return ['delete', 'get', 'list', 'patch', 'watch'];
  if (info.kind === 'ContainerNamespace') return ['get', 'list', 'watch'];
  return ['delete', 'get', 'list', 'watch'];
}

export function apiResources(): ApiResource[] {
  return kindInfos.map((info) => {
    const [singular, plural = singular, ...shortNames] = info.aliases;
    return {
      name: plural,
      shortNames,
      apiVersion: info.apiVersion,
      // The App is cluster-scoped, as a Kubernetes Node is; mirrors live in a namespace.
      namespaced: info.kind !== appKind,
      kind: info.kind,
      verbs: verbsOf(info),
    };
  });
}

/** kubectl's table (`wide` adds VERBS), or `-o name`'s `plural.group` lines. */
export function renderApiResources(resources: readonly ApiResource[], form: 'table' | 'wide' | 'name'): string {
  if (form === 'name') {
    return resources.map((resource) => `${resource.name}.${groupOf(resource)}\n`).join('');
  }
  const headers = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(form === 'wide' ? ['VERBS'] : [])];
  const rows = resources.map((resource) => [
    resource.name,
    resource.shortNames.join(','),
    resource.apiVersion,
    String(resource.namespaced),
    resource.kind,
    ...(form === 'wide' ? [resource.verbs.join(',')] : []),
  ]);
  return renderTable(headers, rows);
}
