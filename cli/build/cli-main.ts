/**
 * The bundle's entry point after bin/rdd has normalised the argv and found no fast answer: oclif runs
 * the command. Bundled with every command (cli/build/bundle.ts), so nothing here is resolved on disk.
 */
import type * as OclifCore from '@oclif/core';

/**
 * oclif checks its own package.json's `engines.node` with semver (47 modules) as it loads; bundled, it
 * looks for that package.json beside the bundle, finds none and gives up: the check could only cost. The
 * variable is set only while oclif loads, so commands' child processes do not inherit it.
 */
function loadOclifWithoutEngineCheck(): typeof OclifCore {
  const before = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- it must load inside the variable's window
    return require('@oclif/core') as typeof OclifCore;
  } finally {
    if (before === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
    else process.env.OCLIF_DISABLE_ENGINE_WARNING = before;
  }
}

export async function main(args: string[], binDir: string): Promise<void> {
  await loadOclifWithoutEngineCheck().execute({ dir: binDir, args });
}
