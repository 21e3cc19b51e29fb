import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '@oclif/core';
import { topicExamples, type HelpExample } from './help.js';

const commandsDir = path.join(__dirname, 'commands');
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
  oclif: { topics: Record<string, { description: string }>; helpClass: string };
};

/** Every command class under cli/commands, by the words that run it (`ctl get`). */
async function loadCommands(dir = commandsDir, prefix: string[] = []): Promise<Map<string, Command.Class>> {
  const found = new Map<string, Command.Class>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const [id, command] of await loadCommands(path.join(dir, entry.name), [...prefix, entry.name]))
        found.set(id, command);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const id = [...prefix, entry.name.replace(/\.ts$/, '')].join(' ');
      found.set(id, ((await import(path.join(dir, entry.name))) as { default: Command.Class }).default);
    }
  }
  return found;
}

let commands: Map<string, Command.Class>;
beforeAll(async () => {
  commands = await loadCommands();
});
const bin = '<%= config.bin %> ';

/** The command an example runs, if it runs rdd: the longest command id its words begin with. */
function commandRun(example: HelpExample): string | undefined {
  const at = example.command.indexOf(bin);
  if (at === -1) return undefined;
  const words = example.command.slice(at + bin.length).split(/\s+/);
  for (let length = Math.min(words.length, 2); length > 0; length--) {
    const id = words.slice(0, length).join(' ');
    if (commands.has(id)) return id;
  }
  return words[0] === 'help' ? 'help' : undefined;
}

function expectWellFormed(examples: readonly (string | HelpExample)[] | undefined, where: string): void {
  expect(examples?.length ?? 0).toBeGreaterThanOrEqual(1);
  for (const example of examples ?? []) {
    expect(typeof example).toBe('object');
    const { description, command } = example as HelpExample;
    expect({ where, description }).toEqual({ where, description: expect.stringMatching(/^[^\n]{3,100}$/) });
    // Each example runs rdd, through a real command (or `rdd help`).
    expect({ where, command, runs: commandRun(example as HelpExample) }).toEqual({
      where,
      command,
      runs: expect.any(String),
    });
  }
}

describe('help examples', () => {
  it('should find the commands', () => {
    expect(commands.has('ctl get')).toBe(true);
    expect(commands.size).toBeGreaterThan(20);
  });

  it('should give every command examples, each a one-line description and a command line that runs rdd', () => {
    for (const [id, command] of commands) expectWellFormed(command.examples, id);
  });

  it('should give the root and every topic examples, each running a command of that topic', () => {
    expectWellFormed(topicExamples[''], 'rdd');
    for (const topic of Object.keys(packageJson.oclif.topics)) {
      expectWellFormed(topicExamples[topic], topic);
      for (const example of topicExamples[topic] ?? []) expect(commandRun(example)?.split(' ')[0]).toBe(topic);
    }
  });

  it('should name every argument in the usage of commands that take a variable number of them', () => {
    for (const [id, command] of commands) {
      if (command.strict !== false || command.hidden) continue;
      const usage = [command.usage ?? []].flat();
      expect({ id, usage }).toEqual({ id, usage: expect.arrayContaining([expect.stringMatching(/[A-Z]/)]) });
    }
    expect([commands.get('ctl action')?.usage].flat()).toContain('ctl action container/NAME ACTION [FLAGS]');
    expect([commands.get('ctl state')?.usage].flat()).toContain('ctl state container/NAME STATE [FLAGS]');
  });

  it('should register the help class that shows the topic examples', () => {
    expect(packageJson.oclif.helpClass).toBe('./dist/cli/help');
  });
});
