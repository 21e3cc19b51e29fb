import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EngineWaitTimeoutError, pingEngine, waitForEngine } from './engine-ping.js';

describe('pingEngine and waitForEngine', () => {
  let dir: string;
  let socket: string;
  let server: http.Server | null = null;

  function serve(status: number, body: string): Promise<void> {
    server = http.createServer((request, response) => {
      response.writeHead(request.url === '/_ping' ? status : 404);
      response.end(body);
    });
    return new Promise((resolve) => server!.listen(socket, resolve));
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-ping-'));
    socket = path.join(dir, 'docker.sock');
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should resolve when the engine answers 200 OK', async () => {
    // Arrange
    await serve(200, 'OK');

    // Act / Assert
    await expect(pingEngine(socket, 1_000)).resolves.toBeUndefined();
  });

  it('should reject naming the status when the socket answers something else', async () => {
    // Arrange
    await serve(500, 'boom');

    // Act / Assert
    await expect(pingEngine(socket, 1_000)).rejects.toThrow(`engine socket ${socket} did not answer /_ping: HTTP 500`);
  });

  it('should reject with the error code when nothing listens on the socket', async () => {
    await expect(pingEngine(socket, 1_000)).rejects.toThrow(`engine socket ${socket} did not answer /_ping: ENOENT`);
  });

  it('should resolve once the engine starts answering when waiting', async () => {
    // Arrange
    setTimeout(() => void serve(200, 'OK'), 300);

    // Act / Assert
    await expect(waitForEngine(socket, { timeoutMs: 10_000 })).resolves.toBeUndefined();
  });

  it('should reject with the last error when the deadline passes', async () => {
    // Act
    const waiting = waitForEngine(socket, { timeoutMs: 300 });

    // Assert
    await expect(waiting).rejects.toBeInstanceOf(EngineWaitTimeoutError);
    await expect(waiting).rejects.toThrow(`engine socket ${socket} did not answer within 0.3s: ENOENT`);
  });

  it('should reject with the reason when the process it waits for is dead', async () => {
    await expect(waitForEngine(socket, { timeoutMs: 10_000, isDead: () => 'dockerd exited' })).rejects.toThrow(
      'dockerd exited',
    );
  });

  it('should reject with the abort reason when the signal aborts', async () => {
    // Arrange
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('daemon stopping')), 100);

    // Act / Assert
    await expect(waitForEngine(socket, { timeoutMs: 10_000, signal: controller.signal })).rejects.toThrow(
      'daemon stopping',
    );
  });
});
