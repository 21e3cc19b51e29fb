/**
 * Loads the CLI bundle (dist/cli/rdd-cli.js, built by cli/build/bundle.ts) the way node's require would,
 * but compiled with the V8 code cache the build wrote beside it, so a command skips parsing and
 * compiling the code it runs. A cache V8 rejects (another node, changed flags, a rebuilt bundle) costs
 * only the compile it would have saved: the script then compiles from source as without a cache.
 *
 * Under `node --enable-source-maps` the bundle is required as usual instead: node maps stack traces only
 * for files its own loader compiled, and a readable trace is then worth more than the cache.
 *
 * The module goes into require's cache under its own file name before it runs, so oclif's
 * `require(target)` of the same file (package.json oclif.commands and hooks) gets these exports rather
 * than a second copy.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The bundle's file name inside dist/cli/, and package.json's oclif target. */
export const bundleName = 'rdd-cli.js';

/** What the bundle exports (see the entry that cli/build/bundle.ts writes). */
export interface CliBundle {
  /** Runs oclif on an argv already normalised by cli/argv.ts; `binDir` is where bin/rdd lives. */
  main(args: string[], binDir: string): Promise<void>;
}

export function bundlePath(distCliDir: string): string {
  return path.join(distCliDir, bundleName);
}

export function codeCachePath(bundleFile: string): string {
  return `${bundleFile}.cache`;
}

/** Node's own module internals that `require` uses to place a module; not in @types/node. */
interface ModuleInternals {
  /** What `require.cache` is in node (under jest, `require.cache` is jest's own). */
  _cache: Record<string, Module | undefined>;
  _nodeModulePaths(directory: string): string[];
  wrap(source: string): string;
}

export interface LoadedBundle<Exports> {
  readonly exports: Exports;
  /** The compiled script, for cli/build/bundle.ts to ask for its code cache; undefined when required. */
  readonly script: vm.Script | undefined;
  /** True when a code cache was offered and V8 refused it; undefined when none was offered. */
  readonly codeCacheRejected: boolean | undefined;
}

/** Compiles and runs `bundleFile` as a CommonJS module, with its code cache unless `useCodeCache` is false. */
export function loadBundle<Exports>(bundleFile: string, useCodeCache = true): LoadedBundle<Exports> {
  if (process.sourceMapsEnabled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node's loader, for its source maps
    return { exports: require(bundleFile) as Exports, script: undefined, codeCacheRejected: undefined };
  }
  const internals = Module as unknown as ModuleInternals;
  const cachedData = useCodeCache ? readIfPresent(codeCachePath(bundleFile)) : undefined;
  // latin1: the build makes the bundle pure ASCII (cli/build/bundle.ts), and a one-byte string is read
  // in half the time of UTF-8 decoded into a two-byte one.
  const script = new vm.Script(internals.wrap(fs.readFileSync(bundleFile, 'latin1')), {
    filename: bundleFile,
    cachedData,
    // oclif's import() of an ESM plugin or tsx resolves as it would in a required file (rdd has neither).
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const directory = path.dirname(bundleFile);
  const bundleModule = new Module(bundleFile, module);
  bundleModule.filename = bundleFile;
  bundleModule.paths = internals._nodeModulePaths(directory);
  internals._cache[bundleFile] = bundleModule;
  try {
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(
      bundleModule.exports,
      bundleModule.exports,
      Module.createRequire(bundleFile),
      bundleModule,
      bundleFile,
      directory,
    );
  } catch (error) {
    delete internals._cache[bundleFile];
    throw error;
  }
  bundleModule.loaded = true;
  return {
    exports: bundleModule.exports as Exports,
    script,
    codeCacheRejected: cachedData ? script.cachedDataRejected : undefined,
  };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
