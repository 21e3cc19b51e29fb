import type { ResourceStore } from '../../client/store.js';
import { instancePaths } from '../../protocol/instance.js';
import type { Bus } from '../bus/bus.child.js';
import { rootChildren } from '../daemon/root-children.js';
import { rootSupervisorSpec } from '../daemon/root.supervisor.js';
import { silentLogger } from '../logging.js';
import { childKey, childRegistry } from './child-registry.js';

describe('childRegistry', () => {
  it('should give the running value of the child a key names, looked up on every call', () => {
    // Arrange
    const values = new Map<string, unknown>([['counter', { value: 1 }]]);
    const asked: string[] = [];
    const children = childRegistry((id) => {
      asked.push(id);
      return values.get(id);
    });
    const counter = childKey<{ value: number }>('counter');

    // Act
    const first = children.get(counter);
    values.set('counter', { value: 2 }); // a restart: a new incarnation with a new value
    const second = children.get(counter);

    // Assert
    expect([first.value, second.value]).toEqual([1, 2]);
    expect(asked).toEqual(['counter', 'counter']);
  });

  it('should throw what the lookup throws for a child that is not running', () => {
    const children = childRegistry(() => {
      throw new Error('root/bus is not running');
    });

    expect(() => children.get(rootChildren.bus)).toThrow('root/bus is not running');
  });

  it('should make a value of the wrong type a compile error', () => {
    const bus = { nc: {}, creds: { url: 'nats://x' } } as unknown as Bus;
    const children = childRegistry(() => bus);

    // @ts-expect-error: the bus key carries Bus, which is no ResourceStore
    const wrong: ResourceStore = children.get(rootChildren.bus);
    // @ts-expect-error: keys of different value types do not mix
    const mixed: typeof rootChildren.store = rootChildren.bus;

    expect([wrong, mixed.id]).toEqual([bus, 'bus']);
  });

  it('should name only children the root supervisor runs', () => {
    const spec = rootSupervisorSpec({
      instance: 'unit',
      paths: instancePaths('unit', { platform: 'linux', home: '/home/unit', env: {} }),
      env: {},
      handlers: () => {
        throw new Error('not started in this test');
      },
      deps: { logger: silentLogger(), report: () => undefined },
    });

    const ids = spec.children.map((child) => child.id);

    expect(ids).toEqual(expect.arrayContaining(Object.values(rootChildren).map((key) => key.id)));
  });
});
