import { authorizationConfig, rolePermissions } from './bus-permissions.js';

const users = {
  daemon: { user: 'rdd-daemon', pass: 'd' },
  client: { user: 'rdd-client', pass: 'c' },
  watch: { user: 'rdd-watch', pass: 'w' },
};

/** True when NATS would deliver `subject` to a permission entry `pattern` (`*` one token, `>` the rest). */
function matches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let index = 0; index < want.length; index += 1) {
    if (want[index] === '>') return have.length > index;
    if (want[index] !== '*' && want[index] !== have[index]) return false;
  }
  return want.length === have.length;
}

const allows = (list: string[], subject: string): boolean => list.some((pattern) => matches(pattern, subject));

describe('rolePermissions', () => {
  const internal = [
    'rdd.dev.vm.desired',
    'rdd.dev.vm.status',
    'rdd.dev.engine.desired',
    'rdd.dev.engine.status',
    'rdd.dev.app.hello',
    'rdd.dev.mirrors.Container.abc.delete',
    'rdd.dev.debug.crash',
    '$KV.rdd_dev_resources.App.app',
    '$JS.API.STREAM.DELETE.KV_rdd_dev_resources',
    '$JS.API.STREAM.PURGE.KV_rdd_dev_resources',
    '$JS.API.STREAM.NAMES',
    '$JS.API.STREAM.INFO.KV_rdd_other_resources',
  ];

  it.each(['client', 'watch'] as const)('should let the %s publish on no internal subject', (role) => {
    const { publish } = rolePermissions('dev', role);

    expect(internal.filter((subject) => allows(publish, subject))).toEqual([]);
  });

  it('should let a client call the API and read its instance’s bucket and supervision stream', () => {
    const { publish, subscribe } = rolePermissions('dev', 'client');

    expect(allows(publish, 'rdd.dev.api.app.set')).toBe(true);
    expect(allows(publish, 'rdd.other.api.app.set')).toBe(false);
    expect(allows(publish, '$JS.API.DIRECT.GET.KV_rdd_dev_resources.$KV.rdd_dev_resources.App.app')).toBe(true);
    expect(allows(publish, '$JS.API.CONSUMER.CREATE.rdd_dev_supervision.abc')).toBe(true);
    expect(allows(subscribe, '_INBOX_rdd_client.x.y')).toBe(true);
    expect(allows(subscribe, 'rdd.dev.supervision.root.bus.started')).toBe(true);
  });

  it('should let a client grant credit to a log stream of its instance, and only the client', () => {
    const client = rolePermissions('dev', 'client').publish;
    const watch = rolePermissions('dev', 'watch').publish;

    expect(allows(client, 'rdd.dev.logs.abcdef0123456789.credit')).toBe(true);
    expect(allows(client, 'rdd.other.logs.abcdef0123456789.credit')).toBe(false);
    expect(allows(client, 'rdd.dev.logs.abcdef0123456789.chunk')).toBe(false);
    expect(allows(client, 'rdd.dev.engine.logs')).toBe(false);
    expect(allows(watch, 'rdd.dev.logs.abcdef0123456789.credit')).toBe(false);
  });

  it('should keep every role out of the others’ inboxes, the API’s requests and the actor subjects', () => {
    const client = rolePermissions('dev', 'client').subscribe;
    const watch = rolePermissions('dev', 'watch').subscribe;

    for (const subject of [
      '_INBOX.x',
      'rdd.dev.api.app.set',
      'rdd.dev.vm.desired',
      'rdd.dev.mirrors.Container.a.state',
    ])
      expect([allows(client, subject), allows(watch, subject)]).toEqual([false, false]);
    expect(allows(client, '_INBOX_rdd_watch.x')).toBe(false);
    expect(allows(watch, '_INBOX_rdd_client.x')).toBe(false);
  });

  it('should give the watch role no API', () => {
    expect(allows(rolePermissions('dev', 'watch').publish, 'rdd.dev.api.svc.status')).toBe(false);
  });
});

describe('authorizationConfig', () => {
  it('should list the three users, with permissions for all but the daemon', () => {
    const config = authorizationConfig('dev', users);

    expect(config.match(/user: /g)).toHaveLength(3);
    expect(config.match(/permissions: /g)).toHaveLength(2);
    expect(config).toContain('{ user: "rdd-daemon", password: "d" }');
  });
});
