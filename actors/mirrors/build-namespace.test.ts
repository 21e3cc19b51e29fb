import { containerNamespaceSchema } from '../../protocol/mirrors/container-namespace.schema.js';
import { namespaceMirror } from './build-namespace.js';
import { NAMESPACE } from './mirrors.fixtures.js';

describe('namespaceMirror', () => {
  it('should build the moby ContainerNamespace with metadata only when built', () => {
    const mirror = namespaceMirror({ namespace: NAMESPACE });

    expect(mirror).toEqual({
      apiVersion: 'containers.rancherdesktop.io/v1alpha1',
      kind: 'ContainerNamespace',
      metadata: { name: 'moby', namespace: NAMESPACE, labels: {} },
    });
  });

  it('should build a mirror the ContainerNamespace schema accepts unchanged when built', () => {
    const mirror = namespaceMirror({ namespace: NAMESPACE });

    expect(containerNamespaceSchema.parse(mirror)).toEqual(mirror);
  });
});
