/**
 * The files a program reads to reach an instance's bus: the URL, a user's credentials and the inbox
 * prefix that user may receive replies on. The daemon writes one file per role, each 0600; nats-server
 * enforces what each role may publish and subscribe to (actors/bus/bus-permissions.ts).
 */
import { z } from 'zod';

/**
 * Who connects: the daemon (everything it needs, and it alone publishes internal subjects and writes
 * the store), a client (the CLI and other programs: the API, reading and watching), a watcher (reading
 * and watching only).
 */
export const busRoles = ['daemon', 'client', 'watch'] as const;
export type BusRole = (typeof busRoles)[number];

/** nats-server takes any non-wildcard subject as a prefix; one per role keeps each role's replies its own. */
export const inboxPrefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const inboxPrefix = z
  .string()
  .regex(inboxPrefixPattern, 'an inbox prefix is dot-separated tokens of letters, digits, "_" and "-"')
  .optional();

export const busCredentialsSchema = z.union([
  z.object({ url: z.string(), user: z.string(), pass: z.string(), inboxPrefix }).strict(),
  z.object({ url: z.string(), token: z.string(), inboxPrefix }).strict(),
]);
export type BusCredentials = z.infer<typeof busCredentialsSchema>;

/** The connection options the nats.js client takes for these credentials. */
export function connectionAuth(
  creds: BusCredentials,
): ({ user: string; pass: string } | { token: string }) & { inboxPrefix?: string } {
  const auth = 'token' in creds ? { token: creds.token } : { user: creds.user, pass: creds.pass };
  return creds.inboxPrefix ? { ...auth, inboxPrefix: creds.inboxPrefix } : auth;
}
