import type { DaemonStatus } from '../../protocol/api.schema.js';
import { renderTree, supervisionTree, type TreeNode } from './tree.js';

type Child = DaemonStatus['children'][number];
const child = (supervisor: string, id: string, fields: Partial<Child> = {}): Child => ({
  supervisor,
  id,
  running: true,
  restarts: 0,
  ...fields,
});

// In the order the daemon reports them: the App subtree's children start before the subtree itself is up.
const status: Pick<DaemonStatus, 'children' | 'actors'> = {
  children: [
    child('root', 'bus', { restarts: 1, lastError: 'nats-server exited with signal SIGKILL' }),
    child('root', 'store'),
    child('app', 'app'),
    child('app', 'vm'),
    child('app', 'engine'),
    child('root', 'app'),
    child('root', 'api'),
    child('mirrors', 'container:0123456789ab', { running: false, restarts: 2 }),
  ],
  actors: [
    { id: 'app', state: 'active' },
    { id: 'vm', state: 'started' },
    { id: 'engine', state: 'connected.watching' },
  ],
};

const shape = (node: TreeNode): unknown =>
  node.children.length === 0 ? node.id : { [node.id]: node.children.map(shape) };

describe('supervisionTree', () => {
  it('should group children under their supervisor, the mirrors under the engine', () => {
    expect(shape(supervisionTree(status))).toEqual({
      root: ['bus', 'store', { app: ['app', 'vm', { engine: ['container:0123456789ab'] }] }, 'api'],
    });
  });

  it('should give each state machine its state, not the supervisor of the same name', () => {
    const tree = supervisionTree(status);
    const subtree = tree.children.find((node) => node.id === 'app')!;

    expect(subtree.state).toBeUndefined();
    expect(subtree.children.map((node) => [node.id, node.state])).toEqual([
      ['app', 'active'],
      ['vm', 'started'],
      ['engine', 'connected.watching'],
    ]);
  });

  it('should keep restarts and the last error', () => {
    expect(supervisionTree(status).children[0]).toEqual({
      id: 'bus',
      supervisor: 'root',
      running: true,
      restarts: 1,
      lastError: 'nats-server exited with signal SIGKILL',
      children: [],
    });
  });

  it('should show a supervisor nobody owns and an actor nobody supervises under the root', () => {
    const tree = supervisionTree({
      children: [child('root', 'bus'), child('extra', 'x')],
      actors: [{ id: 'y', state: 'on' }],
    });

    expect(shape(tree)).toEqual({ root: ['bus', { extra: ['x'] }, 'y'] });
  });
});

describe('renderTree', () => {
  it('should draw the tree in the first column of an aligned table', () => {
    expect(renderTree(supervisionTree(status)).split('\n')).toEqual([
      'ACTOR                             STATE                RUNNING   RESTARTS   LAST ERROR',
      'root                                                   yes',
      '├─ bus                                                 yes       1          nats-server exited with signal SIGKILL',
      '├─ store                                               yes       0',
      '├─ app                                                 yes       0',
      '│  ├─ app                         active               yes       0',
      '│  ├─ vm                          started              yes       0',
      '│  └─ engine                      connected.watching   yes       0',
      '│     └─ container:0123456789ab                        no        2',
      '└─ api                                                 yes       0',
      '',
    ]);
  });
});
