/**
 * The fault-injecting Docker API proxy against a real, private dockerd: plain, body-carrying, streaming
 * and hijacked requests pass through; a fault rule answers exactly N times; dropping connections ends
 * an open events stream.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Docker from 'dockerode';
import { busyboxImage, ensureBusyboxImage } from '../drivers/busybox-image.js';
import { startDockerProxy, type DockerProxy } from './docker-proxy.js';
import { disposeEngineEnv, engineEnv, startPrivateDockerd, type PrivateDockerd } from './engine.js';

interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string };
}

/** Resolves with the first event on `stream` that `wanted` accepts. */
function nextEvent(
  stream: Readable,
  wanted: (event: EngineEvent) => boolean,
  timeoutMs = 10_000,
): Promise<EngineEvent> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer): void => {
      pending += decoder.write(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((text) => text.trim() !== '')) {
        const event = JSON.parse(line) as EngineEvent;
        if (wanted(event)) return finish(() => resolve(event));
      }
    };
    const onClose = (): void => finish(() => reject(new Error('the events stream closed')));
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no matching event within ${timeoutMs} ms`))),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.once('close', onClose);
  });
}

/** Resolves once `stream` has closed; rejects after `timeoutMs`. */
function closed(stream: Readable, timeoutMs = 5_000): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stream was still open after ${timeoutMs} ms`)), timeoutMs);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The docker CLI against `socket`, with `input` on its stdin. */
function dockerCli(
  socket: string,
  args: string[],
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['-H', `unix://${socket}`, ...args], {
      env: { ...process.env, DOCKER_CONFIG: engineEnv(socket).DOCKER_CONFIG },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('docker proxy', () => {
  let engine: PrivateDockerd;
  let proxy: DockerProxy;
  let upstream: Docker;
  let client: Docker;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-proxy-'));
  const streams: Readable[] = [];

  beforeAll(async () => {
    engine = await startPrivateDockerd('proxy-e2e');
    await ensureBusyboxImage(engine.socket);
    proxy = await startDockerProxy({ upstream: engine.socket, socket: path.join(dir, 'proxy.sock') });
    upstream = new Docker({ socketPath: engine.socket });
    client = new Docker({ socketPath: proxy.socket });
  }, 120_000);

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.destroy();
    proxy?.faults.clear();
    proxy?.requests.splice(0);
  });

  afterAll(async () => {
    await proxy?.close();
    await engine?.stop();
    disposeEngineEnv();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('should pass plain requests through and record them when no rule matches', async () => {
    const pong = await client.ping();
    const containers = await client.listContainers({ all: true });
    const info = await client.info();

    expect(String(pong)).toBe('OK');
    expect(Array.isArray(containers)).toBe(true);
    expect(info).toMatchObject({ ID: (await upstream.info()).ID });
    expect(proxy.requests.map(({ method, route, faulted }) => `${method} ${route} ${faulted}`)).toEqual([
      'GET /_ping false',
      'GET /containers/json false',
      'GET /info false',
    ]);
  });

  it('should answer a matching request with 503 exactly N times, with or without a version prefix, then pass through', async () => {
    // Arrange
    const created = await client.createContainer({
      Image: busyboxImage,
      Cmd: ['true'],
      Labels: { 'rdd-test': 'proxy' },
    });
    const versioned = new Docker({ socketPath: proxy.socket, version: 'v1.41' });
    const rule = proxy.faults.add({ method: 'get', path: /^\/containers\/[^/]+\/json$/, times: 2 });
    proxy.requests.splice(0);

    // Act
    const first = await client
      .getContainer(created.id)
      .inspect()
      .catch((error: unknown) => error);
    const second = await versioned
      .getContainer(created.id)
      .inspect()
      .catch((error: unknown) => error);
    const third = await versioned.getContainer(created.id).inspect();
    const listed = await client.listContainers({ all: true });
    await upstream.getContainer(created.id).remove({ force: true });

    // Assert
    for (const failure of [first, second]) {
      expect(failure).toMatchObject({ statusCode: 503, json: { message: 'injected' } });
    }
    expect(third.Id).toBe(created.id);
    expect(listed.map(({ Id }) => Id)).toContain(created.id);
    expect([rule.hits, rule.remaining]).toEqual([2, 0]);
    expect(proxy.requests.map(({ path: target, faulted }) => `${target} ${faulted}`)).toEqual([
      `/containers/${created.id}/json true`,
      `/v1.41/containers/${created.id}/json true`,
      `/v1.41/containers/${created.id}/json false`,
      '/containers/json?all=true false',
    ]);
  });

  it('should close the connection unanswered when a rule says destroy', async () => {
    proxy.faults.add({ path: /^\/info$/, times: 1, destroy: true });

    const failure = await client.info().catch((error: unknown) => error);
    const info = await client.info();

    // Node's own errors come from another realm than jest's Error: match the shape, not the class.
    expect(failure).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    expect(info).toHaveProperty('ID');
  });

  it('should stream engine events through the proxy', async () => {
    const events = (await client.getEvents({ filters: { type: ['volume'] } })) as Readable;
    streams.push(events);
    const name = `proxy-events-${process.pid}`;

    const event = nextEvent(events, (candidate) => candidate.Action === 'create' && candidate.Actor.ID === name);
    await upstream.createVolume({ Name: name });
    const received = await event;
    await upstream.getVolume(name).remove();

    expect(received).toMatchObject({ Type: 'volume', Action: 'create', Actor: { ID: name } });
    expect(proxy.requests).toContainEqual(expect.objectContaining({ method: 'GET', route: '/events' }));
  });

  it('should end an open events stream when connections are dropped, and keep serving new ones', async () => {
    // Arrange
    const events = (await client.getEvents()) as Readable;
    streams.push(events);
    events.on('error', () => undefined);
    events.resume();

    // Act
    const dropped = proxy.faults.dropConnections();
    await closed(events);
    const pong = await client.ping();

    // Assert
    expect(dropped).toBeGreaterThanOrEqual(2);
    expect(events.destroyed).toBe(true);
    expect(String(pong)).toBe('OK');
  });

  it('should carry hijacked attach streams, stdin half-close included, for the docker CLI', async () => {
    const result = await dockerCli(
      proxy.socket,
      ['run', '--rm', '-i', '--network', 'none', busyboxImage, 'cat'],
      'through the proxy\n',
    );

    expect(result).toMatchObject({ code: 0, stdout: 'through the proxy\n' });
    expect(proxy.requests).toContainEqual(
      expect.objectContaining({ method: 'POST', route: expect.stringMatching(/^\/containers\/\w+\/attach$/) }),
    );
  });
});
