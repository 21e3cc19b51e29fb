import { limaInstanceName, parseLimaList } from './limactl.js';
import { k3sRelease } from './lima-scripts.js';

describe('parseLimaList', () => {
  it('should read one instance per line when limactl prints NDJSON', () => {
    // Arrange
    const stdout = [
      '{"name":"rdd-default","status":"Running","dir":"/l/rdd-default","hostAgentPID":4242,"cpus":2}',
      '{"name":"other","status":"Stopped","dir":"/l/other"}',
      '',
    ].join('\n');

    // Act
    const instances = parseLimaList(stdout);

    // Assert
    expect(instances).toEqual([
      { name: 'rdd-default', status: 'Running', dir: '/l/rdd-default', hostAgentPID: 4242 },
      { name: 'other', status: 'Stopped', dir: '/l/other' },
    ]);
  });

  it('should read a JSON array when an older limactl prints one', () => {
    expect(parseLimaList('[{"name":"a","status":"Stopped","dir":"/l/a"}]')).toEqual([
      { name: 'a', status: 'Stopped', dir: '/l/a' },
    ]);
  });

  it.each(['', '   \n'])('should list nothing when limactl prints %j', (stdout) => {
    expect(parseLimaList(stdout)).toEqual([]);
  });

  it('should skip entries without a name when parsing', () => {
    expect(parseLimaList('{"status":"Running"}\n{"name":"b"}')).toEqual([{ name: 'b', status: 'Unknown', dir: '' }]);
  });
});

describe('limaInstanceName', () => {
  it('should prefix the rdd instance name when naming the Lima instance', () => {
    expect(limaInstanceName('default')).toBe('rdd-default');
  });
});

describe('k3sRelease', () => {
  it.each([
    ['1.30.4', 'v1.30.4+k3s1'],
    ['v1.30.4', 'v1.30.4+k3s1'],
    ['1.29.1+k3s2', 'v1.29.1+k3s2'],
    [' 1.28.0 ', 'v1.28.0+k3s1'],
  ])('should turn %j into %s', (version, expected) => {
    expect(k3sRelease(version)).toBe(expected);
  });
});
