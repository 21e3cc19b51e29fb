import { renderDot } from './dot.js';
import { checkDot, exampleDefinition } from './statechart.fixtures.js';

describe('renderDot', () => {
  const text = renderDot(exampleDefinition);
  const lines = text.split('\n').map((line) => line.trim());

  it('should hold together when the machine uses every construct', () => {
    expect(checkDot(text)).toEqual([]);
  });

  it('should draw compound states as clusters and parallel ones dashed when states have children', () => {
    expect(text).toMatch(/subgraph "cluster_example\.work" \{\n\s+label="work";\n\s+style="rounded,dashed";/);
    expect(text).toMatch(
      /subgraph "cluster_example\.paused" \{\n\s+label="paused\\ninvoke heartbeat";\n\s+style=rounded;/,
    );
  });

  it('should end an edge into a compound state at its initial dot clipped by its cluster', () => {
    expect(lines).toContain(
      '"example.idle" -> "example.paused/initial" [label="GO [not(ready)]", lhead="cluster_example.paused"];',
    );
    expect(lines).toContain(
      '"example.idle" -> "example.work/anchor" [label="GO [ready]", lhead="cluster_example.work"];',
    );
  });

  it('should clip an edge at a cluster only when it starts outside that cluster', () => {
    const text2 = renderDot({
      id: 'm',
      initial: 'p',
      states: { p: { initial: 'a', on: { AGAIN: [{ target: '#m.p', reenter: true }] }, states: { a: {} } } },
    });
    expect(text2).toContain('"m.p/any" -> "m.p/initial" [label="AGAIN (reenter)"];');
    expect(text2).toContain('"m/initial" -> "m.p/initial" [lhead="cluster_m.p"];');
    expect(checkDot(text2)).toEqual([]);
  });

  it('should mark final and history states when the machine has them', () => {
    expect(lines).toContain('"example.end" [label="end", peripheries=2];');
    expect(lines).toContain('"example.paused.hist" [shape=circle, label="H*"];');
  });

  it('should escape quotes and backslashes when names carry them', () => {
    const text2 = renderDot({ id: 'q"m', initial: 'a', states: { a: { entry: ['say "hi"\\'] } } });
    expect(text2).toContain('digraph "q\\"m" {');
    expect(text2).toContain('"q\\"m.a" [label="a\\nentry / say \\"hi\\"\\\\"];');
    expect(checkDot(text2)).toEqual([]);
  });
});
