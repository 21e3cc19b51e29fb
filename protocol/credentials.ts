/**
 * The files a program reads to reach an instance's bus: the URL, a user's credentials and the inbox
 * prefix that user may receive replies on. The daemon writes one file per role, each 0600; nats-server
 * enforces what each role may publish and subscribe to (actors/bus/bus-permissions.ts).
 */
import { z } from 'zod';
import { inboxPrefixPattern } from './bus-credentials.js';

export { inboxPrefixPattern };

/**
 * Who connects: the daemon (everything it needs, and it alone publishes internal subjects and writes
 * the store), a client (the CLI and other programs: the API, reading and watching), a watcher (reading
 * and watching only).
 */
export const busRoles = ['daemon', 'client', 'watch'] as const;
export type BusRole = (typeof busRoles)[number];

const inboxPrefix = z
  .string()
  .regex(inboxPrefixPattern, 'an inbox prefix is dot-separated tokens of letters, digits, "_" and "-"')
  .optional();

export const busCredentialsSchema = z.union([
  z.object({ url: z.string(), user: z.string(), pass: z.string(), inboxPrefix }).strict(),
  z.object({ url: z.string(), token: z.string(), inboxPrefix }).strict(),
]);
export type BusCredentials = z.infer<typeof busCredentialsSchema>;

export { connectionAuth } from './bus-credentials.js';
