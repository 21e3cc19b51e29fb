/** The ContainerNamespace mirror: moby has exactly one, `moby`. */
import { containerNamespaceKind, type ContainerNamespace } from '../../protocol/mirrors/container-namespace.schema.js';
import { mirrorApiVersion, mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';

/** The `moby` ContainerNamespace in `namespace`; it has no engine labels. */
export function namespaceMirror({ namespace }: { namespace: string }): ContainerNamespace {
  return {
    apiVersion: mirrorApiVersion,
    kind: containerNamespaceKind,
    metadata: { name: mobyNamespace, namespace, labels: {} },
  };
}
