/**
 * The resource kinds a client can name, and the words the CLI accepts for each (`rdd ctl get c`,
 * `rdd ctl get images`): the lower-case kind, its plural and a short name, as kubectl has them.
 */
import { ApiError } from '../api-error.js';
import { quoteForMessage } from '../limits.js';
import {
  appApiVersion,
  appKind,
  containerKind,
  containerNamespaceKind,
  imageKind,
  mirrorApiVersion,
  networkKind,
  volumeKind,
} from '../resource-names.js';

export const mirrorKinds = [containerKind, imageKind, volumeKind, networkKind, containerNamespaceKind] as const;
export type MirrorKind = (typeof mirrorKinds)[number];
export type KindName = MirrorKind | typeof appKind;

export interface KindInfo {
  kind: KindName;
  apiVersion: string;
  /** What the CLI accepts, case-insensitively; the first is the canonical lower-case name. */
  aliases: readonly [string, ...string[]];
}

/** Every kind a client can name, in the order help lists them. */
export const kindInfos: readonly KindInfo[] = [
  { kind: appKind, apiVersion: appApiVersion, aliases: ['app', 'apps'] },
  { kind: containerKind, apiVersion: mirrorApiVersion, aliases: ['container', 'containers', 'c'] },
  { kind: imageKind, apiVersion: mirrorApiVersion, aliases: ['image', 'images', 'img'] },
  { kind: volumeKind, apiVersion: mirrorApiVersion, aliases: ['volume', 'volumes', 'vol'] },
  { kind: networkKind, apiVersion: mirrorApiVersion, aliases: ['network', 'networks', 'net'] },
  {
    kind: containerNamespaceKind,
    apiVersion: mirrorApiVersion,
    aliases: ['containernamespace', 'containernamespaces', 'cns'],
  },
];

/** `app, container (containers, c), …`: how error messages and help list the kinds. */
export function describeKinds(): string {
  return kindInfos
    .map(({ aliases: [name, ...others] }) => (others.length === 0 ? name : `${name} (${others.join(', ')})`))
    .join(', ');
}

/** A kind the CLI was given that names none of {@link kindInfos}. */
export class UnknownKindError extends ApiError {
  override readonly name = 'UnknownKindError';
  constructor(readonly text: string) {
    super('Invalid', `unknown kind ${quoteForMessage(text)}; valid kinds: ${describeKinds()}`, {
      kind: text.slice(0, 64),
    });
  }
}

/** `containers.rancherdesktop.io`: the API group of a kind, as `-o name` prints it after the kind. */
export function groupOf(info: Pick<KindInfo, 'apiVersion'>): string {
  return info.apiVersion.slice(0, info.apiVersion.indexOf('/'));
}

/** `v1alpha1`: the version part of a kind's apiVersion. */
export function versionOf(info: Pick<KindInfo, 'apiVersion'>): string {
  return info.apiVersion.slice(info.apiVersion.indexOf('/') + 1);
}

/** A kind named with a group (`container.example.io`) that is not the kind's own. */
export class UnknownGroupError extends ApiError {
  override readonly name = 'UnknownGroupError';
  constructor(text: string, info: KindInfo) {
    super(
      'Invalid',
      `unknown group in ${quoteForMessage(text)}: ${info.kind} is in ${groupOf(info)} ` +
        `(valid groups: ${[...new Set(kindInfos.map(groupOf))].join(', ')})`,
      { kind: text.slice(0, 64) },
    );
  }
}

/**
 * The kind `text` names: a lower-case kind, its plural or short name, or the CamelCase kind itself,
 * optionally qualified as kubectl prints it with `-o name`: `KIND.GROUP` or `KIND.VERSION.GROUP`.
 *
 * @example resolveKind('img').kind // 'Image'
 * @example resolveKind('image.containers.rancherdesktop.io').kind // 'Image'
 * @throws UnknownKindError listing the valid kinds; UnknownGroupError naming the valid groups
 */
export function resolveKind(text: string): KindInfo {
  const trimmed = text.trim().toLowerCase();
  const dot = trimmed.indexOf('.');
  const word = dot < 0 ? trimmed : trimmed.slice(0, dot);
  const info = kindInfos.find((candidate) => candidate.aliases.includes(word));
  if (!info) throw new UnknownKindError(text);
  if (dot < 0) return info;
  const qualifier = trimmed.slice(dot + 1);
  const group = groupOf(info);
  if (qualifier !== group && qualifier !== `${versionOf(info)}.${group}`) throw new UnknownGroupError(text, info);
  return info;
}
