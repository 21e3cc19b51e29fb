import { ApiError } from '../../protocol/api-error.js';
import { parsePath, splitTopLevel } from './jsonpath-path.js';

describe('parsePath', () => {
  it.each([
    [
      '.a.b',
      [
        { type: 'field', name: 'a' },
        { type: 'field', name: 'b' },
      ],
    ],
    ['$.a', [{ type: 'field', name: 'a' }]],
    ['.a\\.b', [{ type: 'field', name: 'a.b' }]],
    [
      "['a.b']",
      [
        { type: 'field', name: 'a' },
        { type: 'field', name: 'b' },
      ],
    ],
    ["['a\\.b']", [{ type: 'field', name: 'a.b' }]],
    ['..a', [{ type: 'recursive' }, { type: 'field', name: 'a' }]],
    ['.a[*]', [{ type: 'field', name: 'a' }, { type: 'wildcard' }]],
    ['.a.*', [{ type: 'field', name: 'a' }, { type: 'wildcard' }]],
    ['[-1]', [{ type: 'slice', text: '-1:' }]],
    ['[-3]', [{ type: 'slice', text: '-3:-2' }]],
    ['[1:5:2]', [{ type: 'slice', text: '1:5:2' }]],
    ['[?(@.a == "x)")]', [{ type: 'filter', expression: '@.a == "x)"' }]],
    ["[0,'b']", [{ type: 'union', branches: [[{ type: 'slice', text: '0' }], [{ type: 'field', name: 'b' }]] }]],
  ])('should parse %s into segments', (text, segments) => {
    expect(parsePath(text).segments).toEqual(segments);
  });

  it('should report positions within the whole template when given a context', () => {
    expect(() => parsePath('.a[x]', { template: 'ab{.a[x]}', offset: 3 })).toThrow(
      'invalid jsonpath template "ab{.a[x]}": invalid array index "x" at position 6',
    );
  });

  it('should throw an Invalid ApiError when the path is bad', () => {
    expect(() => parsePath('a')).toThrow(ApiError);
  });
});

describe('splitTopLevel', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ["['a,b'],c", ["['a,b']", 'c']],
    ['x[0,1],y', ['x[0,1]', 'y']],
    ['a\\,b,c', ['a\\,b', 'c']],
    ['', ['']],
  ])('should split %j outside quotes and brackets', (text, expected) => {
    expect(splitTopLevel(text, ',')).toEqual(expected);
  });
});
