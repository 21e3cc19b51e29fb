import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable, millisecondsFromEnv } from './environment.js';

describe('millisecondsFromEnv', () => {
  it.each([
    [undefined, 60_000],
    ['', 60_000],
    ['1500', 1_500],
    ['soon', 60_000],
    ['0', 60_000],
    ['-5', 60_000],
  ])('should give %j as %d ms', (raw, expected) => {
    expect(millisecondsFromEnv({ TIMEOUT: raw }, 'TIMEOUT', 60_000)).toBe(expected);
  });
});

describe('findExecutable', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-exe-'));
    fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'plain'), 'data', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'folder'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should find a program on PATH when it is executable', async () => {
    expect(await findExecutable('tool', { PATH: `/nonexistent:${dir}` })).toBe(path.join(dir, 'tool'));
  });

  it.each(['plain', 'folder', 'missing'])('should not find %s when it is not an executable file', async (name) => {
    expect(await findExecutable(name, { PATH: dir })).toBeNull();
  });

  it('should take a path with a slash as is when given one', async () => {
    expect(await findExecutable(path.join(dir, 'tool'), { PATH: '' })).toBe(path.join(dir, 'tool'));
  });
});
