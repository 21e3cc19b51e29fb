/**
 * The file a client reads to reach an instance's bus: the URL and the credentials. The daemon writes
 * it 0600; nothing else on the machine may read it.
 */
import { z } from 'zod';

export const busCredentialsSchema = z.union([
  z.object({ url: z.string(), user: z.string(), pass: z.string() }).strict(),
  z.object({ url: z.string(), token: z.string() }).strict(),
]);
export type BusCredentials = z.infer<typeof busCredentialsSchema>;

/** The connection options the nats.js client takes for these credentials. */
export function connectionAuth(creds: BusCredentials): { user: string; pass: string } | { token: string } {
  return 'token' in creds ? { token: creds.token } : { user: creds.user, pass: creds.pass };
}
