import { KindTable } from './kind-table.js';

describe('KindTable', () => {
  it('should keep the same name apart under two kinds', () => {
    // Arrange
    const table = new KindTable<string>();

    // Act
    table.set('Container', 'abc', 'container actor');
    table.set('Image', 'abc', 'image actor');

    // Assert
    expect(table.get('Container', 'abc')).toBe('container actor');
    expect(table.get('Image', 'abc')).toBe('image actor');
    expect(table.get('Volume', 'abc')).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('should count a name set twice once, and a delete of a missing name not at all', () => {
    // Arrange
    const table = new KindTable<number>();
    table.set('Container', 'a', 1);

    // Act
    table.set('Container', 'a', 2);
    const deletedMissing = table.delete('Container', 'b');

    // Assert
    expect(deletedMissing).toBe(false);
    expect(table.get('Container', 'a')).toBe(2);
    expect(table.size).toBe(1);
  });

  it('should list one kind in insertion order, every kind together, and nothing once cleared', () => {
    // Arrange
    const table = new KindTable<string>();
    table.set('Container', 'b', 'c-b');
    table.set('Image', 'x', 'i-x');
    table.set('Container', 'a', 'c-a');

    // Act
    const containers = table.ofKind('Container');
    const all = table.values();
    const deleted = table.delete('Container', 'b');
    table.clear();

    // Assert
    expect(containers).toEqual(['c-b', 'c-a']);
    expect(all.sort()).toEqual(['c-a', 'c-b', 'i-x']);
    expect(deleted).toBe(true);
    expect(table.size).toBe(0);
    expect(table.has('Container', 'a')).toBe(false);
    expect(table.values()).toEqual([]);
  });
});
