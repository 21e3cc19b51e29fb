/**
 * Admission against a real daemon: over-long values, malformed versions and sockets, prototype keys,
 * unknown kinds, names that are no KV key and over-sized requests are each refused as Invalid (exit 3
 * in the CLI) naming what is allowed, and change nothing: the App keeps its resourceVersion, no mirror
 * appears, the daemon and its children keep running. One daemon for the file; no engine is started.
 */
import { maxRequestBytes } from '../protocol/limits.js';
import { ApiSession, type Untouched } from './support/api-session.js';
import { TestInstance, uniqueInstance } from './support/cli.js';

const instance = new TestInstance(uniqueInstance('adm'));
let session: ApiSession;
let before: Untouched;

const huge = (length: number): string => 'x'.repeat(length);
const setIdentity = { id: 'admissione2e0001', basedOnGeneration: 0 };
const validKinds = /valid kinds: App, Container, Image, Volume, Network, ContainerNamespace/;
const nameForm = /names are 1-253 letters, digits, "_" and "-", starting with a letter or digit \(no "\." or "\/"\)/;

beforeAll(async () => {
  session = await ApiSession.start(instance);
  before = await session.untouched();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await instance.dispose();
});

describe('rdd set refuses a bad change with exit 3, naming what is allowed', () => {
  it.each([
    ['a 120,000-character kubernetes.version', [`kubernetes.version=${huge(120_000)}`], /at most 32 characters/],
    ['a 120,000-character vm.socket', [`vm.socket=/${huge(120_000)}`], /at most 4096 characters/],
    ['a version that is no version', ['kubernetes.version=newest'], /expected a version such as 1\.34\.6 or v1\.34\.6/],
    ['a relative vm.socket', ['vm.socket=docker.sock'], /expected an absolute path such as \/var\/run\/docker\.sock/],
    ['the key __proto__', ['__proto__=1'], /unknown property "__proto__"; valid properties: running, /],
    ['the key constructor', ['constructor=1'], /unknown property "constructor"; valid properties: running, /],
    ['the key prototype', ['prototype=1'], /unknown property "prototype"; valid properties: running, /],
    ['a bad change beside a good one', ['running=true', 'vm.socket=relative'], /expected an absolute path/],
  ])('should refuse %s', async (_what, assignments, message) => {
    const result = await instance.rdd(['set', ...assignments, '--timeout', '30s']);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.length).toBeLessThan(2_000);
  });

  it.each([
    ['v1.29.3', 'v1.29.3'],
    ['stable', 'stable'],
  ])('should still accept kubernetes.version=%s in a dry run', async (version, expected) => {
    const result = await instance.rdd(['set', '--dry-run', `kubernetes.version=${version}`, '-o', 'json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ spec: { kubernetes: { version: expected } } });
  });

  it.each([
    ['ctl get', ['ctl', 'get', 'bogus']],
    ['ctl delete', ['ctl', 'delete', 'bogus/x']],
  ])('should refuse an unknown kind in rdd %s, naming the valid kinds', async (_what, args) => {
    const result = await instance.rdd(args);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/unknown kind "bogus"; valid kinds: app \(apps\), container \(containers, c\)/);
  });
});

describe('the API refuses a bad request as Invalid, naming what is allowed', () => {
  const set = (changes: string): string => `{"changes":${changes},"request":${JSON.stringify(setIdentity)}}`;

  it.each([
    [
      'app.set',
      'a 1,040,000-character value',
      set(JSON.stringify({ 'vm.socket': huge(1_040_000) })),
      /at most 65536 bytes \(64 KiB\)/,
    ],
    ['svc.status', 'an over-sized body', `{"pad":"${huge(maxRequestBytes)}"}`, /at most 65536 bytes/],
    [
      'app.set',
      'a 5,000-character value',
      set(JSON.stringify({ 'vm.socket': `/${huge(5_000)}` })),
      /changes\.vm\.socket: values are at most 4096 characters/,
    ],
    [
      'app.set',
      'a 100-character version',
      set(JSON.stringify({ 'kubernetes.version': huge(100) })),
      /"kubernetes\.version": at most 32 characters/,
    ],
    [
      'app.set',
      'a version that is no version',
      set('{"kubernetes.version":"1.x"}'),
      /expected a version such as 1\.34\.6/,
    ],
    ['app.set', 'a relative socket', set('{"vm.socket":"run/docker.sock"}'), /expected an absolute path/],
    [
      'app.set',
      'the key __proto__',
      set('{"__proto__":"1"}'),
      /unknown property "__proto__"; valid properties: running, /,
    ],
    ['app.set', 'a __proto__ object', set('{"__proto__":{"running":"true"}}'), /unknown property "__proto__"/],
    [
      'app.set',
      'the key constructor',
      set('{"constructor":"1"}'),
      /unknown property "constructor"; valid properties: /,
    ],
    ['app.set', 'the key prototype', set('{"prototype":"1"}'), /unknown property "prototype"; valid properties: /],
    ['resource.list', 'an unknown kind', '{"kind":"Bogus"}', validKinds],
    ['resource.get', 'an unknown kind', '{"kind":"Bogus","name":"x"}', validKinds],
    ['resource.delete', 'an unknown kind', '{"kind":"Bogus","name":"x"}', validKinds],
    ['resource.get', 'the name a..b', '{"kind":"Container","name":"a..b"}', nameForm],
    ['resource.get', 'the name a.', '{"kind":"Container","name":"a."}', nameForm],
    ['resource.delete', 'the name a..b', '{"kind":"Image","name":"a..b"}', nameForm],
    ['container.state', 'the name a.', '{"name":"a.","state":"running"}', nameForm],
    ['container.action', 'the name a..b', '{"name":"a..b","action":"restart"}', nameForm],
    ['resource.get', 'a 300-character name', `{"kind":"Container","name":"${huge(300)}"}`, nameForm],
  ])('should refuse on %s %s', async (endpoint, _what, body, message) => {
    const reply = await session.raw(endpoint, body);

    expect(reply).toMatchObject({ ok: false, error: { code: 'Invalid' } });
    expect(!reply.ok && reply.error.message).toMatch(message);
    expect(!reply.ok && reply.error.message.length).toBeLessThan(2_000);
  });
});

describe('after every refusal', () => {
  it('should have changed nothing: the App, the mirrors, the daemon and its children', async () => {
    const after = await session.untouched();

    expect(after).toEqual(before);
  });
});
