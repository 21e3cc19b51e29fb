import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import Module from 'node:module';
import { codeCachePath, loadBundle } from './load-bundle.js';

interface Probe {
  loads: number;
  answer(): string;
}

const source = `globalThis.probeLoads = (globalThis.probeLoads ?? 0) + 1;
exports.loads = globalThis.probeLoads;
exports.answer = () => require('node:path').basename(__filename) + ' in ' + require('node:path').basename(__dirname);
`;

let dir: string;
let bundleFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-load-bundle-'));
  bundleFile = path.join(dir, 'probe.js');
  fs.writeFileSync(bundleFile, source);
});

const nodeRequireCache = (Module as unknown as { _cache: Record<string, unknown> })._cache;

afterEach(() => {
  delete nodeRequireCache[bundleFile];
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The cache V8 would accept for the probe, made as cli/build/bundle.ts makes the real one. */
function writeValidCache(): void {
  const wrap = (Module as unknown as { wrap(code: string): string }).wrap;
  const script = new vm.Script(wrap(source), { filename: bundleFile });
  fs.writeFileSync(codeCachePath(bundleFile), script.createCachedData());
}

test('a valid code cache is accepted and the module runs as CommonJS with its own __filename and require', () => {
  writeValidCache();
  const loaded = loadBundle<Probe>(bundleFile);
  expect(loaded.codeCacheRejected).toBe(false);
  expect(loaded.exports.answer()).toBe(`probe.js in ${path.basename(dir)}`);
});

test('a code cache V8 refuses is reported and the module still runs, compiled from source', () => {
  fs.writeFileSync(codeCachePath(bundleFile), Buffer.from('not a V8 code cache'));
  const loaded = loadBundle<Probe>(bundleFile);
  expect(loaded.codeCacheRejected).toBe(true);
  expect(loaded.exports.answer()).toBe(`probe.js in ${path.basename(dir)}`);
});

test('without a cache file nothing is offered to V8 and the module runs', () => {
  const loaded = loadBundle<Probe>(bundleFile);
  expect(loaded.codeCacheRejected).toBeUndefined();
  expect(loaded.exports.answer()).toBe(`probe.js in ${path.basename(dir)}`);
});

// Outside jest, whose require has its own registry: node's require as oclif calls it, on the build's output.
test("node's require of the bundle's file afterwards (oclif's commands target) gets the same exports, not a second run", () => {
  const compiled = path.resolve(__dirname, '../../dist/cli/build/load-bundle.js');
  const script = `const loaded = require(${JSON.stringify(compiled)}).loadBundle(${JSON.stringify(bundleFile)});
    const required = require(${JSON.stringify(bundleFile)});
    process.stdout.write(JSON.stringify({ same: required === loaded.exports, loads: required.loads }));`;
  const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({ same: true, loads: 1 });
});

test('a bundle that throws while loading is left out of the require cache, so a retry runs it again', () => {
  fs.writeFileSync(bundleFile, "throw new Error('broken bundle');");
  expect(() => loadBundle<Probe>(bundleFile)).toThrow('broken bundle');
  expect(nodeRequireCache[bundleFile]).toBeUndefined();
});
