import { ApiError } from '../../protocol/api-error.js';
import { parseCustomColumns, renderCustomColumns } from './custom-columns.js';
import { renderRows } from './table.js';

const items = [
  {
    metadata: { name: 'web', labels: { tier: 'front' } },
    status: { status: 'running', networks: ['bridge', 'app'], health: null, ports: [{ name: '80/tcp' }] },
  },
  { metadata: { name: 'database-1' }, status: { status: 'exited', networks: [], health: 'healthy', ports: [] } },
];

describe('renderCustomColumns', () => {
  it.each([
    ['NAME:.metadata.name,STATUS:.status.status', 'NAME         STATUS\nweb          running\ndatabase-1   exited\n'],
    ['NAME:metadata.name', 'NAME\nweb\ndatabase-1\n'],
    ['NAME:{.metadata.name}', 'NAME\nweb\ndatabase-1\n'],
    ['NETS:.status.networks[*],N:.metadata.name', 'NETS         N\nbridge,app   web\n<none>       database-1\n'],
    ['TIER:.metadata.labels.tier', 'TIER\nfront\n<none>\n'],
    ['H:.status.health', 'H\n<none>\nhealthy\n'],
    ['P:.status.ports[0]', 'P\n{"name":"80/tcp"}\n<none>\n'],
    ['FIRST:.status.networks[0,1]', 'FIRST\nbridge,app\n<none>\n'],
  ])('should render %s', (spec, expected) => {
    expect(renderCustomColumns(spec, items)).toBe(expected);
  });

  it('should leave out the header and align rows among themselves when noHeaders is set', () => {
    expect(renderCustomColumns('A-VERY-LONG-HEADER:.metadata.name,S:.status.status', items, { noHeaders: true })).toBe(
      'web          running\ndatabase-1   exited\n',
    );
  });

  it('should print only the header when there are no items', () => {
    expect(renderCustomColumns('NAME:.metadata.name', [])).toBe('NAME\n');
  });

  it('should accept columns parsed once when given them instead of the spec', () => {
    const columns = parseCustomColumns('N:.metadata.name');

    expect(renderCustomColumns(columns, items.slice(0, 1))).toBe('N\nweb\n');
  });
});

describe('parseCustomColumns', () => {
  it.each([
    ['NAME', 'invalid custom-columns column "NAME": no ":"'],
    ['NAME:.metadata.name,STATUS', 'invalid custom-columns column "STATUS": no ":"'],
    [':.metadata.name', 'invalid custom-columns column ":.metadata.name": empty header'],
    ['NAME:', 'invalid custom-columns column "NAME:": empty path'],
    ['NAME:.items[x]', 'invalid custom-columns column "NAME:.items[x]": invalid jsonpath template'],
    ['NAME:{.a}{.b}', 'invalid custom-columns column "NAME:{.a}{.b}"'],
    ['', 'no custom columns given'],
  ])('should reject %j naming the bad column', (spec, message) => {
    const parse = () => parseCustomColumns(spec);

    expect(parse).toThrow(ApiError);
    expect(parse).toThrow(message);
  });

  it('should give the headers in order when the spec is valid', () => {
    expect(parseCustomColumns('A:.a, B:.b').map((column) => column.header)).toEqual(['A', 'B']);
  });
});

describe('renderRows', () => {
  it.each([
    [false, 'LONGHEADER   B\nx            y\n'],
    [true, 'x   y\n'],
  ])('should align the rows when noHeaders is %s', (noHeaders, expected) => {
    expect(renderRows(['LONGHEADER', 'B'], [['x', 'y']], noHeaders)).toBe(expected);
  });

  it('should print nothing when there are neither headers nor rows', () => {
    expect(renderRows(['A'], [], true)).toBe('');
  });
});
