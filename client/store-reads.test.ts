import type { KV, KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { keysWithMessages, latestEntries } from './store-reads.js';

const bucket = 'rdd_t_resources';
const stream = `KV_${bucket}`;
const prefix = `$KV.${bucket}.`;

interface FakeReply {
  json: () => unknown;
  string: () => string;
  headers?: { code: number; description: string; get: (name: string) => string };
}

const jsonReply = (body: unknown): FakeReply => ({ json: () => body, string: () => JSON.stringify(body) });

/** A direct-get reply: the stored value with the headers nats-server puts on it. */
const storedReply = (sequence: number, value: string, operation?: string): FakeReply => ({
  json: () => JSON.parse(value) as unknown,
  string: () => value,
  headers: {
    code: 0,
    description: '',
    get: (name) => ({ 'Nats-Sequence': String(sequence), 'KV-Operation': operation ?? '' })[name] ?? '',
  },
});

const notFoundReply: FakeReply = {
  json: () => null,
  string: () => '',
  headers: { code: 404, description: 'Message Not Found', get: () => '' },
};

/** A connection that answers each request subject from `answer` and records what it was asked. */
function fakeConnection(answer: (subject: string, body: string) => FakeReply): {
  nc: NatsConnection;
  asked: string[];
} {
  const asked: string[] = [];
  const nc = {
    request: (subject: string, body?: string) => {
      asked.push(subject);
      return Promise.resolve(answer(subject, body ?? ''));
    },
  } as unknown as NatsConnection;
  return { nc, asked };
}

/** A stream-info reply naming `subjects`, paged when `total` is given. */
const infoReply = (subjects: string[], extra: Record<string, unknown> = {}): FakeReply =>
  jsonReply({
    config: { allow_direct: true },
    state: { subjects: Object.fromEntries(subjects.map((subject) => [`${prefix}${subject}`, 1])) },
    ...extra,
  });

describe('keysWithMessages', () => {
  it('should ask for the keys under the filter and follow the pages the server gives', async () => {
    const pages = [['Widget.a', 'Widget.b'], ['Widget.c']];
    const { nc } = fakeConnection((_subject, body) => {
      const { offset, subjects_filter } = JSON.parse(body) as { offset: number; subjects_filter: string };
      expect(subjects_filter).toBe(`${prefix}Widget.>`);
      return infoReply(offset === 0 ? (pages[0] as string[]) : (pages[1] as string[]), { total: 3, offset });
    });

    const found = await keysWithMessages(nc, bucket, 'Widget.>');

    expect(found).toEqual({ keys: ['Widget.a', 'Widget.b', 'Widget.c'], allowDirect: true });
  });

  it('should fail naming the stream and the server’s reason when the stream cannot be read', async () => {
    const { nc } = fakeConnection(() => jsonReply({ error: { code: 404, description: 'stream not found' } }));

    await expect(keysWithMessages(nc, bucket, '>')).rejects.toThrow(/KV_rdd_t_resources.*stream not found/);
  });
});

describe('latestEntries with a few keys', () => {
  const unusedKv = {} as KV;

  it('should read each key with one direct get, keep delete markers, and skip a key purged meanwhile', async () => {
    const { nc, asked } = fakeConnection((subject) => {
      if (subject === `$JS.API.STREAM.INFO.${stream}`) return infoReply(['Widget.a', 'Widget.gone', 'Widget.purged']);
      if (subject.endsWith('Widget.a')) return storedReply(4, '{"kind":"Widget"}');
      if (subject.endsWith('Widget.gone')) return storedReply(9, '', 'DEL');
      return notFoundReply;
    });

    const entries = await latestEntries(unusedKv, nc, bucket, 'Widget.>');

    expect(asked.filter((subject) => subject.startsWith('$JS.API.DIRECT.GET.'))).toEqual([
      `$JS.API.DIRECT.GET.${stream}.${prefix}Widget.a`,
      `$JS.API.DIRECT.GET.${stream}.${prefix}Widget.gone`,
      `$JS.API.DIRECT.GET.${stream}.${prefix}Widget.purged`,
    ]);
    expect(entries.map((entry) => [entry.key, entry.revision, entry.operation, entry.string()])).toEqual([
      ['Widget.a', 4, 'PUT', '{"kind":"Widget"}'],
      ['Widget.gone', 9, 'DEL', ''],
    ]);
  });

  it('should fail naming the key when the server answers a get with an error', async () => {
    const { nc } = fakeConnection((subject) =>
      subject.startsWith('$JS.API.STREAM.INFO.')
        ? infoReply(['Widget.a'])
        : { ...notFoundReply, headers: { code: 408, description: 'Bad Request', get: () => '' } },
    );

    await expect(latestEntries(unusedKv, nc, bucket, 'Widget.>')).rejects.toThrow(/Widget\.a.*Bad Request/);
  });

  it('should read through the KV’s own get when the stream does not answer direct gets', async () => {
    const { nc, asked } = fakeConnection(() => infoReply(['Widget.a'], { config: { allow_direct: false } }));
    const stored = { key: 'Widget.a', revision: 2, operation: 'PUT', string: () => '{}' } as KvEntry;
    const kv = { get: (key: string) => Promise.resolve(key === 'Widget.a' ? stored : null) } as unknown as KV;

    const entries = await latestEntries(kv, nc, bucket, 'Widget.>');

    expect(entries).toEqual([stored]);
    expect(asked).toEqual([`$JS.API.STREAM.INFO.${stream}`]);
  });
});
