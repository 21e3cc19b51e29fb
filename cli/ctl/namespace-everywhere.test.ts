/** kubectl takes -n on every verb; a script that passes it everywhere must work with every rdd ctl verb. */
import fs from 'node:fs';
import path from 'node:path';

const commandsDir = path.join(__dirname, '..', 'commands', 'ctl');
const verbs = fs
  .readdirSync(commandsDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => file.replace(/\.ts$/, ''));

describe('-n on every ctl verb', () => {
  it('should find the verbs', () => {
    expect(verbs).toEqual(expect.arrayContaining(['get', 'apply', 'patch', 'logs', 'explain', 'api-resources']));
  });

  it.each(verbs)('should take -n/--namespace: rdd ctl %s', async (verb) => {
    const command = (await import(path.join(commandsDir, verb))) as {
      default: { flags?: Record<string, { char?: string }> };
    };

    expect(command.default.flags?.namespace?.char).toBe('n');
  });
});
