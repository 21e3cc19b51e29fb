import { renderMermaid } from './mermaid.js';
import { checkMermaid, exampleDefinition } from './statechart.fixtures.js';

describe('renderMermaid', () => {
  const text = renderMermaid(exampleDefinition);
  const lines = text.split('\n').map((line) => line.trim());

  it('should hold together when the machine uses every construct', () => {
    expect(checkMermaid(text)).toEqual([]);
  });

  it('should nest compound states and separate parallel regions when states have children', () => {
    expect(text).toContain('  state work {\n    state upload {');
    expect(text).toMatch(/ {4}}\n {4}--\n {4}state progress \{/);
  });

  it('should draw initial and final pseudo-states when states start and end', () => {
    expect(lines).toContain('[*] --> idle');
    expect(lines).toContain('work_upload_done --> [*]');
    expect(lines).toContain('s_end --> [*]');
  });

  it('should key repeated, reserved and unusable names by path or prefix when ids would clash', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'state "running" as work_upload_running',
        'state "running" as work_progress_running',
        'state "end" as s_end',
        'state "clean-up" as clean_up',
        'state "H*" as hist',
      ]),
    );
  });

  it('should list transitions that stay inside their state when they have no target', () => {
    expect(lines).toContain('work_progress_running : TICK / count');
    expect(lines).toContain('idle : after patience / nag');
  });

  it("should start a compound state's own transitions from its any-state node when it has some", () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'state "any state" as example_any',
        'example_any --> idle : RESET / clear',
        'paused_any --> hist : RESUME',
        'work_any --> s_end : done',
        'failed --> example_any : RESTART',
      ]),
    );
  });

  it('should declare an edge in the innermost block holding both ends when it crosses blocks', () => {
    const inUpload = text.slice(text.indexOf('state upload {'), text.indexOf('\n    --\n'));
    expect(inUpload).toContain('work_upload_running --> work_upload_done : upload done / xstate.assign');
    expect(inUpload).not.toContain('--> failed');
    expect(lines).toContain('work_upload_running --> failed : upload error');
  });

  it('should keep mermaid syntax out of labels when names carry it', () => {
    const text2 = renderMermaid({
      id: 'm',
      initial: 'a',
      states: { a: { on: { 'X;Y': [{ target: 'a', guard: '#g' }] } } },
    });
    expect(text2).toContain('a --> a : X Y [ g]');
    expect(checkMermaid(text2)).toEqual([]);
  });
});
