import { checkBusCredentials } from './bus-credentials.js';
import { busCredentialsSchema } from './credentials.js';

describe('checkBusCredentials', () => {
  it.each([
    { url: 'nats://127.0.0.1:4222', user: 'cli', pass: 'secret' },
    { url: 'nats://127.0.0.1:4222', user: 'cli', pass: 'secret', inboxPrefix: '_INBOX_cli.x' },
    { url: 'nats://127.0.0.1:4222', token: 't' },
  ])('should accept usable credentials as they are: %j', (creds) => {
    expect(checkBusCredentials(creds)).toBe(creds);
  });

  it.each([
    [null, 'expected an object'],
    [{ url: 'u', user: 'cli' }, 'pass: expected a string, got undefined'],
    [{ url: 3, token: 't' }, 'url: expected a string, got number'],
    [{ url: 'u', token: 't', user: 'cli' }, 'unrecognized keys "user"'],
    [{ url: 'u', token: 't', inboxPrefix: 'a.*' }, 'inboxPrefix: an inbox prefix is dot-separated tokens'],
  ])('should say what is malformed in %j, as the schema refuses it', (creds, issue) => {
    const checked = checkBusCredentials(creds);

    expect(checked).toEqual({ malformed: expect.stringContaining(issue) });
    expect(busCredentialsSchema.safeParse(creds).success).toBe(false);
  });
});
