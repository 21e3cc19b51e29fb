import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'winston';
import {
  contextMetaPath,
  dockerConfigDir,
  publishDockerContext,
  removeDockerContext,
  type DockerContextEnvironment,
} from './docker-context.js';

const ours = 'rdd-dev';

describe('docker context', () => {
  let configDir: string;
  let warnings: string[];
  let pinged: string[];
  let answering: Set<string>;

  const environment = (env: NodeJS.ProcessEnv = {}): DockerContextEnvironment => ({
    configDir,
    env,
    logger: {
      info: () => undefined,
      warn: (message: string) => warnings.push(message),
    } as unknown as Logger,
    ping: (socket) => {
      pinged.push(socket);
      return answering.has(socket) ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'));
    },
  });
  const configPath = (): string => path.join(configDir, 'config.json');
  const readConfig = (): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(configPath(), 'utf8')) as Record<string, unknown>;
  const writeConfig = (value: unknown): void => fs.writeFileSync(configPath(), JSON.stringify(value), { mode: 0o600 });
  const addContext = (name: string, host: string): void => {
    const file = contextMetaPath(configDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host } } }));
  };

  beforeEach(() => {
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-docker-context-'));
    warnings = [];
    pinged = [];
    answering = new Set();
  });
  afterEach(() => fs.rmSync(configDir, { recursive: true, force: true }));

  it('should write meta.json in the docker CLI format', async () => {
    await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(JSON.parse(fs.readFileSync(contextMetaPath(configDir, ours), 'utf8'))).toEqual({
      Name: ours,
      Metadata: { Description: 'rdd instance dev' },
      Endpoints: { docker: { Host: 'unix:///run/rdd/docker.sock', SkipTLSVerify: false } },
    });
    expect(fs.readdirSync(path.dirname(contextMetaPath(configDir, ours)))).toEqual(['meta.json']);
  });

  it('should name the context directory exactly as the docker CLI does', () => {
    // Verified with docker CLI 28.2.2: `docker context create rdd-test` made this directory.
    expect(contextMetaPath('/c', 'rdd-test')).toBe(
      '/c/contexts/meta/a1de3f7dece2aa98c52010ce643df84a6848b4acf836cc0d8d46e76c0309c948/meta.json',
    );
  });

  it('should make its context current when there is no config and the default socket does not answer', async () => {
    const outcome = await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(outcome).toBe('made-current');
    expect(pinged).toEqual(['/var/run/docker.sock']);
    expect(readConfig()).toEqual({ currentContext: ours });
    expect(fs.statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('should ping DOCKER_HOST for the default context and keep it when it answers', async () => {
    answering.add('/home/u/engine.sock');

    const outcome = await publishDockerContext(
      environment({ DOCKER_HOST: 'unix:///home/u/engine.sock' }),
      'dev',
      '/run/rdd/docker.sock',
    );

    expect(outcome).toBe('kept');
    expect(pinged).toEqual(['/home/u/engine.sock']);
    expect(fs.existsSync(configPath())).toBe(false);
  });

  it('should keep every other key of config.json when it makes its context current', async () => {
    writeConfig({ auths: { 'registry.example': { auth: 'eA==' } }, currentContext: 'gone', psFormat: 'x' });

    const outcome = await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(outcome).toBe('made-current');
    expect(pinged).toEqual([]);
    expect(readConfig()).toEqual({
      auths: { 'registry.example': { auth: 'eA==' } },
      currentContext: ours,
      psFormat: 'x',
    });
  });

  it.each([
    ['a named context whose socket answers', 'unix:///home/u/live.sock', true],
    ['a tcp endpoint rdd cannot judge', 'tcp://10.0.0.1:2376', false],
    ['an ssh endpoint rdd cannot judge', 'ssh://me@host', false],
  ])('should never replace %s', async (_, host, answers) => {
    addContext('mine', host);
    if (answers) answering.add('/home/u/live.sock');
    writeConfig({ currentContext: 'mine', auths: {} });

    const outcome = await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(outcome).toBe('kept');
    expect(readConfig()).toEqual({ currentContext: 'mine', auths: {} });
  });

  it('should replace a named context whose socket does not answer', async () => {
    addContext('broken', 'unix:///nonexistent.sock');
    writeConfig({ currentContext: 'broken' });

    const outcome = await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(pinged).toEqual(['/nonexistent.sock']);
    expect(outcome).toBe('made-current');
    expect(readConfig()).toEqual({ currentContext: ours });
  });

  it('should leave a config.json that is not valid JSON untouched and warn', async () => {
    fs.writeFileSync(configPath(), '{"auths": {', { mode: 0o600 });

    const outcome = await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');

    expect(outcome).toBe('config-unreadable');
    expect(fs.readFileSync(configPath(), 'utf8')).toBe('{"auths": {');
    expect(warnings.join('\n')).toMatch(/config\.json is not a JSON object/);
    expect(fs.existsSync(contextMetaPath(configDir, ours))).toBe(true);
  });

  it('should remove its context and reset currentContext when it was current', async () => {
    writeConfig({ auths: {}, currentContext: 'gone' });
    await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');
    expect(readConfig().currentContext).toBe(ours);

    await removeDockerContext(environment(), 'dev');

    expect(fs.existsSync(path.dirname(contextMetaPath(configDir, ours)))).toBe(false);
    expect(readConfig()).toEqual({ auths: {} });
  });

  it("should leave currentContext alone on removal when it names the user's context", async () => {
    addContext('mine', 'unix:///home/u/live.sock');
    answering.add('/home/u/live.sock');
    writeConfig({ currentContext: 'mine' });
    await publishDockerContext(environment(), 'dev', '/run/rdd/docker.sock');
    const before = fs.readFileSync(configPath(), 'utf8');

    await removeDockerContext(environment(), 'dev');

    expect(fs.existsSync(contextMetaPath(configDir, ours))).toBe(false);
    expect(fs.readFileSync(configPath(), 'utf8')).toBe(before);
    expect(fs.existsSync(contextMetaPath(configDir, 'mine'))).toBe(true);
  });

  it('should remove nothing and not fail when its context is already gone', async () => {
    await expect(removeDockerContext(environment(), 'dev')).resolves.toBeUndefined();
    expect(fs.existsSync(configPath())).toBe(false);
  });

  it('should take DOCKER_CONFIG over ~/.docker', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/cfg', HOME: '/home/u' })).toBe('/cfg');
    expect(dockerConfigDir({ HOME: '/home/u' })).toBe('/home/u/.docker');
  });
});
