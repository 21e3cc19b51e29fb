import { addressOf, bridgeName, chooseSubnet, cidrsInUse, overlaps, parseCidr, subnetCandidates } from './bridge.js';

const dir = '/home/ann/.local/share/rdd/default';

describe('bridgeName', () => {
  it('should be rdd- and 8 hex digits within IFNAMSIZ when derived from a data dir', () => {
    // Act
    const name = bridgeName(dir);

    // Assert
    expect(name).toMatch(/^rdd-[0-9a-f]{8}$/);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(15);
  });

  it('should be the same when derived twice from the same dir', () => {
    expect(bridgeName(dir)).toBe(bridgeName(dir));
  });

  it('should differ when derived from another instance dir', () => {
    expect(bridgeName('/home/ann/.local/share/rdd/other')).not.toBe(bridgeName(dir));
  });
});

describe('parseCidr and overlaps', () => {
  it.each([
    ['10.213.5.0/24', '10.213.5.128/25', true],
    ['10.213.5.0/24', '10.213.6.0/24', false],
    ['10.0.0.0/8', '10.213.5.0/24', true],
    ['10.213.5.7', '10.213.5.0/24', true],
    ['172.17.0.0/16', '10.213.5.0/24', false],
  ])('should say %s and %s overlap is %s', (a, b, expected) => {
    expect(overlaps(parseCidr(a)!, parseCidr(b)!)).toBe(expected);
  });

  it.each(['default', '10.1.2/24', '10.1.2.3/33', 'fe80::1/64', '300.1.1.1/8'])('should reject %s', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('chooseSubnet', () => {
  it('should pick the hashed /24 of 10.213.0.0/16 with .1 for the bridge when nothing is in use', () => {
    // Arrange
    const octet = subnetCandidates(dir)[0]!;

    // Act
    const address = chooseSubnet(dir, []);

    // Assert
    expect(address).toBe(`10.213.${octet}.1/24`);
  });

  it('should skip a /24 that a route already covers when choosing', () => {
    // Arrange
    const [first, second] = subnetCandidates(dir);
    const inUse = [parseCidr(`10.213.${first}.0/24`)!];

    // Act
    const address = chooseSubnet(dir, inUse);

    // Assert
    expect(address).toBe(`10.213.${second}.1/24`);
  });

  it('should ignore the default route when choosing', () => {
    expect(chooseSubnet(dir, [parseCidr('0.0.0.0/0')!])).toBe(chooseSubnet(dir, []));
  });

  it('should fail with a clear message when all of 10.213.0.0/16 is in use', () => {
    expect(() => chooseSubnet(dir, [parseCidr('10.0.0.0/8')!])).toThrow('every /24 in 10.213.0.0/16 is in use');
  });

  it('should offer 254 distinct candidates without .0 or .255 when listed', () => {
    // Act
    const candidates = subnetCandidates(dir);

    // Assert
    expect(new Set(candidates).size).toBe(254);
    expect(candidates).not.toContain(0);
    expect(candidates).not.toContain(255);
  });
});

describe('cidrsInUse and addressOf', () => {
  const routes = JSON.stringify([
    { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
    { dst: '192.0.2.0/24', dev: 'eth0' },
    { dst: '10.213.9.0/24', dev: 'rdd-aaaaaaaa' },
  ]);
  const addrs = JSON.stringify([
    { ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.0.2.2', prefixlen: 24 }] },
    { ifname: 'docker0', addr_info: [{ family: 'inet', local: '172.17.0.1', prefixlen: 16 }] },
    { ifname: 'rdd-aaaaaaaa', addr_info: [{ family: 'inet', local: '10.213.9.1', prefixlen: 24 }] },
  ]);

  it('should list routes and addresses except the default route and our own bridge when parsed', () => {
    // Act
    const cidrs = cidrsInUse(routes, addrs, 'rdd-aaaaaaaa');

    // Assert
    expect(cidrs).toEqual([parseCidr('192.0.2.0/24'), parseCidr('192.0.2.2/24'), parseCidr('172.17.0.1/16')]);
  });

  it('should find the address of an existing bridge when it has one', () => {
    expect(addressOf(addrs, 'rdd-aaaaaaaa')).toBe('10.213.9.1/24');
    expect(addressOf(addrs, 'rdd-bbbbbbbb')).toBeNull();
  });
});
