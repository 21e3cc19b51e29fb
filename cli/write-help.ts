/**
 * Renders, after a build, the `--help` text of the root, every topic and every command through oclif's
 * own Help class, as oclif prints it to a pipe (80 columns, no colour), into dist/cli/help.json. bin/rdd
 * serves these texts without loading oclif (cli/fast-path.ts); run after write-manifest, since the
 * texts are only served beside the manifest they were rendered from.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RenderedHelp } from './fast-path.js';
import { renderedHelpFile } from './fast-path.js';

/** Everything written to stdout while `render` runs, instead of the terminal. */
async function captureStdout(render: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  try {
    await render();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

async function main(): Promise<void> {
  // As a pipe sees it, whatever terminal runs the build: screen width and colour are fixed when oclif loads.
  process.env.OCLIF_COLUMNS = '80';
  process.env.NO_COLOR = '1';
  delete process.env.FORCE_COLOR;
  const { Config, loadHelpClass } = await import('@oclif/core');
  const root = path.resolve(__dirname, '..', '..');
  const config = await Config.load(root);
  const Help = await loadHelpClass(config);
  const subjects = new Set<string>(['']);
  for (const topic of config.topics) subjects.add(topic.name.split(':').join(' '));
  for (const command of config.commands) subjects.add(command.id.split(':').join(' '));
  const texts: Record<string, string> = {};
  for (const subject of [...subjects].sort()) {
    const argv = subject === '' ? ['--help'] : [...subject.split(' '), '--help'];
    const help = new Help(config, config.pjson.oclif.helpOptions ?? {});
    texts[subject] = await captureStdout(() => help.showHelp(argv));
  }
  const rendered: RenderedHelp = { manifestSize: fs.statSync(path.join(root, 'oclif.manifest.json')).size, texts };
  fs.writeFileSync(path.join(__dirname, renderedHelpFile), JSON.stringify(rendered));
}

void main().catch((error: unknown) => {
  process.stderr.write(`failed to render the help texts: ${String(error)}\n`);
  process.exit(1);
});
