import { describeIssues, endpointParts, endpoints, replyEnvelopeSchema } from './api.schema.js';

describe('API request schemas', () => {
  it.each([
    ['svc.status', {}],
    ['svc.stop', {}],
    ['resource.get', { kind: 'Container', name: 'abc123' }],
    ['resource.list', { kind: 'Image' }],
  ] as const)('should accept a well-formed %s request', (endpoint, body) => {
    expect(endpoints[endpoint].request.safeParse(body).success).toBe(true);
  });

  it.each([
    ['svc.status', { extra: 1 }, /Unrecognized key/],
    ['resource.get', { kind: 'Container' }, /name/],
    ['resource.get', { kind: 'container', name: 'x' }, /kind: kinds are CamelCase letters/],
    ['resource.get', { kind: 'App', name: '../etc' }, /name: names use letters/],
    ['resource.list', { kind: 7 }, /kind/],
    ['resource.list', 'App', /expected object/],
  ] as const)('should reject a malformed %s request (%j) with a readable message', (endpoint, body, message) => {
    const parsed = endpoints[endpoint].request.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toMatch(message);
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
