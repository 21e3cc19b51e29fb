import { maxQuotedLength, quoteForMessage } from './limits.js';

describe('quoteForMessage', () => {
  it('should quote a short text whole', () => {
    expect(quoteForMessage('docker.sock')).toBe('"docker.sock"');
  });

  it('should quote only the start of a long text and say how long it was', () => {
    const quoted = quoteForMessage('x'.repeat(120_000));

    expect(quoted).toBe(`"${'x'.repeat(maxQuotedLength)}"… (120000 characters)`);
  });

  it('should escape what would break a message line when quoting', () => {
    expect(quoteForMessage('a\nb"c')).toBe('"a\\nb\\"c"');
  });
});
