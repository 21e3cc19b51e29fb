/** The plain names the CLI reads with are the very ones the schema modules validate with. */
import * as api from './api.schema.js';
import * as app from './app.schema.js';
import * as condition from './condition.schema.js';
import * as inspection from './inspection.schema.js';
import * as containerNamespace from './mirrors/container-namespace.schema.js';
import * as container from './mirrors/container.schema.js';
import * as image from './mirrors/image.schema.js';
import * as mirror from './mirrors/mirror.schema.js';
import * as network from './mirrors/network.schema.js';
import * as volume from './mirrors/volume.schema.js';
import * as names from './resource-names.js';

describe('resource-names', () => {
  it('should equal the constants of the schema modules', () => {
    expect(names).toMatchObject({
      appApiVersion: app.appApiVersion,
      appKind: app.appKind,
      appName: app.appName,
      mirrorApiVersion: mirror.mirrorApiVersion,
      mirrorNamespace: mirror.mirrorNamespace,
      containerKind: container.containerKind,
      imageKind: image.imageKind,
      volumeKind: volume.volumeKind,
      networkKind: network.networkKind,
      containerNamespaceKind: containerNamespace.containerNamespaceKind,
      traceHeader: inspection.traceHeader,
      setConflictReasons: api.setConflictReasons,
    });
  });

  it('should find a condition as the schema module does', () => {
    const conditions = [
      {
        type: 'Ready',
        status: 'True' as const,
        reason: 'Up',
        message: '',
        observedGeneration: 1,
        lastTransitionTime: '',
      },
    ];
    expect(names.findCondition(conditions, 'Ready')).toBe(condition.findCondition(conditions, 'Ready'));
    expect(names.findCondition(conditions, 'Settled')).toBeUndefined();
    expect(names.findCondition(undefined, 'Ready')).toBeUndefined();
  });
});
