/**
 * A bus credentials file as a client reads it, checked with a few typeof checks instead of
 * protocol/credentials.ts's schema, so the CLI's read commands load no zod (client/README.md). The daemon
 * writes these files; a client needs only to tell a malformed one from a usable one, with a clear error.
 */

/** A user and password (what rdd's daemon writes), or a token; each may name its inbox prefix. */
export type BusCredentials = { url: string; inboxPrefix?: string } & (
  { user: string; pass: string } | { token: string }
);

/** nats-server takes any non-wildcard subject as a prefix; one per role keeps each role's replies its own. */
export const inboxPrefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const userKeys = ['url', 'user', 'pass', 'inboxPrefix'];
const tokenKeys = ['url', 'token', 'inboxPrefix'];

/**
 * The credentials in `value`, or what is wrong with them: the same rules as protocol/credentials.ts's
 * schema (url and user/pass or token strings, an optional inbox prefix of dot-separated tokens, no
 * other key).
 */
export function checkBusCredentials(value: unknown): BusCredentials | { malformed: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { malformed: 'expected an object with url and user/pass or token' };
  const fields = value as Record<string, unknown>;
  const allowed = 'token' in fields ? tokenKeys : userKeys;
  const required = allowed.filter((key) => key !== 'inboxPrefix');
  for (const key of required)
    if (typeof fields[key] !== 'string')
      return { malformed: `${key}: expected a string, got ${typeName(fields[key])}` };
  const unknown = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) return { malformed: `unrecognized keys ${unknown.map((key) => `"${key}"`).join(', ')}` };
  const prefix = fields.inboxPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || !inboxPrefixPattern.test(prefix)))
    return { malformed: 'inboxPrefix: an inbox prefix is dot-separated tokens of letters, digits, "_" and "-"' };
  return value as BusCredentials;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The connection options the nats.js client takes for these credentials. */
export function connectionAuth(
  creds: BusCredentials,
): ({ user: string; pass: string } | { token: string }) & { inboxPrefix?: string } {
  const auth = 'token' in creds ? { token: creds.token } : { user: creds.user, pass: creds.pass };
  return creds.inboxPrefix ? { ...auth, inboxPrefix: creds.inboxPrefix } : auth;
}
