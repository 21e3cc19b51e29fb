/**
 * Who may say what on an instance's bus, enforced by nats-server itself (its `authorization.users`),
 * so a program holding the client's credentials cannot forge what the actors tell each other, write
 * the store, reach the JetStream admin API or read anyone else's replies.
 *
 * - daemon: everything. It owns the server, and only it publishes on the actor subjects (`desired`,
 *   `status`, `hello`, mirror requests, `debug.crash`) and writes the KV bucket.
 * - client: the API, the inspection lease and log credits; reading and watching the resource bucket
 *   and the supervision stream; the public subjects; replies on its own inbox prefix. Not the NATS
 *   service discovery subjects (`$SRV.>`): the service library answers them itself, to whatever reply
 *   subject the request names, with the daemon's rights (actors/bus/reply-subjects.ts says why that
 *   matters); `nats micro ls` needs the daemon's credentials.
 * - watch: the client's reads and subscriptions, without the API.
 *
 * The JetStream rights are the subjects nats.js uses to read a KV bucket (stream info, direct get,
 * ordered consumers and their flow control) named per stream, never `$JS.API.>`.
 */
import type { BusRole } from '../../protocol/credentials.js';
import { inspectionLeaseSubject, inspectWildcard } from '../../protocol/inspection.schema.js';
import {
  actorSubject,
  apiGroup,
  clientInboxPrefix,
  engineDriftSubject,
  logCreditWildcard,
  resourceBucket,
  supervisionStream,
  supervisionWildcard,
} from '../../protocol/subjects.js';

export interface RolePermissions {
  publish: string[];
  subscribe: string[];
}

/** Each role's reply prefix; the daemon keeps nats.js's default `_INBOX`, which no other role may read. */
export const roleInboxPrefix: Record<BusRole, string | undefined> = {
  daemon: undefined,
  client: clientInboxPrefix,
  watch: '_INBOX_rdd_watch',
};

/** The stream behind a KV bucket, as JetStream names it. */
function kvStream(bucket: string): string {
  return `KV_${bucket}`;
}

/** Read-only access to one stream: what `kv.get`, `kv.keys`, `kv.watch` and an ordered consumer send. */
function readStream(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.*`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.FC.${stream}.>`,
    `$JS.ACK.${stream}.>`,
  ];
}

function watchPermissions(instance: string, inboxPrefix: string): RolePermissions {
  return {
    publish: [
      inspectionLeaseSubject(instance),
      '$JS.API.INFO',
      ...readStream(kvStream(resourceBucket(instance))),
      ...readStream(supervisionStream(instance)),
    ],
    subscribe: [
      `${inboxPrefix}.>`,
      supervisionWildcard(instance),
      inspectWildcard(instance),
      actorSubject(instance, 'vm', 'status'),
      actorSubject(instance, 'engine', 'status'),
      engineDriftSubject(instance),
    ],
  };
}

/** The permissions of every role but the daemon, whose rights are the server's whole subject space. */
export function rolePermissions(instance: string, role: Exclude<BusRole, 'daemon'>): RolePermissions {
  const prefix = roleInboxPrefix[role] as string;
  const watch = watchPermissions(instance, prefix);
  if (role === 'watch') return watch;
  return {
    publish: [`${apiGroup(instance)}.>`, logCreditWildcard(instance), ...watch.publish],
    subscribe: watch.subscribe,
  };
}

export interface RoleCredentials {
  user: string;
  pass: string;
}

/** The `authorization` block of nats-server's config for the three roles. */
export function authorizationConfig(instance: string, users: Record<BusRole, RoleCredentials>): string {
  const quote = (value: string): string => JSON.stringify(value);
  const list = (subjects: string[]): string => `[${subjects.map(quote).join(', ')}]`;
  const entry = (role: BusRole): string => {
    const { user, pass } = users[role];
    const head = `    { user: ${quote(user)}, password: ${quote(pass)}`;
    if (role === 'daemon') return `${head} }`;
    const permissions = rolePermissions(instance, role);
    return (
      `${head},\n      permissions: {\n` +
      `        publish: { allow: ${list(permissions.publish)} },\n` +
      `        subscribe: { allow: ${list(permissions.subscribe)} }\n      } }`
    );
  };
  return ['authorization {', '  users: [', ...(['daemon', 'client', 'watch'] as const).map(entry), '  ]', '}'].join(
    '\n',
  );
}
