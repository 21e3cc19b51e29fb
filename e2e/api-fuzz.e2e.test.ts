/**
 * A fuzz pass over the API of a real daemon: random JSON, valid requests with one field mutated, huge
 * strings, deep nesting, prototype keys and non-JSON bytes on every endpoint but `svc.stop`. Every
 * payload must get an envelope the daemon decided on (never Internal, never silence), Invalid exactly
 * when the request schema or the size limit refuses it; afterwards the daemon has the same pid, no
 * child restarted and the App and mirrors are as they were. Changing endpoints are sent only payloads
 * their schema refuses, so nothing legitimately changes. One daemon, no engine.
 */
import fc from 'fast-check';
import { endpoints, type EndpointName } from '../protocol/api.schema.js';
import { maxRequestBytes } from '../protocol/limits.js';
import { ApiSession, type Untouched } from './support/api-session.js';
import { TestInstance, uniqueInstance } from './support/cli.js';

type Fuzzed = Exclude<EndpointName, 'svc.stop'>;

/** A valid request per endpoint: what the mutations start from. */
const templates: Record<Fuzzed, Record<string, unknown>> = {
  'svc.status': {},
  'app.get': {},
  'resource.get': { kind: 'Container', name: 'absent' },
  'resource.list': { kind: 'Image' },
  'resource.delete': { kind: 'Volume', name: 'absent', force: false },
  'container.state': { name: 'absent', state: 'running' },
  'container.action': { name: 'absent', action: 'restart', wait: false },
  'container.logs': { name: 'absent', id: 'fuzzfuzzfuzzfuzz0001', tail: 10 },
  'app.set': { changes: { running: 'false' }, dryRun: true, request: { id: 'fuzzfuzz0001', basedOnGeneration: 0 } },
};
const fuzzed = Object.keys(templates) as Fuzzed[];
/** Endpoints a valid request would make change something: they get only payloads their schema refuses. */
const changing = new Set<Fuzzed>(['app.set', 'resource.delete', 'container.state', 'container.action']);
const runsPerEndpoint = 160;

const hugeString = fc.integer({ min: 1_000, max: 200_000 }).map((length) => 'x'.repeat(length));
const oddValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 }),
  fc.constantFrom('a..b', 'a.', '.', '>', '*', '', 'App', 'Bogus', 'app', '__proto__', '../etc', 'a b', 'ü'),
  hugeString,
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown),
);

/** `object` with `key` set as an own property, so `__proto__` is written as a key, not a prototype. */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

function payloads(endpoint: Fuzzed): fc.Arbitrary<string | Uint8Array> {
  const template = templates[endpoint];
  const keys = [...Object.keys(template), '__proto__', 'constructor', 'prototype', 'extra'];
  const changes = template.changes as Record<string, unknown> | undefined;
  return fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? ''),
    fc
      .record({ key: fc.constantFrom(...keys), value: oddValue })
      .map(({ key, value }) => JSON.stringify(withKey(template, key, value))),
    fc
      .record({ key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'vm', 'running.x'), value: oddValue })
      .map(({ key, value }) => JSON.stringify(withKey(template, 'changes', withKey(changes ?? {}, key, value)))),
    fc
      .record({ depth: fc.integer({ min: 100, max: 30_000 }), object: fc.boolean() })
      .map(({ depth, object }) =>
        object ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
      ),
    hugeString.map((text) => JSON.stringify(withKey(template, 'pad', text))),
    fc.uint8Array({ minLength: 1, maxLength: 2_048 }),
  );
}

/** Whether the daemon must refuse `payload` as Invalid: too big, not JSON, or not what the schema allows. */
function mustRefuse(endpoint: Fuzzed, payload: string | Uint8Array): boolean {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  if (bytes.length > maxRequestBytes) return true;
  const text = Buffer.from(bytes).toString('utf8');
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return true;
  }
  return !endpoints[endpoint].request.safeParse(body).success;
}

/**
 * What a well-formed request may be answered. The App is stopped (ApiSession.start), so there is no
 * engine to read logs from: a valid logs request is Unavailable, saying the engine is not connected.
 */
function validAnswers(endpoint: string): string[] {
  return endpoint === 'container.logs' ? ['Unavailable'] : ['ok', 'NotFound'];
}

const instance = new TestInstance(uniqueInstance('fuzz'));
let session: ApiSession;
let before: Untouched;

beforeAll(async () => {
  session = await ApiSession.start(instance);
  before = await session.untouched();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await instance.dispose();
});

describe('the API under random and mutated payloads', () => {
  const answers = new Map<string, number>();
  let sent = 0;
  let skipped = 0;

  it('should answer every payload itself: Invalid exactly when it is malformed, else as the endpoint may', async () => {
    for (const endpoint of fuzzed) {
      await fc.assert(
        fc.asyncProperty(payloads(endpoint), async (payload) => {
          const refuse = mustRefuse(endpoint, payload);
          if (changing.has(endpoint) && !refuse) {
            skipped += 1;
            return;
          }
          const reply = await session.raw(endpoint, payload);
          sent += 1;
          const code = reply.ok ? 'ok' : reply.error.code;
          answers.set(code, (answers.get(code) ?? 0) + 1);
          if (refuse) expect(code).toBe('Invalid');
          else expect(validAnswers(endpoint)).toContain(code);
        }),
        { numRuns: runsPerEndpoint },
      );
    }

    expect(sent).toBeGreaterThanOrEqual(1_000);
  }, 300_000);

  it('should leave the daemon, its children, the App and the mirrors as they were', async () => {
    const after = await session.untouched();
    const status = await instance.rdd(['svc', 'status', '-o', 'json']);
    const restarts = Object.values(after.restarts).reduce((sum, count) => sum + count, 0);
    const byCode = [...answers.entries()].map(([code, count]) => `${code} ${count}`).join(', ');
    console.log(
      `API fuzz: ${sent} payloads sent to ${fuzzed.length} endpoints (${skipped} valid ones for changing ` +
        `endpoints not sent); answers: ${byCode}; child restarts: ${restarts}; daemon pid ${before.daemonPid} before, ${after.daemonPid} after`,
    );

    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, pid: before.daemonPid });
    expect(after).toEqual(before);
    expect(restarts).toBe(0);
  });
});
