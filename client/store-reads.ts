/**
 * How the resource store reads its bucket without leaving server state behind. A listing starts with
 * one stream-info request naming every live key under a filter; a few keys are then read one direct
 * get each (no consumer at all, so even a reader killed mid-read leaves nothing), many are streamed by
 * one consumer deleted once they are in. A watch's ordered push consumer is deleted when the watch
 * ends, rather than left to expire after nats.js's five idle minutes.
 */
import { DeliverPolicy, jetstream, type JsMsg, type OrderedPushConsumerOptions } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { wrapError } from '../protocol/api-error.js';

/** What a read hands the store: enough of a KV entry to decode it and tell a put from a delete. */
export interface StoredEntry {
  key: string;
  revision: number;
  operation: KvEntry['operation'];
  string(): string;
}

/** A watched entry: `pending` is how many messages the consumer still had to deliver after it. */
export interface WatchedEntry extends StoredEntry {
  pending: number;
}

/** Above this many keys a listing streams them through a consumer rather than one get each. */
const mostKeysReadOneByOne = 64;

/** How long one stream-info request may take before the listing fails. */
const requestTimeoutMs = 10_000;

/** The stream behind a KV bucket and the subject prefix of its keys, as nats.js KV names them. */
export function bucketStream(bucket: string): { stream: string; prefix: string } {
  return { stream: `KV_${bucket}`, prefix: `$KV.${bucket}.` };
}

interface StreamInfoReply {
  error?: { code?: number; description?: string };
  config?: { allow_direct?: boolean };
  state?: { subjects?: Record<string, number> };
  total?: number;
}

/** The keys under a filter that have a message in the stream, and whether the stream answers direct gets. */
export interface KeysWithMessages {
  keys: string[];
  allowDirect: boolean;
}

/**
 * Every key under `keyFilter` that has a message in the stream (its last one may be a delete marker),
 * paged as the server pages them.
 */
export async function keysWithMessages(
  nc: NatsConnection,
  bucket: string,
  keyFilter: string,
): Promise<KeysWithMessages> {
  const { stream, prefix } = bucketStream(bucket);
  const found: KeysWithMessages = { keys: [], allowDirect: false };
  for (let offset = 0; ;) {
    const reply = await nc
      .request(`$JS.API.STREAM.INFO.${stream}`, JSON.stringify({ subjects_filter: `${prefix}${keyFilter}`, offset }), {
        timeout: requestTimeoutMs,
      })
      .catch((error: unknown) => {
        throw wrapError(`read the keys of ${stream}`, error);
      });
    const info = reply.json<StreamInfoReply>();
    if (info.error) {
      throw wrapError(`read the keys of ${stream}`, new Error(info.error.description ?? `error ${info.error.code}`));
    }
    found.allowDirect = info.config?.allow_direct === true;
    const page = Object.keys(info.state?.subjects ?? {});
    for (const subject of page) found.keys.push(subject.slice(prefix.length));
    offset += page.length;
    // Unpaged replies carry no total; a paged one says how many subjects match in all.
    if (page.length === 0 || info.total === undefined || offset >= info.total) return found;
  }
}

/**
 * The last entry of each key under `keyFilter`, delete markers included, in no particular order. A
 * few keys are read one direct get each (nothing created on the server, even if the reader is killed
 * mid-read); many are streamed by one consumer, deleted once they are in, which is several times
 * faster than a thousand gets.
 */
export async function latestEntries(
  kv: KV,
  nc: NatsConnection,
  bucket: string,
  keyFilter: string,
): Promise<StoredEntry[]> {
  const { keys, allowDirect } = await keysWithMessages(nc, bucket, keyFilter);
  if (keys.length > mostKeysReadOneByOne) return streamedEntries(nc, bucket, keyFilter);
  // A bucket made without direct gets (by an older nats.js) is read through the KV's own get.
  const read = allowDirect ? (key: string) => directGet(nc, bucket, key) : (key: string) => kv.get(key);
  const entries = await Promise.all(keys.map(read));
  // Null: purged since the stream info named it.
  return entries.filter((entry): entry is StoredEntry => entry !== null);
}

/** The last entry of each key as one consumer streams them, until it has caught up; then it is deleted. */
async function streamedEntries(nc: NatsConnection, bucket: string, keyFilter: string): Promise<StoredEntry[]> {
  const latest = new Map<string, StoredEntry>();
  const caughtUp = new AbortController();
  let initial = 0;
  let received = 0;
  const onCreated = (pending: number): void => {
    initial = pending;
    if (pending === 0) caughtUp.abort();
  };
  for await (const entry of watchEntries(nc, bucket, keyFilter, { onCreated }, caughtUp.signal)) {
    received++;
    // A key written while the values stream in comes again, newer.
    if ((latest.get(entry.key)?.revision ?? 0) < entry.revision) latest.set(entry.key, entry);
    if (entry.pending === 0 || received >= initial) break;
  }
  return [...latest.values()];
}

/** The last message of one key, by a direct get naming its subject: no request body, no consumer. */
async function directGet(nc: NatsConnection, bucket: string, key: string): Promise<StoredEntry | null> {
  const { stream, prefix } = bucketStream(bucket);
  const reply = await nc.request(`$JS.API.DIRECT.GET.${stream}.${prefix}${key}`, undefined, {
    timeout: requestTimeoutMs,
  });
  const headers = reply.headers;
  if (headers?.code === 404) return null;
  const revision = Number(headers?.get('Nats-Sequence'));
  if ((headers?.code ?? 0) >= 300 || !Number.isInteger(revision) || revision <= 0) {
    throw wrapError(`read ${key}`, new Error(headers?.description || `no sequence in the reply for ${key}`));
  }
  return {
    key,
    revision,
    operation: (headers?.get('KV-Operation') || 'PUT') as KvEntry['operation'],
    string: () => reply.string(),
  };
}

export interface WatchEntriesOptions {
  /** Deliver from this revision on; otherwise the last value of each key first, then changes. */
  fromRevision?: number;
  /** Told how many messages the consumer holds for the initial values, once it exists. */
  onCreated?: (pending: number) => void;
}

/**
 * The entries under `keyFilter` as an ordered push consumer delivers them, until `signal` aborts or the
 * consumer stops. The consumer is deleted on the way out (best effort: with the bus gone there is no
 * one to ask, and the server drops it after its idle threshold).
 */
export async function* watchEntries(
  nc: NatsConnection,
  bucket: string,
  keyFilter: string,
  options: WatchEntriesOptions,
  signal?: AbortSignal,
): AsyncGenerator<WatchedEntry> {
  const { stream, prefix } = bucketStream(bucket);
  const start: Partial<OrderedPushConsumerOptions> =
    options.fromRevision !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: options.fromRevision }
      : { deliver_policy: DeliverPolicy.LastPerSubject };
  const consumer = await jetstream(nc).consumers.getPushConsumer(stream, {
    ...start,
    filter_subjects: `${prefix}${keyFilter}`,
  });
  try {
    options.onCreated?.((await consumer.info(true)).num_pending);
    const messages = await consumer.consume();
    const stop = (): void => void messages.stop();
    signal?.addEventListener('abort', stop, { once: true });
    // The signal may have aborted while the consumer was being set up, before anyone listened.
    if (signal?.aborted) stop();
    try {
      for await (const message of messages) yield toEntry(message, prefix);
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

function toEntry(message: JsMsg, prefix: string): WatchedEntry {
  // Only delete and purge markers are empty, and only they need their headers read: decoding every
  // message's headers (a value carries the CAS header it was written with) was a tenth of a listing.
  const operation =
    message.data.length > 0 ? 'PUT' : ((message.headers?.get('KV-Operation') || 'PUT') as KvEntry['operation']);
  return {
    key: message.subject.slice(prefix.length),
    revision: message.seq,
    operation,
    pending: message.info.pending,
    string: () => message.string(),
  };
}
