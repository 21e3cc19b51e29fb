/**
 * Writes oclif.manifest.json after a build (the oclif dev CLI needs Node 22). A stale manifest hides
 * new commands, so `npm run build` always regenerates it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Plugin } from '@oclif/core';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  fs.writeFileSync(path.join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest));
}

void main().catch((error: unknown) => {
  process.stderr.write(`failed to write the oclif manifest: ${String(error)}\n`);
  process.exit(1);
});
