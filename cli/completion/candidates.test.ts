import { kindInfos } from '../../protocol/mirrors/kinds.js';
import { complete, needsVocabulary, type Vocabulary } from './candidates.js';
import { completionModel, flagValues } from './model.js';
import type { Command } from '@oclif/core';

/** oclif's cached form of a flag, as the manifest holds it. */
function flag(name: string, extra: Partial<Command.Flag.Cached> = {}): Command.Flag.Cached {
  return { name, type: 'boolean', ...extra } as Command.Flag.Cached;
}

const globals = {
  instance: flag('instance', { type: 'option', description: 'Instance to act on' }),
  'log-level': flag('log-level', { type: 'option', description: 'Daemon log level' }),
};

function command(id: string, flags: Record<string, Command.Flag.Cached> = {}, extra = {}): Command.Loadable {
  return {
    id,
    summary: `${id} summary. More.`,
    flags: { ...globals, ...flags },
    args: {},
    ...extra,
  } as unknown as Command.Loadable;
}

const model = completionModel(
  [
    command('ctl:get', {
      output: flag('output', {
        type: 'option',
        char: 'o',
        description: 'Output format: table, json, jsonpath=TEMPLATE, custom-columns=NAME:.path,…',
      }),
      watch: flag('watch', { char: 'w' }),
    }),
    command('ctl:state', {
      output: flag('output', { type: 'option', char: 'o', options: ['name', 'json', 'yaml'] }),
    }),
    command('ctl:action'),
    command('machines:export'),
    command('svc:paths'),
    command('svc:status'),
    command('watch', { kind: flag('kind', { type: 'option' }) }),
    command('version'),
    command('__complete', {}, { hidden: true }),
  ],
  [
    { name: 'ctl', description: 'Read and change the mirrors' },
    { name: 'ctl:get', description: 'not a topic: a command' },
    { name: 'svc', description: 'Manage the daemon' },
  ],
);

const vocabulary: Vocabulary = {
  kinds: kindInfos,
  containerStates: ['unknown', 'running'],
  containerActions: ['start', 'stop'],
  pathKeys: ['dir', 'docker_socket', 'log_dir'],
};

const values = (words: string[]): string[] => complete(words, model, vocabulary).candidates.map(({ value }) => value);

describe('shell completion candidates', () => {
  it('should offer the top-level commands and topics, with descriptions, and never a hidden command', () => {
    const { candidates } = complete([''], model, vocabulary);
    expect(candidates.map(({ value }) => value)).toEqual(['ctl', 'machines', 'svc', 'watch', 'version']);
    expect(candidates.find(({ value }) => value === 'ctl')?.description).toBe('Read and change the mirrors');
    expect(candidates.find(({ value }) => value === 'version')?.description).toBe('version summary');
  });

  it('should offer the commands of a topic that start with the typed word', () => {
    expect(values(['ctl', ''])).toEqual(['get', 'state', 'action']);
    expect(values(['svc', 's'])).toEqual(['status']);
    expect(values(['help', 'ctl', 'g'])).toEqual(['get']);
  });

  it('should offer the kinds from protocol after a ctl verb, and nothing for an unknown word', () => {
    expect(values(['ctl', 'get', ''])).toEqual(kindInfos.map(({ aliases }) => aliases[0]));
    expect(values(['ctl', 'get', 'con'])).toEqual(['container', 'containernamespace']);
    expect(values(['ctl', 'frobnicate', ''])).toEqual([]);
  });

  it('should ask for the live names of the kind the words name, in both KIND NAME and KIND/NAME forms', () => {
    expect(complete(['ctl', 'get', 'c', 'we'], model, vocabulary).live).toEqual({
      source: { source: 'names', kind: 'Container' },
      prefix: '',
      partial: 'we',
    });
    expect(complete(['ctl', 'get', 'images/ngi'], model, vocabulary).live).toEqual({
      source: { source: 'names', kind: 'Image' },
      prefix: 'images/',
      partial: 'ngi',
    });
    expect(values(['ctl', 'get', 'volume/a', 'vo'])).toEqual(['volume/']);
    expect(complete(['ctl', 'get', 'nokind', ''], model, vocabulary).live).toBeUndefined();
  });

  it('should offer only containers to ctl state, then the states once the container is named', () => {
    expect(values(['ctl', 'state', ''])).toEqual(['container']);
    expect(complete(['ctl', 'state', 'container', ''], model, vocabulary).live?.source).toEqual({
      source: 'names',
      kind: 'Container',
    });
    expect(values(['ctl', 'state', 'container/web', ''])).toEqual(['unknown', 'running']);
    expect(values(['ctl', 'state', 'container', 'web', 'r'])).toEqual(['running']);
    expect(values(['ctl', 'action', 'container/web', ''])).toEqual(['start', 'stop']);
    expect(values(['ctl', 'action', 'container/web', 'stop', ''])).toEqual([]);
  });

  it("should offer a command's flags, long and short, and the global ones before any command", () => {
    expect(values(['ctl', 'get', '--w'])).toEqual(['--watch']);
    expect(values(['ctl', 'get', '-'])).toEqual(
      expect.arrayContaining(['--instance', '--log-level', '--output', '-o', '--watch', '-w', '--help']),
    );
    expect(values(['--'])).toEqual(['--instance', '--log-level', '--help']);
  });

  it("should offer a flag's values after it, after --flag=, and the forms an output flag's help lists", () => {
    expect(values(['ctl', 'state', '-o', ''])).toEqual(['name', 'json', 'yaml']);
    expect(values(['ctl', 'state', '--output', 'y'])).toEqual(['yaml']);
    expect(values(['ctl', 'get', '--output=j'])).toEqual(['--output=json', '--output=jsonpath=']);
    expect(values(['ctl', 'get', '-o', ''])).toEqual(['table', 'json', 'jsonpath=', 'custom-columns=']);
    expect(values(['watch', '--kind', 'i'])).toEqual(['image']);
  });

  it('should read past flags and their values, and remember the instance named', () => {
    const completion = complete(['--instance', 'dev', 'ctl', '-o', 'json', 'get', 'container', ''], model, vocabulary);
    expect(completion.instance).toBe('dev');
    expect(completion.live?.source).toEqual({ source: 'names', kind: 'Container' });
    expect(complete(['ctl', 'get', '--instance=qa', 'c', ''], model, vocabulary).instance).toBe('qa');
    expect(complete(['ctl', 'get', '-ojson', 'c', ''], model, vocabulary).live?.partial).toBe('');
  });

  it('should offer path keys and machine names to the commands that take them', () => {
    expect(values(['svc', 'paths', 'd'])).toEqual(['dir', 'docker_socket']);
    expect(values(['svc', 'paths', 'dir', ''])).toEqual([]);
    expect(complete(['machines', 'export', 'v'], model, vocabulary).live).toEqual({
      source: { source: 'machines' },
      prefix: '',
      partial: 'v',
    });
  });

  it('should offer nothing after a command that takes no arguments, or after help names a command', () => {
    expect(values(['version', ''])).toEqual([]);
    expect(values(['help', 'ctl', 'get', ''])).toEqual([]);
  });
});

describe('when completion needs the vocabulary', () => {
  it('should need it for the arguments of ctl verbs and kind-valued flags only', () => {
    expect(needsVocabulary(['ctl', 'get', ''], model)).toBe(true);
    expect(needsVocabulary(['svc', 'paths', ''], model)).toBe(true);
    expect(needsVocabulary(['watch', '--kind', ''], model)).toBe(true);
    expect(needsVocabulary(['watch', '--kind=c'], model)).toBe(true);
    expect(needsVocabulary(['ctl', ''], model)).toBe(false);
    expect(needsVocabulary(['ctl', 'get', '-o', ''], model)).toBe(false);
    expect(needsVocabulary(['ctl', 'get', '--w'], model)).toBe(false);
    expect(needsVocabulary(['version', ''], model)).toBe(false);
  });
});

describe('flag values from the manifest', () => {
  it('should take the options of an option flag, and nothing for a boolean or a free-form flag', () => {
    expect(flagValues(flag('output', { type: 'option', options: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(flagValues(flag('watch'))).toBeUndefined();
    expect(flagValues(flag('trace', { type: 'option', description: 'Only this request id' }))).toBeUndefined();
  });
});
