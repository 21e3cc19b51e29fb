import { ApiError } from '../../protocol/api-error.js';
import { parseTemplate, relaxedPath, renderTemplate, renderTemplateAsJson } from './jsonpath-template.js';
import { evaluatePath } from './jsonpath-query.js';

// The input of kubectl's "JSONPath Support" page; expected outputs are that page's, with maps printed
// as JSON (what kubectl prints today) rather than Go's `map[cpu:4]`.
const docInput = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
      status: { capacity: { cpu: '4' }, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] },
    },
    {
      kind: 'None',
      metadata: { name: '127.0.0.2' },
      status: {
        capacity: { cpu: '8' },
        addresses: [
          { type: 'LegacyHostIP', address: '127.0.0.2' },
          { type: 'another', address: '127.0.0.3' },
        ],
      },
    },
  ],
  users: [
    { name: 'myself', user: {} },
    { name: 'e2e', user: { username: 'admin', password: 'secret' } },
  ],
};

describe('renderTemplate', () => {
  it.each([
    ['kind is {.kind}', 'kind is List'],
    ['{.kind}', 'List'],
    ["{['kind']}", 'List'],
    ['{$.kind}', 'List'],
    ['{..name}', '127.0.0.1 127.0.0.2 myself e2e'],
    ['{.items[*].metadata.name}', '127.0.0.1 127.0.0.2'],
    ['{.users[0].name}', 'myself'],
    ['{.users[-1:].name}', 'e2e'],
    ['{.users[-1].name}', 'e2e'],
    ['{.users[0:1].name}', 'myself'],
    ['{.users[::-1].name}', 'e2e myself'],
    ['{.users[0,1].name}', 'myself e2e'],
    ["{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['{.users[?(@.name=="e2e")].user.password}', 'secret'],
    ["{.users[?(@.name=='e2e')].user.password}", 'secret'],
    ['{.users[?(@.user.username)].name}', 'e2e'],
    ['{.items[*].status.addresses[?(@.type=="LegacyHostIP")].address}', '127.0.0.1 127.0.0.2'],
    [
      '{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}',
      '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ',
    ],
    ["{range .items[*]}{.metadata.name}{'\\t'}{end}", '127.0.0.1\t127.0.0.2\t'],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', '127.0.0.1\n127.0.0.2\n'],
    ['{.items[0].metadata.labels.kubernetes\\.io/hostname}', '127.0.0.1'],
    ["{.items[0].metadata.labels['kubernetes\\.io/hostname']}", '127.0.0.1'],
    [
      '{range .items[*]}{.metadata.name}:{range .status.addresses[*]}{.address},{end};{end}',
      '127.0.0.1:127.0.0.1,;127.0.0.2:127.0.0.2,127.0.0.3,;',
    ],
    ['{range .users[*]}{@.name}{end}', 'myselfe2e'],
    ['{.users[1].user}', '{"username":"admin","password":"secret"}'],
    ['{.users[*].name}{"\\n"}', 'myself e2e\n'],
    ['{.nothing}|{.users[5].name}|{.kind.deeper}', '||'],
    ['{range .nothing[*]}x{end}done', 'done'],
    ['.kind', 'List'],
    ['  .users[0].name ', 'myself'],
    ['kind', 'kind'],
    ['{ .kind }', 'List'],
    ['a}b', 'a}b'],
    ['{"{"}{.kind}{"}"}', '{List}'],
  ])('should render %s as kubectl does', (template, expected) => {
    expect(renderTemplate(template, docInput)).toBe(expected);
  });

  it.each([
    ['a number', { n: 3 }, '3'],
    ['zero', { n: 0 }, '0'],
    ['a boolean', { n: false }, 'false'],
    ['null', { n: null }, 'null'],
    ['an array', { n: [1, 'a'] }, '[1,"a"]'],
    ['an empty string', { n: '' }, ''],
  ])('should print %s as its text', (_what, data, expected) => {
    expect(renderTemplate('{.n}', data)).toBe(expected);
  });

  it('should print the whole object when given {@}', () => {
    expect(JSON.parse(renderTemplate('{@}', docInput))).toEqual(docInput);
  });

  it('should render a parsed template the same as its text when parsed once and reused', () => {
    const template = parseTemplate('{.kind}');

    expect([renderTemplate(template, { kind: 'A' }), renderTemplate(template, { kind: 'B' })]).toEqual(['A', 'B']);
  });
});

describe('renderTemplateAsJson', () => {
  it.each([
    ['{.items[*].metadata.name}', '[\n    "127.0.0.1",\n    "127.0.0.2"\n]\n'],
    ['{.users[1].user}', '[\n    {\n        "username": "admin",\n        "password": "secret"\n    }\n]\n'],
    ['{.nothing}', '[]\n'],
    ['{.kind}{"\\n"}', '[\n    "List"\n]\n[\n    "\\n"\n]\n'],
  ])('should print the values of %s as JSON arrays', (template, expected) => {
    expect(renderTemplateAsJson(template, docInput)).toBe(expected);
  });
});

describe('parseTemplate', () => {
  it.each([
    ['{.kind', 'unclosed "{" at position 1'],
    ['abc {.kind', 'unclosed "{" at position 5'],
    ['{.kind}{end}', '"{end}" without a matching "{range}" at position 8'],
    ['{range .items[*]}{.kind}', '"{range}" not closed by "{end}" at position 1'],
    ['{range .a[*]}{range .b[*]}{end}', '"{range}" not closed by "{end}" at position 1'],
    ['{range}{end}', '"{range}" needs a path at position 1'],
    ['{}', 'empty action "{}" at position 1'],
    ['{.items[0}', 'unclosed "[" at position 8'],
    ['{.items[x]}', 'invalid array index "x" at position 8'],
    ['{.items[?(@.a=="b"]}', 'unclosed filter "[?(" at position 8'],
    ['{.items[?(@.a==)]}', 'invalid filter "@.a==" '],
    ['{"abc}', 'unterminated string in action at position 1'],
    ['{.a[?(@.b=="x)]}', 'unterminated string in action at position 1'],
    ['{"ab"c}', 'malformed string "ab"c at position 1'],
    ['{"a\\qb"}', 'unknown escape \\q in string "a\\qb" at position 1'],
    ['{kind}', 'unexpected "k"; expected "." or "[" at position 2'],
    ['x{.a b}', 'unexpected " "; expected "." or "[" at position 5'],
  ])('should reject %s naming the problem and its position', (template, message) => {
    const parse = () => parseTemplate(template);

    expect(parse).toThrow(ApiError);
    expect(parse).toThrow(message);
  });

  it('should reject an empty template as Invalid', () => {
    expect(() => parseTemplate('  ')).toThrow(expect.objectContaining({ code: 'Invalid' }) as Error);
  });

  it('should carry the code Invalid and the position when the template is bad', () => {
    const error = (() => {
      try {
        parseTemplate('ab{end}');
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toMatchObject({ code: 'Invalid', details: { template: 'ab{end}', position: 3 } });
  });
});

describe('relaxedPath', () => {
  it.each(['metadata.name', '.metadata.name', '{metadata.name}', '{.metadata.name}', ' .metadata.name '])(
    'should read %s as {.metadata.name}',
    (text) => {
      expect(evaluatePath(relaxedPath(text), { metadata: { name: 'x' } })).toEqual(['x']);
    },
  );

  it.each(['', '{.a}{.b}', '{.a', '{}'])('should reject %j', (text) => {
    expect(() => relaxedPath(text)).toThrow(ApiError);
  });

  it('should keep recursive descent when the path starts with ..', () => {
    expect(evaluatePath(relaxedPath('..name'), { a: { name: 'x' } })).toEqual(['x']);
  });
});
