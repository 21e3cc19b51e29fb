import { ApiError } from '../../protocol/api-error.js';
import { labelsCell, parseSortBy, sortResources } from './list-options.js';
import { renderResources } from './printers.js';
import { NOW, container, volume } from './resources.fixtures.js';

describe('--sort-by', () => {
  const named = (name: string, createdAt: string) => volume({ name, createdAt });
  const items = [
    named('b', '2026-01-02T00:00:00Z'),
    named('a', '2026-01-03T00:00:00Z'),
    named('c', '2026-01-01T00:00:00Z'),
  ];

  it.each([
    ['.status.name', ['a', 'b', 'c']],
    ['{.status.name}', ['a', 'b', 'c']],
    ['.status.createdAt', ['c', 'b', 'a']],
  ])('should order by %s', (path, expected) => {
    expect(sortResources(items, parseSortBy(path)).map((item) => item.status.name)).toEqual(expected);
  });

  it('should order numbers numerically and put objects without the field first, keeping ties in order', () => {
    const sized = [9, 10, 100].map((size, index) => ({
      ...named(`v${index}`, ''),
      metadata: { ...items[0]!.metadata, generation: size },
    }));
    const without = named('none', '');

    const sorted = sortResources([sized[2]!, without, sized[1]!, sized[0]!], parseSortBy('.metadata.generation'));

    expect(sorted.map((item) => item.status.name)).toEqual(['none', 'v0', 'v1', 'v2']);
  });

  it.each(['status.name', '{status}', ''])('should refuse %j, saying how to write one', (path) => {
    expect(() => parseSortBy(path)).toThrow(ApiError);
    expect(() => parseSortBy(path)).toThrow(/not a JSONPath; write e.g. .metadata.name/);
  });
});

describe('--show-labels and several kinds', () => {
  it('should print the labels sorted by key, or <none>', () => {
    const labelled = container({ name: 'web' });
    labelled.metadata.labels = { tier: 'front', app: 'shop' };

    expect(labelsCell(labelled)).toBe('app=shop,tier=front');
    expect(labelsCell(volume())).toBe('<none>');
  });

  it('should add a LABELS column last and name objects kind/NAME when asked', () => {
    const { stdout } = renderResources([volume({ name: 'data' })], { now: NOW, showLabels: true, kindPrefix: true });
    const [header, row] = stdout.trimEnd().split('\n');

    expect(header).toMatch(/^NAME\s+DRIVER\s+AGE\s+LABELS$/);
    expect(row).toMatch(/^volume\/data\s+local\s+\S+\s+<none>$/);
  });
});
