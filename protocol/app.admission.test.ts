import {
  admit,
  applyChanges,
  checkChanges,
  defaultAppSpec,
  defaultSocket,
  type AppSpecDraft,
} from './app.admission.js';
import type { AppSpec } from './app.schema.js';
import { ApiError } from './errors.js';
import { maxKubernetesVersionLength, maxSocketPathLength } from './limits.js';

const base = (): AppSpecDraft => defaultAppSpec();
const admitted = (overrides: Partial<AppSpec['vm']> = {}, running = false): AppSpec => ({
  ...base(),
  running,
  vm: { ...base().vm, driver: 'dockerd', ...overrides },
});

describe('applyChanges', () => {
  it.each([
    [{ running: 'true' }, (spec: AppSpecDraft) => spec.running, true],
    [{ 'containerEngine.name': 'containerd' }, (spec: AppSpecDraft) => spec.containerEngine.name, 'containerd'],
    [{ 'containerEngine.mirrorImages': 'false' }, (spec: AppSpecDraft) => spec.containerEngine.mirrorImages, false],
    [{ 'kubernetes.version': '1.34.6' }, (spec: AppSpecDraft) => spec.kubernetes.version, '1.34.6'],
    [{ 'vm.cpus': '4' }, (spec: AppSpecDraft) => spec.vm.cpus, 4],
    [{ 'vm.memoryGiB': '0.5' }, (spec: AppSpecDraft) => spec.vm.memoryGiB, 0.5],
    [{ 'vm.driver': 'lima' }, (spec: AppSpecDraft) => spec.vm.driver, 'lima'],
  ])('should apply %j', (changes, read, expected) => {
    expect(read(applyChanges(base(), changes))).toEqual(expected);
  });

  it('should reset a property to its default when given an empty value', () => {
    const changed = applyChanges(base(), { running: 'true', 'vm.cpus': '4' });

    const reset = applyChanges(changed, { running: '', 'vm.cpus': '' });

    expect(reset.running).toBe(false);
    expect(reset.vm.cpus).toBeUndefined();
  });

  it('should not change the spec it was given', () => {
    const spec = base();

    applyChanges(spec, { running: 'true' });

    expect(spec.running).toBe(false);
  });

  it.each([
    [{ runing: 'true' }, /unknown property "runing"; valid properties: running, containerEngine.name,/],
    [{ containerEngine: 'moby' }, /"containerEngine" is an object; set its fields, e\.g\. "containerEngine.name"/],
    [{ 'running.now': 'true' }, /"running" is not an object and has no sub-properties/],
    [{ running: 'yes' }, /invalid value "yes" for "running": expected boolean; use "true" or "false"/],
    [
      { 'containerEngine.name': 'podman' },
      /invalid value "podman" for "containerEngine.name": valid values: moby, containerd/,
    ],
    [{ 'vm.driver': 'qemu' }, /valid values: auto, lima, dockerd, external/],
    [{ 'vm.cpus': '0' }, /invalid value "0" for "vm.cpus": expected a positive integer/],
    [{ 'vm.cpus': '2.5' }, /expected a positive integer/],
    [{ 'vm.memoryGiB': 'lots' }, /expected a positive number/],
  ])('should reject %j as Invalid naming the property and what it allows', (changes, message) => {
    const attempt = (): AppSpecDraft => applyChanges(base(), changes);

    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as ApiError).code).toBe('Invalid');
    }
  });
});

/** A change set holding `key` as an own property, as JSON.parse makes `{"__proto__": "1"}`. */
const withOwnKey = (key: string, value: string): Record<string, string> =>
  JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, string>;

describe('checkChanges', () => {
  const refusal = (changes: Record<string, string>): ApiError => {
    try {
      checkChanges(changes);
    } catch (error) {
      return error as ApiError;
    }
    throw new Error(`expected ${JSON.stringify(changes)} to be refused`);
  };

  it.each([
    ['a version', '1.34.6'],
    ['a v-prefixed version', 'v1.29.3'],
    ['a minor channel', 'v1.34'],
    ['the stable channel', 'stable'],
    ['the latest channel', 'latest'],
    ['empty (the stable channel)', ''],
  ])('should accept %s as kubernetes.version', (_what, version) => {
    expect(() => checkChanges({ 'kubernetes.version': version })).not.toThrow();
  });

  it.each([
    [
      'a word',
      'newest',
      /expected a version such as 1\.34\.6 or v1\.34\.6, a minor channel such as v1\.34, or stable or latest/,
    ],
    ['a version with junk', '1.34.6; rm -rf /', /expected a version/],
    ['a major only', '1', /expected a version/],
    ['a k3s build', 'v1.34.6+k3s1', /expected a version/],
    ['an over-long value', '1'.repeat(maxKubernetesVersionLength + 1), /at most 32 characters/],
  ])('should refuse %s as kubernetes.version, naming the allowed form', (_what, version, message) => {
    const error = refusal({ 'kubernetes.version': version });

    expect(error).toMatchObject({ code: 'Invalid', details: { property: 'kubernetes.version' } });
    expect(error.message).toMatch(message);
  });

  it.each([
    ['the default socket', '/var/run/docker.sock'],
    ['a user socket', '/run/user/1000/docker.sock'],
    ['empty (none)', ''],
  ])('should accept %s as vm.socket', (_what, socket) => {
    expect(() => checkChanges({ 'vm.socket': socket })).not.toThrow();
  });

  it.each([
    ['a relative path', 'docker.sock', /expected an absolute path such as \/var\/run\/docker\.sock/],
    ['a URL', 'unix:///var/run/docker.sock', /expected an absolute path/],
    ['a path with a newline', '/tmp/a\nb', /expected an absolute path/],
    ['a path with a NUL', '/tmp/a\u0000b', /expected an absolute path/],
    ['an over-long path', `/${'s'.repeat(maxSocketPathLength)}`, /at most 4096 characters/],
  ])('should refuse %s as vm.socket, naming the allowed form', (_what, socket, message) => {
    const error = refusal({ 'vm.socket': socket });

    expect(error).toMatchObject({ code: 'Invalid', details: { property: 'vm.socket' } });
    expect(error.message).toMatch(message);
  });

  it('should quote only the start of a huge value and say how long it was', () => {
    const error = refusal({ 'vm.socket': `/${'x'.repeat(120_000)}` });

    expect(error.message).toMatch(/… \(120001 characters\)/);
    expect(error.message.length).toBeLessThan(300);
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])(
    'should refuse the key %s as an unknown property, naming the valid ones',
    (key) => {
      const error = refusal(withOwnKey(key, '1'));

      expect(error.code).toBe('Invalid');
      expect(error.message).toMatch(new RegExp(`unknown property "${key}"; valid properties: running, `));
    },
  );

  it.each([
    ['runing', 'running'],
    ['containerEngne.mirrorImages', 'containerEngine.mirrorImages'],
    ['vm.cpu', 'vm.cpus'],
    ['cpus', 'vm.cpus'],
  ])('should suggest the property a typo %s most likely meant (%s)', (key, meant) => {
    const error = refusal({ [key]: '1' });

    expect(error.message).toContain(`unknown property "${key}"; valid properties: running, `);
    expect(error.message.endsWith(`; did you mean "${meant}"?`)).toBe(true);
  });

  it.each(['frobnicate', '__proto__', 'vm.cpusandmore'])(
    'should suggest nothing for %s, which is close to no property',
    (key) => {
      expect(refusal(withOwnKey(key, '1')).message).not.toContain('did you mean');
    },
  );

  it('should refuse a change set when a later change in it is bad', () => {
    expect(() => applyChanges(base(), { running: 'true', 'vm.socket': 'relative' })).toThrow(/absolute path/);
  });
});

describe('admit', () => {
  const dockerd = () => 'dockerd' as const;

  it('should resolve auto to the driver the machine offers', () => {
    expect(admit(base(), { previous: null, resolveAutoDriver: dockerd }).vm.driver).toBe('dockerd');
  });

  it.each([
    ['kubernetes.enabled=true', { ...base(), kubernetes: { enabled: true, version: '' } }, 'kubernetes.enabled'],
    [
      'containerd',
      { ...base(), containerEngine: { name: 'containerd' as const, mirrorImages: true } },
      'containerEngine.name',
    ],
    ['vm.cpus', { ...base(), vm: { ...base().vm, cpus: 4 } }, 'vm.cpus'],
    ['vm.memoryGiB', { ...base(), vm: { ...base().vm, memoryGiB: 8 } }, 'vm.memoryGiB'],
  ])('should reject %s without lima as Invalid', (_what, draft, property) => {
    expect(() => admit(draft, { previous: null, resolveAutoDriver: dockerd })).toThrow(
      /needs vm.driver=lima \(vm.driver is dockerd\)/,
    );
    try {
      admit(draft, { previous: null, resolveAutoDriver: dockerd });
    } catch (error) {
      expect(error).toMatchObject({ code: 'Invalid', details: { property } });
    }
  });

  it('should accept Kubernetes, containerd, cpus and memory with lima', () => {
    const draft: AppSpecDraft = {
      ...base(),
      containerEngine: { name: 'containerd', mirrorImages: true },
      kubernetes: { enabled: true, version: '1.34.6' },
      vm: { ...base().vm, driver: 'lima', cpus: 4, memoryGiB: 8 },
    };

    expect(admit(draft, { previous: null, resolveAutoDriver: dockerd }).vm).toMatchObject({ driver: 'lima', cpus: 4 });
  });

  it.each([
    ['running', true, 'Forbidden'],
    ['stopped', false, null],
  ])('should treat a driver change while %s as %s', (_state, running, code) => {
    const draft: AppSpecDraft = { ...base(), vm: { ...base().vm, driver: 'external' } };
    const attempt = () => admit(draft, { previous: admitted({}, running), resolveAutoDriver: dockerd });

    if (code)
      expect(attempt).toThrow(/cannot change vm.driver from dockerd to external while the App is running; stop first/);
    else expect(attempt().vm.driver).toBe('external');
  });
});

describe('defaultSocket', () => {
  it('should leave vm.socket empty in a new spec: the socket rdd uses is in the status', () => {
    expect(defaultAppSpec().vm.socket).toBe('');
  });

  it('should admit vm.driver=external with an empty vm.socket, which the driver resolves when it attaches', () => {
    const draft: AppSpecDraft = { ...base(), vm: { driver: 'external', socket: '' } };

    expect(admit(draft, { previous: null, resolveAutoDriver: () => 'dockerd' as const }).vm).toEqual({
      driver: 'external',
      socket: '',
    });
  });

  it.each([
    [{ DOCKER_HOST: 'unix:///run/user/1/docker.sock' }, '/run/user/1/docker.sock'],
    [{ DOCKER_HOST: 'tcp://1.2.3.4:2375' }, '/var/run/docker.sock'],
    [{}, '/var/run/docker.sock'],
  ])('should take %j as %s', (environment, socket) => {
    expect(defaultSocket(environment)).toBe(socket);
  });
});
