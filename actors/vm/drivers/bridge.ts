/**
 * The bridge of an rdd-started dockerd. Docker's default `docker0` belongs to the system dockerd (and
 * may not work on these machines), so each instance brings its own: named and addressed from a hash of
 * its data dir, so a restart — or an adoption — finds the same bridge and subnet again.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'winston';
import { runChecked, runCommand } from './run-command.js';

/** rdd's private range; the third octet comes from the hash. */
const subnetBase = [10, 213] as const;

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

export interface Bridge {
  readonly name: string;
  /** The bridge's own address with its prefix, e.g. 10.213.42.1/24 (dockerd takes the subnet from it). */
  readonly address: string;
}

function digest(dir: string): Buffer {
  return createHash('sha256').update(dir).digest();
}

/** `rdd-` and 8 hex digits: 12 bytes, within the kernel's 15-byte interface names (IFNAMSIZ 16). */
export function bridgeName(dir: string): string {
  return `rdd-${digest(dir).toString('hex').slice(0, 8)}`;
}

/** Third octets to try, in order: the hashed one first, then the next ones, skipping .0 and .255. */
export function subnetCandidates(dir: string): number[] {
  const start = digest(dir)[4] ?? 0;
  const octets: number[] = [];
  for (let i = 0; i < 256; i++) {
    const octet = (start + i) % 256;
    if (octet !== 0 && octet !== 255) octets.push(octet);
  }
  return octets;
}

export function parseCidr(text: string): Cidr | null {
  const [address, prefixText] = text.split('/');
  const parts = (address ?? '').split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return null;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const value = parts.reduce((sum, part) => sum * 256 + part, 0);
  return { network: (value & mask(prefix)) >>> 0, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const shorter = mask(Math.min(a.prefix, b.prefix));
  return (a.network & shorter) >>> 0 === (b.network & shorter) >>> 0;
}

/** The first candidate /24 that overlaps no route or address in use; the default route does not count. */
export function chooseSubnet(dir: string, inUse: readonly Cidr[]): string {
  const specific = inUse.filter((cidr) => cidr.prefix > 0);
  for (const octet of subnetCandidates(dir)) {
    const candidate = { network: parseCidr(`${subnetBase.join('.')}.${octet}.0/24`)!.network, prefix: 24 };
    if (!specific.some((used) => overlaps(candidate, used))) return `${subnetBase.join('.')}.${octet}.1/24`;
  }
  throw new Error(`every /24 in ${subnetBase.join('.')}.0.0/16 is in use on this host`);
}

interface IpRoute {
  dst?: string;
  dev?: string;
}
interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
}
interface IpLink {
  ifname?: string;
  addr_info?: IpAddrInfo[];
}

/** The IPv4 destinations of `ip -j route` and the subnets of `ip -j addr`, except on `exceptDev`. */
export function cidrsInUse(routesJson: string, addrsJson: string, exceptDev: string): Cidr[] {
  const routes = JSON.parse(routesJson || '[]') as IpRoute[];
  const links = JSON.parse(addrsJson || '[]') as IpLink[];
  const texts = [
    ...routes.filter((route) => route.dev !== exceptDev && route.dst && route.dst !== 'default').map((r) => r.dst!),
    ...links
      .filter((link) => link.ifname !== exceptDev)
      .flatMap((link) => link.addr_info ?? [])
      .filter((info) => info.family === 'inet' && info.local)
      .map((info) => `${info.local}/${info.prefixlen ?? 32}`),
  ];
  return texts.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== null);
}

/** The first IPv4 address (with prefix) of `name` in `ip -j addr` output, or null. */
export function addressOf(addrsJson: string, name: string): string | null {
  const links = JSON.parse(addrsJson || '[]') as IpLink[];
  const info = links.find((link) => link.ifname === name)?.addr_info?.find((i) => i.family === 'inet' && i.local);
  return info ? `${info.local}/${info.prefixlen ?? 32}` : null;
}

const ipOptions = { timeoutMs: 10_000 };

function explainMissingIp(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error('ip not found: install iproute2 (Debian: apt-get install iproute2)', { cause: error });
  throw error;
}

async function ip(args: readonly string[]): Promise<string> {
  return (await runChecked('ip', args, ipOptions).catch(explainMissingIp)).stdout;
}

/** Finds the instance's bridge (left by an earlier run) or creates it, up and addressed. */
export async function ensureBridge(dir: string, logger: Logger): Promise<Bridge> {
  const name = bridgeName(dir);
  const exists = (await runCommand('ip', ['link', 'show', 'dev', name], ipOptions).catch(explainMissingIp)).code === 0;
  const addrs = await ip(['-j', '-4', 'addr', 'show']);
  const existing = exists ? addressOf(addrs, name) : null;
  if (existing) {
    await ip(['link', 'set', 'dev', name, 'up']);
    return { name, address: existing };
  }
  const address = chooseSubnet(dir, cidrsInUse(await ip(['-j', '-4', 'route', 'show']), addrs, name));
  if (!exists) await ip(['link', 'add', 'name', name, 'type', 'bridge']);
  try {
    await ip(['addr', 'add', address, 'dev', name]);
    await ip(['link', 'set', 'dev', name, 'up']);
  } catch (error) {
    await removeBridge(name);
    throw error;
  }
  logger.info(`Created bridge ${name} with ${address}`);
  return { name, address };
}

/** Deletes the bridge; false when it was already gone. */
export async function removeBridge(name: string): Promise<boolean> {
  const result = await runCommand('ip', ['link', 'delete', 'dev', name], ipOptions).catch(explainMissingIp);
  if (result.code === 0) return true;
  if (/cannot find device|does not exist/i.test(result.stderr)) return false;
  throw new Error(`ip link delete ${name} exited with code ${result.code ?? '?'}: ${result.stderr.trim()}`);
}
