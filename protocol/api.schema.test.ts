import { describeIssues, endpointParts, endpoints, replyEnvelopeSchema } from './api.schema.js';
import { maxNameLength, maxPropertyValueLength } from './limits.js';
import { resourceNamePattern } from './resource.schema.js';

const setIdentity = { id: 'abcdef0123456789', basedOnGeneration: 0 };

/** JSON as the API reads it: a `"__proto__"` key stays an own key. */
const parsedJson = (text: string): unknown => JSON.parse(text);

describe('API request schemas', () => {
  it.each([
    ['svc.status', {}],
    ['svc.stop', {}],
    ['resource.get', { kind: 'Container', name: 'abc123' }],
    ['resource.get', { kind: 'App', name: 'app' }],
    ['resource.list', { kind: 'Image' }],
    ['resource.list', { kind: 'ContainerNamespace' }],
    ['resource.delete', { kind: 'Volume', name: `vol-${'a'.repeat(64)}` }],
    ['container.state', { name: 'a'.repeat(64), state: 'running' }],
    ['app.set', { changes: { running: 'true', 'vm.socket': '/var/run/docker.sock' }, request: setIdentity }],
  ] as const)('should accept a well-formed %s request', (endpoint, body) => {
    expect(endpoints[endpoint].request.safeParse(body).success).toBe(true);
  });

  it.each([
    ['svc.status', { extra: 1 }, /Unrecognized key/],
    ['resource.get', { kind: 'Container' }, /name/],
    ['resource.list', { kind: 7 }, /kind: expected a kind, one of: App, Container/],
    ['resource.list', 'App', /expected object/],
  ] as const)('should reject a malformed %s request (%j) with a readable message', (endpoint, body, message) => {
    const parsed = endpoints[endpoint].request.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toMatch(message);
  });

  it.each([
    ['resource.get', { kind: 'Bogus', name: 'x' }],
    ['resource.get', { kind: 'container', name: 'x' }],
    ['resource.list', { kind: 'Bogus' }],
    ['resource.list', { kind: 'Containers' }],
    ['resource.delete', { kind: 'Pod', name: 'x' }],
  ] as const)('should refuse an unknown kind in %s (%j), naming the valid kinds', (endpoint, body) => {
    const parsed = endpoints[endpoint].request.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toMatch(
      /^kind: unknown kind "\w+"; valid kinds: App, Container, Image, Volume, Network, ContainerNamespace$/,
    );
  });

  it.each(['a..b', 'a.', '.a', 'a.b', '../etc', 'a/b', 'a b', 'a*', 'a>', '', '-a', 'x'.repeat(maxNameLength + 1)])(
    'should refuse the name %j before it can become a KV key, naming the allowed form',
    (name) => {
      for (const endpoint of ['resource.get', 'resource.delete'] as const) {
        const parsed = endpoints[endpoint].request.safeParse({ kind: 'Container', name });

        expect(parsed.success).toBe(false);
        expect(describeIssues(parsed.error!)).toMatch(
          /name: names are 1-253 letters, digits, "_" and "-", starting with a letter or digit \(no "\." or "\/"\)/,
        );
      }
      expect(endpoints['container.action'].request.safeParse({ name, action: 'restart' }).success).toBe(false);
    },
  );

  it.each(['app', 'moby', 'a'.repeat(64), `img-${'0'.repeat(64)}`, 'x'.repeat(maxNameLength)])(
    'should accept the name %s, of the forms rdd itself writes',
    (name) => {
      expect(name).toMatch(resourceNamePattern);
    },
  );

  it.each([
    ['__proto__', /changes: unknown property "__proto__"; valid properties: running, /],
    ['constructor', /changes: unknown property "constructor"; valid properties: running, /],
    ['prototype', /changes: unknown property "prototype"; valid properties: running, /],
    ['vm', /changes: "vm" is an object; set its fields, e\.g\. "vm\.driver"/],
    ['runing', /changes: unknown property "runing"; valid properties: running, /],
  ])('should refuse the app.set change key %s as raw JSON, naming the valid properties', (key, message) => {
    const body = parsedJson(`{"changes":{${JSON.stringify(key)}:"1"},"request":${JSON.stringify(setIdentity)}}`);

    const parsed = endpoints['app.set'].request.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toMatch(message);
  });

  it('should refuse an app.set value over the value limit, naming the limit', () => {
    const body = { changes: { 'vm.socket': `/${'x'.repeat(maxPropertyValueLength)}` }, request: setIdentity };

    const parsed = endpoints['app.set'].request.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe('changes.vm.socket: values are at most 4096 characters');
  });

  it('should hand app.set a plain record of only the changes given', () => {
    const parsed = endpoints['app.set'].request.parse({ changes: { running: 'true' }, request: setIdentity });

    expect(parsed.changes).toEqual({ running: 'true' });
  });

  it('should split an endpoint name into subject parts', () => {
    expect(endpointParts('resource.list')).toEqual(['resource', 'list']);
  });
});

describe('reply envelope', () => {
  it.each([
    [{ ok: true, result: { any: 'thing' } }, true],
    [{ ok: false, error: { code: 'NotFound', message: 'gone' } }, true],
    [{ ok: false, error: { code: 'Teapot', message: 'no' } }, false],
    [{ ok: true }, false],
    [{ result: 1 }, false],
  ])('should parse %j as valid=%s', (envelope, valid) => {
    expect(replyEnvelopeSchema.safeParse(envelope).success).toBe(valid);
  });
});
