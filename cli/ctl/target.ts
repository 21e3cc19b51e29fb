/**
 * What a ctl command is pointed at: `KIND`, `KIND NAME…` or `KIND/NAME…`, as kubectl reads them, and
 * how a name finds its mirror. Mirror names are engine IDs or hashes, so a user may also name a
 * container by its Docker name or a unique ID prefix, an image by its tag, a volume or network by its
 * engine name; an ambiguous name is an error that lists the candidates.
 */
import { ApiError } from '../../protocol/api-error.js';
import { kindInfos, mirrorKinds, resolveKind, type KindInfo } from '../../protocol/mirrors/kinds.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { UsageError } from '../exit-codes.js';

export interface Target {
  info: KindInfo;
  /** Empty: every object of the kind (narrowed by selectors). */
  names: string[];
}

/**
 * Parses `container/abc`, `container abc def`, `containers`, `img/rdd-test/busybox:latest`,
 * `image rdd-test/busybox:latest`; mixing kinds is not supported.
 */
export function parseTarget(args: readonly string[]): Target {
  const [first, ...rest] = args;
  if (!first) throw new UsageError(`name a kind: rdd ctl get KIND [NAME] or KIND/NAME`);
  if (first.includes('/')) {
    const pairs = [first, ...rest].map((arg) => {
      const slash = arg.indexOf('/');
      if (slash <= 0 || slash === arg.length - 1) {
        throw new UsageError(`"${arg}" is not KIND/NAME; give every argument as KIND/NAME, or KIND then names`);
      }
      return { info: resolveKind(arg.slice(0, slash)), name: arg.slice(slash + 1) };
    });
    const kinds = new Set(pairs.map((pair) => pair.info.kind));
    if (kinds.size > 1) throw new UsageError(`name one kind at a time (got ${[...kinds].join(', ')})`);
    return { info: pairs[0]!.info, names: pairs.map((pair) => pair.name) };
  }
  // Names may hold "/" (image tags such as rdd-test/busybox:latest): after a bare kind, they are names.
  return { info: resolveKind(first), names: rest };
}

/** The kinds `get all` lists: every mirror kind (the App is not in it, as kubectl's all has no cluster kinds). */
export const allKinds: readonly KindInfo[] = kindInfos.filter((info) =>
  (mirrorKinds as readonly string[]).includes(info.kind),
);

/**
 * What `ctl get` reads, which may name several kinds: `all`, `containers,images`, or KIND/NAME pairs
 * of different kinds. One Target per kind, in the order given; names need a single kind.
 */
export function parseTargets(args: readonly string[]): Target[] {
  const [first, ...rest] = args;
  if (first?.includes('/')) {
    const targets: Target[] = [];
    for (const arg of args) {
      const { info, names } = parseTarget([arg]);
      const same = targets.find((target) => target.info.kind === info.kind);
      if (same) same.names.push(...names);
      else targets.push({ info, names: [...names] });
    }
    return targets;
  }
  if (!first?.includes(',') && first?.trim().toLowerCase() !== 'all') return [parseTarget(args)];
  const words = first.split(',').map((word) => word.trim());
  if (words.some((word) => word === ''))
    throw new UsageError(`"${first}" has an empty kind; write e.g. containers,images`);
  const infos = words.flatMap((word) => (word.toLowerCase() === 'all' ? allKinds : [resolveKind(word)]));
  const unique = infos.filter((info, index) => infos.findIndex((other) => other.kind === info.kind) === index);
  if (rest.length > 0 && unique.length > 1) {
    throw new UsageError(`names need one kind: rdd ctl get KIND NAME…, or KIND/NAME for each (got ${first})`);
  }
  return unique.map((info) => ({ info, names: [...rest] }));
}

/** The other names a user may know an object by, besides `metadata.name`. */
export function aliasesOf(resource: Resource): string[] {
  const status = (resource.status ?? {}) as Record<string, unknown>;
  const text = (key: string): string[] => (typeof status[key] === 'string' && status[key] ? [status[key]] : []);
  switch (resource.kind) {
    case 'Container':
      return text('name');
    case 'Image':
      return text('repoTag');
    case 'Volume':
    case 'Network':
      return text('name');
    default:
      return [];
  }
}

/** An ID-like prefix: containers by ID, images by `sha256:` ID, networks by ID. */
function idOf(resource: Resource): string | null {
  if (resource.kind === 'Container') return resource.metadata.name;
  const id = (resource.status as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id.replace(/^sha256:/, '') : null;
}

/**
 * The mirror `name` means among `items` (one kind): its exact name, else a friendly name, else a unique
 * ID prefix of at least 4 characters. Null when none; an ambiguous name throws, listing the candidates.
 */
export function findByName<R extends Resource>(items: readonly R[], name: string): R | null {
  const exact = items.find((item) => item.metadata.name === name);
  if (exact) return exact;
  const friendly = items.filter((item) => aliasesOf(item).includes(name));
  if (friendly.length === 1) return friendly[0]!;
  const prefix = name.replace(/^sha256:/, '');
  const byId = prefix.length >= 4 ? items.filter((item) => idOf(item)?.startsWith(prefix)) : [];
  const candidates = friendly.length > 1 ? friendly : byId;
  if (candidates.length > 1) {
    const listed = candidates.map((item) => `${item.metadata.name} (${aliasesOf(item).join(', ') || 'no name'})`);
    throw new ApiError('Invalid', `"${name}" names more than one ${items[0]?.kind ?? 'object'}: ${listed.join('; ')}`);
  }
  return candidates[0] ?? null;
}
