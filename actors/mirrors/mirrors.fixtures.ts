/**
 * Real inspect output for the builder tests, captured from dockerd 20.10.24 (fixtures/*.json, see
 * fixtures/README.md), and the permutations the determinism tests feed the builders.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerInspectInfo, ImageInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { MirrorOptions } from './canonical.js';
import type { VolumeInspect } from './build-volume.js';

export const NAMESPACE = 'rancher-desktop';
export const OBSERVED_AT = '2026-11-26T14:05:00.000Z';
export const LATER = '2026-11-26T14:06:00.000Z';
export const OPTIONS: MirrorOptions = { namespace: NAMESPACE, observedAt: OBSERVED_AT };

export const TAGGED_IMAGE_ID = 'sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985';
export const DANGLING_IMAGE_ID = 'sha256:0b10e21ddaf40370a03d59d2249771d5f46bee227b20655dfffa20570aa78c72';

export type ContainerFixture = 'web' | 'exited' | 'paused' | 'created' | 'flappy';
export type VolumeFixture = 'fxdata' | 'fxtmp' | 'fxanon';
export type NetworkFixture = 'fx' | 'fx-internal' | 'host' | 'none';

function load<T>(file: string): T[] {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', file), 'utf8')) as T[];
}

function pick<T>(items: T[], matches: (item: T) => boolean, what: string): T {
  const item = items.find(matches);
  if (item === undefined) throw new Error(`no fixture ${what}`);
  return item;
}

/**
 * A fresh copy of a container's inspect: `web` (running, published ports, healthy), `exited` (code 3),
 * `paused`, `created` (never started) or `flappy` (restarting).
 */
export function containerFixture(name: ContainerFixture): ContainerInspectInfo {
  return pick(load<ContainerInspectInfo>('containers.json'), (item) => item.Name === `/${name}`, name);
}

/** A fresh copy of an image's inspect: `tagged` (two tags, labels) or `dangling` (no tags, null labels). */
export function imageFixture(which: 'tagged' | 'dangling'): ImageInspectInfo {
  const id = which === 'tagged' ? TAGGED_IMAGE_ID : DANGLING_IMAGE_ID;
  return pick(load<ImageInspectInfo>('images.json'), (item) => item.Id === id, which);
}

/** `fxdata` (labels), `fxtmp` (tmpfs options, a label) or `fxanon` (null labels and options). */
export function volumeFixture(name: VolumeFixture): VolumeInspect {
  return pick(load<VolumeInspect>('volumes.json'), (item) => item.Name === name, name);
}

/** `fx` (two subnets, three containers, attachable), `fx-internal`, and the predefined `host` and `none`. */
export function networkFixture(name: NetworkFixture): NetworkInspectInfo {
  return pick(load<NetworkInspectInfo>('networks.json'), (item) => item.Name === name, name);
}

/** The same entries, inserted in reverse order. */
export function reversedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).reverse());
}

/** The same entries, inserted rotated by one. */
export function rotatedKeys<T>(record: Record<string, T>): Record<string, T> {
  const [first, ...rest] = Object.entries(record);
  return Object.fromEntries(first === undefined ? [] : [...rest, first]);
}

export const reversed = <T>(items: readonly T[]): T[] => [...items].reverse();

/** Two orders of the same collections: the determinism tests build from each and compare. */
export const permutations = [
  { name: 'reversed', keys: reversedKeys, list: reversed },
  {
    name: 'rotated',
    keys: rotatedKeys,
    list: <T>(items: readonly T[]): T[] => (items.length === 0 ? [] : [...items.slice(1), items[0] as T]),
  },
] as const;
export type Permutation = (typeof permutations)[number];
