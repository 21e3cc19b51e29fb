import {
  describeMissing,
  freeSubIdRange,
  missingPrerequisites,
  subIdRangesOf,
  type RootlessFacts,
} from './rootless-prerequisites.js';

const ann = { name: 'ann', uid: 1000 };

function facts(overrides: Partial<RootlessFacts> = {}): RootlessFacts {
  return {
    user: ann,
    dockerd: { wanted: 'dockerd', found: '/usr/sbin/dockerd' },
    rootlesskit: '/usr/bin/rootlesskit',
    slirp4netns: '/usr/bin/slirp4netns',
    newuidmap: '/usr/bin/newuidmap',
    newgidmap: '/usr/bin/newgidmap',
    subuid: 'ann:100000:65536\n',
    subgid: 'ann:100000:65536\n',
    tun: 'usable',
    maxUserNamespaces: '15000\n',
    unprivilegedUsernsClone: null,
    ...overrides,
  };
}

describe('subIdRangesOf', () => {
  it.each([
    ['ann:100000:65536\n', [{ start: 100000, count: 65536 }]],
    ['1000:200000:65536\n', [{ start: 200000, count: 65536 }]],
    ['bob:100000:65536\n# ann:1:2\n', []],
    ['ann:100000:0\n', []],
    ['ann:100000\nann:x:65536\n', []],
    [
      'bob:1:2\nann:300000:10\nann:400000:20\n',
      [
        { start: 300000, count: 10 },
        { start: 400000, count: 20 },
      ],
    ],
  ])('should find in %j the ranges %j of ann (uid 1000)', (text, expected) => {
    expect(subIdRangesOf(text, ann)).toEqual(expected);
  });
});

describe('freeSubIdRange', () => {
  it.each([
    [[''], 100000],
    [['rddtest:100000:65536\n'], 165536],
    [['a:100000:65536\nb:165536:65536\n', 'c:231072:10\n'], 231082],
    [['far:500000:65536\n'], 100000],
    [['straddles:50000:60000\n'], 110000],
  ])('should pick a range overlapping none of %j, starting at %d', (texts, start) => {
    expect(freeSubIdRange(texts)).toEqual({ start, count: 65536 });
  });
});

describe('missingPrerequisites', () => {
  it('should find nothing missing when everything is there', () => {
    expect(missingPrerequisites(facts())).toEqual([]);
  });

  it('should name every missing program with its package when none is installed', () => {
    const missing = missingPrerequisites(
      facts({
        dockerd: { wanted: 'dockerd', found: null },
        rootlesskit: null,
        slirp4netns: null,
        newuidmap: null,
        newgidmap: null,
      }),
    );

    expect(missing.map((item) => item.fix)).toEqual([
      'sudo apt-get install docker.io, or set RDD_DOCKERD to its path',
      'sudo apt-get install rootlesskit',
      'sudo apt-get install slirp4netns',
      'sudo apt-get install uidmap',
      'sudo apt-get install uidmap',
    ]);
  });

  it('should suggest a free range for both files when the user has no subordinate ids', () => {
    const missing = missingPrerequisites(facts({ subuid: 'rddtest:100000:65536\n', subgid: null }));

    expect(missing).toEqual([
      {
        what: 'no range of subordinate ids for user ann (uid 1000) in /etc/subuid and /etc/subgid',
        fix: 'sudo usermod --add-subuids 165536-231071 --add-subgids 165536-231071 ann',
      },
    ]);
  });

  it('should ask only for subgids, without sudo, when root lacks only those', () => {
    const root = { name: 'root', uid: 0 };
    const missing = missingPrerequisites(facts({ user: root, subuid: 'root:300000:65536\n', subgid: '' }));

    expect(missing.map((item) => item.fix)).toEqual(['usermod --add-subgids 100000-165535 root']);
  });

  it.each([
    ['denied', 'sudo chmod 0666 /dev/net/tun'],
    ['missing', 'sudo modprobe tun'],
  ] as const)('should say how to fix a tun device that is %s', (tun, fix) => {
    expect(missingPrerequisites(facts({ tun })).map((item) => item.fix)).toEqual([expect.stringContaining(fix)]);
  });

  it('should report disabled user namespaces when max_user_namespaces is 0', () => {
    expect(missingPrerequisites(facts({ maxUserNamespaces: '0\n' }))[0]?.what).toContain('max_user_namespaces is 0');
  });

  it('should report unprivileged_userns_clone=0 for a user but not for root', () => {
    const disabled = { unprivilegedUsernsClone: '0\n' };

    expect(missingPrerequisites(facts(disabled)).map((item) => item.fix)).toEqual([
      'sudo sysctl -w kernel.unprivileged_userns_clone=1',
    ]);
    expect(
      missingPrerequisites(
        facts({ ...disabled, user: { name: 'root', uid: 0 }, subuid: 'root:1:65536', subgid: 'root:1:65536' }),
      ),
    ).toEqual([]);
  });
});

describe('describeMissing', () => {
  it('should list each missing piece with its fix in one message', () => {
    const message = describeMissing(missingPrerequisites(facts({ rootlesskit: null, tun: 'denied' })));

    expect(message).toBe(
      'the dockerd driver runs dockerd in a user and network namespace of its own (RootlessKit + slirp4netns) and ' +
        'cannot here: rootlesskit not found on PATH (fix: sudo apt-get install rootlesskit); ' +
        '/dev/net/tun is not readable and writable by ann ' +
        '(fix: sudo chmod 0666 /dev/net/tun (distributions ship it 0666; a udev rule keeps it so))',
    );
  });
});
