/**
 * What the dockerd driver needs before it can run dockerd in a user and network namespace of its own
 * (RootlessKit + slirp4netns), checked before anything is spawned so that every missing piece is
 * named at once, each with the command that fixes it — instead of the first of rootlesskit's cryptic
 * errors in dockerd.log. The parsing and the verdict are pure (unit-tested with fake file contents);
 * `gatherRootlessFacts` only reads files and PATH.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { findExecutable, rootlessPath } from './environment.js';

export interface SubIdRange {
  readonly start: number;
  readonly count: number;
}

export interface UserIdentity {
  readonly name: string;
  readonly uid: number;
}

/** What was found on this machine; a file's content is null when it could not be read. */
export interface RootlessFacts {
  readonly user: UserIdentity;
  /** The dockerd binary asked for (RDD_DOCKERD or `dockerd`), and where it was found. */
  readonly dockerd: { readonly wanted: string; readonly found: string | null };
  readonly rootlesskit: string | null;
  readonly slirp4netns: string | null;
  readonly newuidmap: string | null;
  readonly newgidmap: string | null;
  readonly subuid: string | null;
  readonly subgid: string | null;
  readonly tun: 'usable' | 'missing' | 'denied';
  /** /proc/sys/user/max_user_namespaces; null when the kernel does not have it. */
  readonly maxUserNamespaces: string | null;
  /** /proc/sys/kernel/unprivileged_userns_clone (Debian/Ubuntu kernels); null when absent. */
  readonly unprivilegedUsernsClone: string | null;
}

export interface MissingPrerequisite {
  readonly what: string;
  readonly fix: string;
}

/** The ranges of /etc/subuid or /etc/subgid (`owner:start:count` lines) that belong to `user`. */
export function subIdRangesOf(text: string, user: UserIdentity): SubIdRange[] {
  return parseSubIds(text)
    .filter((entry) => entry.owner === user.name || entry.owner === String(user.uid))
    .filter((entry) => entry.count > 0)
    .map(({ start, count }) => ({ start, count }));
}

function parseSubIds(text: string): (SubIdRange & { owner: string })[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'))
    .filter((fields) => fields.length === 3)
    .map(([owner, start, count]) => ({ owner: owner!, start: Number(start), count: Number(count) }))
    .filter((entry) => Number.isSafeInteger(entry.start) && Number.isSafeInteger(entry.count));
}

/** The first `count` ids from `min` on that no line of any of `texts` uses (for the fix we suggest). */
export function freeSubIdRange(texts: readonly string[], count = 65_536, min = 100_000): SubIdRange {
  const used = texts.flatMap(parseSubIds).sort((a, b) => a.start - b.start);
  let start = min;
  for (let moved = true; moved;) {
    moved = false;
    for (const range of used) {
      if (start < range.start + range.count && range.start < start + count) {
        start = range.start + range.count;
        moved = true;
      }
    }
  }
  return { start, count };
}

const installHint = (command: string, isRoot: boolean): string => (isRoot ? command : `sudo ${command}`);

/** Every missing prerequisite, in the order a user would fix them. Empty when the driver can run. */
export function missingPrerequisites(facts: RootlessFacts): MissingPrerequisite[] {
  const isRoot = facts.user.uid === 0;
  const sudo = (command: string): string => installHint(command, isRoot);
  const missing: MissingPrerequisite[] = [];
  if (!facts.dockerd.found) {
    missing.push({
      what: `dockerd not found (tried ${JSON.stringify(facts.dockerd.wanted)})`,
      fix: `${sudo('apt-get install docker.io')}, or set RDD_DOCKERD to its path`,
    });
  }
  for (const [program, path, pkg] of [
    ['rootlesskit', facts.rootlesskit, 'rootlesskit'],
    ['slirp4netns', facts.slirp4netns, 'slirp4netns'],
    ['newuidmap', facts.newuidmap, 'uidmap'],
    ['newgidmap', facts.newgidmap, 'uidmap'],
  ] as const) {
    if (!path) missing.push({ what: `${program} not found on PATH`, fix: sudo(`apt-get install ${pkg}`) });
  }
  const noSubuid = subIdRangesOf(facts.subuid ?? '', facts.user).length === 0;
  const noSubgid = subIdRangesOf(facts.subgid ?? '', facts.user).length === 0;
  if (noSubuid || noSubgid) {
    const free = freeSubIdRange([facts.subuid ?? '', facts.subgid ?? '']);
    const span = `${free.start}-${free.start + free.count - 1}`;
    const flags = [noSubuid ? `--add-subuids ${span}` : '', noSubgid ? `--add-subgids ${span}` : ''].filter(Boolean);
    const files = [noSubuid ? '/etc/subuid' : '', noSubgid ? '/etc/subgid' : ''].filter(Boolean).join(' and ');
    missing.push({
      what: `no range of subordinate ids for user ${facts.user.name} (uid ${facts.user.uid}) in ${files}`,
      fix: sudo(`usermod ${flags.join(' ')} ${facts.user.name}`),
    });
  }
  if (facts.tun === 'missing') {
    missing.push({ what: '/dev/net/tun does not exist', fix: sudo('modprobe tun') });
  } else if (facts.tun === 'denied') {
    missing.push({
      what: `/dev/net/tun is not readable and writable by ${facts.user.name}`,
      fix: `sudo chmod 0666 /dev/net/tun (distributions ship it 0666; a udev rule keeps it so)`,
    });
  }
  if (facts.maxUserNamespaces !== null && Number(facts.maxUserNamespaces.trim()) <= 0) {
    missing.push({
      what: 'user namespaces are disabled (user.max_user_namespaces is 0)',
      fix: sudo('sysctl -w user.max_user_namespaces=28633'),
    });
  }
  if (!isRoot && facts.unprivilegedUsernsClone !== null && facts.unprivilegedUsernsClone.trim() === '0') {
    missing.push({
      what: 'unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone is 0)',
      fix: 'sudo sysctl -w kernel.unprivileged_userns_clone=1',
    });
  }
  return missing;
}

/** One message for all of them, each with its fix. */
export function describeMissing(missing: readonly MissingPrerequisite[]): string {
  return (
    'the dockerd driver runs dockerd in a user and network namespace of its own (RootlessKit + slirp4netns) and ' +
    `cannot here: ${missing.map((item) => `${item.what} (fix: ${item.fix})`).join('; ')}`
  );
}

export function currentUser(): UserIdentity {
  const uid = process.getuid?.() ?? -1;
  try {
    return { name: os.userInfo().username, uid };
  } catch {
    // A uid with no passwd entry (some containers): /etc/subuid may still name it by number.
    return { name: String(uid), uid };
  }
}

async function readOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}

async function tunState(): Promise<RootlessFacts['tun']> {
  try {
    await fs.access('/dev/net/tun', fs.constants.R_OK | fs.constants.W_OK);
    return 'usable';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'denied';
  }
}

/** Reads what `missingPrerequisites` judges, for the user this process runs as. */
export async function gatherRootlessFacts(env: NodeJS.ProcessEnv): Promise<RootlessFacts> {
  const searchEnv = { ...env, PATH: rootlessPath(env) };
  const find = (name: string) => findExecutable(name, searchEnv);
  const wanted = env.RDD_DOCKERD || 'dockerd';
  return {
    user: currentUser(),
    dockerd: { wanted, found: await find(wanted) },
    rootlesskit: await find('rootlesskit'),
    slirp4netns: await find('slirp4netns'),
    newuidmap: await find('newuidmap'),
    newgidmap: await find('newgidmap'),
    subuid: await readOrNull('/etc/subuid'),
    subgid: await readOrNull('/etc/subgid'),
    tun: await tunState(),
    maxUserNamespaces: await readOrNull('/proc/sys/user/max_user_namespaces'),
    unprivilegedUsernsClone: await readOrNull('/proc/sys/kernel/unprivileged_userns_clone'),
  };
}
