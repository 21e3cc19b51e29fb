/**
 * The supervision tree as `svc.status` describes it: `children` lists every supervised child with the
 * supervisor that runs it, `actors` each state machine's current state. Folded here into one tree:
 * root → bus, store, app (the App subtree → app, vm, engine (→ its mirrors)), api.
 */
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { renderTable } from '../output.js';

export interface TreeNode {
  id: string;
  /** The supervisor that runs it; absent for the root. */
  supervisor?: string;
  running?: boolean;
  restarts?: number;
  lastError?: string;
  /** The state machine's current state, as a dotted path. */
  state?: string;
  children: TreeNode[];
}

const rootId = 'root';

/**
 * Supervisors that are not a child of the same name: the engine actor runs the mirrors supervisor
 * (actors/engine/engine.actor.ts), so the mirrors hang under it.
 */
const supervisorOwners: Record<string, string> = { mirrors: 'engine' };

export function supervisionTree(status: Pick<DaemonStatus, 'children' | 'actors'>): TreeNode {
  const root: TreeNode = { id: rootId, running: true, children: [] };
  const bySupervisor = new Map<string, DaemonStatus['children']>();
  for (const child of status.children) {
    bySupervisor.set(child.supervisor, [...(bySupervisor.get(child.supervisor) ?? []), child]);
  }
  const nodeOf = (child: DaemonStatus['children'][number]): TreeNode => ({
    id: child.id,
    supervisor: child.supervisor,
    running: child.running,
    restarts: child.restarts,
    ...(child.lastError === undefined ? {} : { lastError: child.lastError }),
    children: [],
  });
  // Breadth first from the root, so each supervisor lands under the shallowest node that owns it
  // (the App subtree `root/app`, not the App actor `app/app`).
  const placed = new Set<string>();
  const queue: { node: TreeNode; supervisor: string }[] = [{ node: root, supervisor: rootId }];
  while (queue.length > 0) {
    const { node, supervisor } = queue.shift()!;
    if (placed.has(supervisor)) continue;
    placed.add(supervisor);
    for (const child of bySupervisor.get(supervisor) ?? []) {
      const childNode = nodeOf(child);
      node.children.push(childNode);
      const owned = [...bySupervisor.keys()].filter(
        (name) => !placed.has(name) && (name === child.id || supervisorOwners[name] === child.id),
      );
      for (const name of owned) queue.push({ node: childNode, supervisor: name });
    }
  }
  // A supervisor nobody owns (not expected today) is shown under the root rather than dropped.
  for (const [supervisor, children] of bySupervisor) {
    if (placed.has(supervisor)) continue;
    root.children.push({ id: supervisor, children: children.map(nodeOf) });
  }
  for (const actor of status.actors) {
    const node = deepest(root, actor.id);
    if (node) node.state = actor.state;
    else root.children.push({ id: actor.id, state: actor.state, children: [] });
  }
  return root;
}

/** The deepest node with this id: the App actor `app/app` rather than the App subtree `root/app`. */
function deepest(root: TreeNode, id: string): TreeNode | undefined {
  let best: { node: TreeNode; depth: number } | undefined;
  const visit = (node: TreeNode, depth: number): void => {
    if (node.id === id && (!best || depth > best.depth)) best = { node, depth };
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(root, 0);
  return best?.node;
}

/** An aligned table whose first column draws the tree. */
export function renderTree(root: TreeNode): string {
  const rows: string[][] = [];
  const visit = (node: TreeNode, prefix: string, branch: string): void => {
    rows.push([
      `${prefix}${branch}${node.id}`,
      node.state ?? '',
      node.running === undefined ? '' : node.running ? 'yes' : 'no',
      node.restarts === undefined ? '' : String(node.restarts),
      node.lastError ?? '',
    ]);
    const childPrefix = branch === '' ? prefix : `${prefix}${branch === '└─ ' ? '   ' : '│  '}`;
    node.children.forEach((child, index) =>
      visit(child, childPrefix, index === node.children.length - 1 ? '└─ ' : '├─ '),
    );
  };
  visit(root, '', '');
  return renderTable(['ACTOR', 'STATE', 'RUNNING', 'RESTARTS', 'LAST ERROR'], rows);
}
