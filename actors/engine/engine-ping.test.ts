import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultPingTiming, pingEngine, pingTimingFrom } from './engine-client.js';

describe('pingTimingFrom', () => {
  it('should use the defaults when RDD_ENGINE_PING_SECONDS is unset or empty', () => {
    expect(pingTimingFrom({})).toEqual(defaultPingTiming);
    expect(pingTimingFrom({ RDD_ENGINE_PING_SECONDS: '' })).toEqual(defaultPingTiming);
  });

  it('should scale the ping timeout and the threshold with the interval', () => {
    expect(pingTimingFrom({ RDD_ENGINE_PING_SECONDS: '0.4' })).toEqual({
      intervalMs: 400,
      timeoutMs: 600,
      unresponsiveAfterMs: 1000,
    });
  });

  it.each(['0', '-1', 'fast', '1e9'])('should refuse RDD_ENGINE_PING_SECONDS=%s, saying what is allowed', (text) => {
    expect(() => pingTimingFrom({ RDD_ENGINE_PING_SECONDS: text })).toThrow(
      `RDD_ENGINE_PING_SECONDS must be a number of seconds from 0.1 to 3600 (default 2), not "${text}"`,
    );
  });
});

describe('pingEngine', () => {
  let dir: string;
  let server: net.Server | undefined;
  const sockets: net.Socket[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-ping-'));
  });
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A socket that accepts connections and never says a word, like a frozen dockerd. */
  function silentEngine(): Promise<string> {
    const socket = path.join(dir, 'docker.sock');
    server = net.createServer((connection) => void sockets.push(connection));
    return new Promise((resolve) => server!.listen(socket, () => resolve(socket)));
  }

  it('should give up on an engine that accepts the connection but never answers', async () => {
    const socket = await silentEngine();

    await expect(pingEngine(socket, 300)).rejects.toThrow('no answer to a ping within 0.3 s');
    expect(sockets).toHaveLength(1);
  });

  it('should say why when nothing listens on the socket', async () => {
    await expect(pingEngine(path.join(dir, 'missing.sock'), 1_000)).rejects.toThrow(/^ping failed: .*ENOENT/);
  });
});
