import { compileSegments, evaluatePath } from './jsonpath-query.js';
import { parsePath } from './jsonpath-path.js';

const odd = {
  labels: {
    'app.kubernetes.io/name': 'web',
    "it's": 'quote',
    'a;b': 'semicolon',
    'a]b': 'bracket',
    'a,b': 'comma',
    '^': 'caret',
    '~': 'tilde',
    '*': 'star',
    '#0': 'hash',
  },
};

describe('evaluatePath', () => {
  it.each([
    ['.labels.app\\.kubernetes\\.io/name', 'web'],
    [".labels.it's", 'quote'],
    ['.labels.a;b', 'semicolon'],
    ['.labels.a\\]b', 'bracket'],
    ['.labels.a\\,b', 'comma'],
    ['.labels.^', 'caret'],
    ['.labels.~', 'tilde'],
    ['.labels.#0', 'hash'],
    ['..a;b', 'semicolon'],
  ])('should read the key of %s literally', (path, expected) => {
    expect(evaluatePath(parsePath(path), odd)).toEqual([expected]);
  });

  it('should treat .* as a wildcard, not the key "*", when unescaped', () => {
    expect(evaluatePath(parsePath('.labels.*'), { labels: { '*': 1, b: 2 } })).toEqual([1, 2]);
  });

  it.each([
    ['[0]', ['a']],
    ['[2]', ['c']],
    ['[-1]', ['c']],
    ['[-2]', ['b']],
    ['[5]', []],
    ['[1:]', ['b', 'c']],
    ['[:2]', ['a', 'b']],
    ['[-2:]', ['b', 'c']],
    ['[0:3:2]', ['a', 'c']],
    ['[*]', ['a', 'b', 'c']],
    ['[2,0]', ['c', 'a']],
  ])('should select %s of an array', (path, expected) => {
    expect(evaluatePath(parsePath(path), ['a', 'b', 'c'])).toEqual(expected);
  });

  it('should run each union branch over every input before the next branch when there are many inputs', () => {
    const data = {
      items: [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ],
    };

    expect(evaluatePath(parsePath(".items[*]['a','b']"), data)).toEqual([1, 3, 2, 4]);
  });

  it('should descend depth first when the path is recursive', () => {
    const data = { name: 'root', x: { name: 'x', y: { name: 'y' } }, z: { name: 'z' } };

    expect(evaluatePath(parsePath('..name'), data)).toEqual(['root', 'x', 'y', 'z']);
  });

  it.each([
    ['.status.conditions[?(@.type=="Running")].status', ['True']],
    ['.status.conditions[?(@.type!="Running")].type', ['Settled']],
    ['.status.conditions[?(@.generation>1)].type', ['Settled']],
    ['.status.conditions[?(@.missing.deeper=="x")].type', []],
  ])('should filter with %s', (path, expected) => {
    const data = {
      status: {
        conditions: [
          { type: 'Running', status: 'True', generation: 1 },
          { type: 'Settled', status: 'False', generation: 2 },
        ],
      },
    };

    expect(evaluatePath(parsePath(path), data)).toEqual(expected);
  });

  it.each([
    ['null', null],
    ['a number', 7],
  ])('should select nothing below %s', (_what, value) => {
    expect(evaluatePath(parsePath('.a.length'), { a: value })).toEqual([]);
  });

  it.each(['', '.', '$', '@'])('should select the data itself when the path is %j', (path) => {
    expect(evaluatePath(parsePath(path), { a: 1 })).toEqual([{ a: 1 }]);
  });

  it('should not run code when a filter calls a function', () => {
    expect(evaluatePath(parsePath('[?(process.exit(1))]'), [{ a: 1 }])).toEqual([]);
  });
});

describe('compileSegments', () => {
  it.each([
    ['.a.b[0]', [{ type: 'query', path: "$['`a']['`b'][0]" }]],
    ['..name', [{ type: 'query', path: "$..['`name']" }]],
    ['.a[?(@.x==1)].b', [{ type: 'query', path: "$['`a'][?(@.x==1)]['`b']" }]],
    [
      ".a.it's.b",
      [
        { type: 'query', path: "$['`a']" },
        { type: 'field', name: "it's" },
        { type: 'query', path: "$['`b']" },
      ],
    ],
    ['.a[*].b', [{ type: 'query', path: "$['`a']" }, { type: 'children' }, { type: 'query', path: "$['`b']" }]],
    ['..*', [{ type: 'descend' }, { type: 'children' }]],
  ])('should run %s as %j', (text, steps) => {
    expect(compileSegments(parsePath(text).segments)).toEqual(steps);
  });
});
