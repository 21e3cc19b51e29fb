/**
 * The answers bin/rdd gives without oclif (cli/fast-path.ts): each must be byte for byte what oclif
 * prints for the same argv (RDD_NO_FAST_PATH=1 sends it to oclif), so the texts rendered at build time
 * can never drift from oclif's rendering unseen; and they must really skip oclif and the bus client, so a
 * later import cannot silently undo the start-up time they save.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fastAnswer, type RenderedHelp } from '../cli/fast-path.js';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';

const rendered = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'cli', 'help.json'), 'utf8')) as RenderedHelp;
const oclifOnly = { RDD_NO_FAST_PATH: '1' };
/** As bin/rdd runs with stdout a pipe, whether or not jest runs in a terminal. */
const asPipe = { root: repoRoot, env: {}, stdoutIsTerminal: false };

/**
 * What oclif's own entry (`run`, as bin/rdd calls it) prints for `SUBJECT --help`, for every subject, from
 * one process with stdout a pipe: one oclif load instead of one per subject.
 */
async function oclifHelpOfEvery(subjects: readonly string[]): Promise<Record<string, string>> {
  const script = `
    const { run } = require('@oclif/core');
    const texts = {};
    const write = process.stdout.write.bind(process.stdout);
    (async () => {
      for (const subject of ${JSON.stringify(subjects)}) {
        const chunks = [];
        process.stdout.write = (chunk) => (chunks.push(String(chunk)), true);
        try {
          await run(subject === '' ? ['--help'] : [...subject.split(' '), '--help'], ${JSON.stringify(repoRoot)});
        } finally {
          process.stdout.write = write;
        }
        texts[subject] = chunks.join('');
      }
      write(JSON.stringify(texts));
    })();`;
  const env = { ...process.env };
  delete env.OCLIF_COLUMNS;
  delete env.FORCE_COLOR;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: repoRoot,
    env,
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout) as Record<string, string>;
}

describe('answers without oclif', () => {
  const instance = new TestInstance(uniqueInstance('fast'));
  afterAll(() => instance.dispose());

  it('should have rendered the help of the root, every topic and every command', () => {
    const subjects = Object.keys(rendered.texts);
    expect(subjects).toEqual(expect.arrayContaining(['', 'svc', 'svc start', 'ctl', 'ctl get', 'version', 'get']));
    for (const text of Object.values(rendered.texts)) expect(text).toMatch(/USAGE\n {2}\$ rdd/);
  });

  it('should serve exactly the help oclif renders, for every subject', async () => {
    const live = await oclifHelpOfEvery(Object.keys(rendered.texts));
    for (const [subject, text] of Object.entries(rendered.texts)) {
      expect({ subject, live: live[subject] }).toEqual({ subject, live: text });
      const args = subject === '' ? ['--help'] : [...subject.split(' '), '--help'];
      expect({ subject, served: fastAnswer(args, asPipe) }).toEqual({ subject, served: text });
    }
  });

  it.each([
    [['version']],
    [['version', '-o', 'json']],
    [['version', '--output=json']],
    [['--version']],
    [['help', 'svc', 'start']],
    [['svc', '-h']],
    [[]],
  ])('should print for `rdd %j` what oclif prints', async (args: string[]) => {
    const live = await instance.rdd(args, { env: oclifOnly, input: '' });
    const served = await instance.rdd(args, { input: '' });
    expect(live.code).toBe(0);
    expect(live.stdout).not.toBe('');
    expect(served).toEqual(live);
  });

  it.each([[['version']], [['--help']], [['ctl', 'get', '--help']]])(
    'should answer `rdd %j` without loading oclif or nats',
    async (args) => {
      const { code, stderr } = await instance.rdd(args, { env: { NODE_DEBUG: 'module' }, input: '' });
      expect(code).toBe(0);
      // The module trace is on: it names what was loaded, or this check could never fail.
      expect(stderr).toMatch(/fast-path/);
      // Nor the CLI bundle (cli/build/), which holds oclif, zod and the NATS client.
      expect(stderr).not.toMatch(/load-bundle|@oclif[/\\]core|@nats-io|dockerode|xstate|winston|zod|yaml/);
    },
  );

  it('should leave to oclif what it cannot answer exactly as oclif would', async () => {
    // Colour forced: oclif's help is bold where the rendered text is plain, so oclif must answer.
    const forced = await instance.rdd(['--help'], { env: { NODE_DEBUG: 'module', FORCE_COLOR: '1' }, input: '' });
    expect(forced.code).toBe(0);
    // oclif runs from the CLI bundle (cli/build/load-bundle.ts), not from node_modules.
    expect(forced.stderr).toMatch(/load-bundle/);
    // A flag value version does not take: oclif refuses it with its own message.
    const refused = await instance.rdd(['version', '-o', 'xml'], { input: '' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Expected --output=xml to be one of: text, json, yaml/);
  });
});
