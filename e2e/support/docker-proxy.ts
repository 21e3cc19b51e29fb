/**
 * A fault-injecting Docker API proxy on a unix socket, for e2e tests that need an engine to misbehave on
 * cue: answer chosen requests with an error, or drop every open connection (an events stream that dies).
 * It records the method and path of every request it sees.
 *
 * Each client connection carries exactly one request. The proxy reads only the request head, decides
 * whether to inject a fault, and otherwise forwards the head — rewritten to `Connection: close` — and
 * then pipes raw bytes both ways until either side closes. Why `Connection: close` rather than parsing
 * keep-alive traffic: to find where the second request on a connection starts, the proxy would have to
 * frame request bodies (Content-Length, chunked) and know when each response ends, which means parsing
 * responses too (chunked, streaming, hijacked). With one request per connection it never has to: the
 * engine answers with `Connection: close` and closes, and clients (node's http agent, Go's net/http)
 * then open a new connection for their next request. A cheap price on a unix socket. Requests that
 * upgrade (`Upgrade:` header: attach, exec) keep their `Connection: Upgrade` and become raw pipes, as
 * they would on the engine itself.
 */
import fs from 'node:fs';
import { STATUS_CODES } from 'node:http';
import net from 'node:net';

/** A request seen by the proxy. */
export interface ProxiedRequest {
  readonly method: string;
  /** The request target as sent, with API version prefix and query: `/v1.47/containers/json?all=1`. */
  readonly path: string;
  /** The path without its API version prefix and query: `/containers/json`. */
  readonly route: string;
  /** True when a fault rule answered it (or dropped it) instead of the engine. */
  readonly faulted: boolean;
}

/** What a test asks for: matching requests are answered by the proxy instead of the engine. */
export interface FaultRule {
  /** HTTP method, any case; every method when omitted. */
  readonly method?: string;
  /**
   * Tested against the route (no version prefix, no query) and against the path as sent, so
   * `/^\/containers\/[^/]+\/json$/` matches `/v1.47/containers/abc/json` and `/containers/abc/json`.
   */
  readonly path: RegExp;
  /** How many requests to fault; every matching one when omitted. */
  readonly times?: number;
  /** Status of the injected answer; 503 when omitted. */
  readonly status?: number;
  /** JSON body of the injected answer; `{ "message": "injected" }` (the engine's error shape) when omitted. */
  readonly body?: unknown;
  /** Close the connection without answering, as an engine that dies mid-request would. */
  readonly destroy?: boolean;
}

/** A registered rule: how often it fired, and a way to retire it early. */
export interface FaultHandle {
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

export interface Faults {
  add(rule: FaultRule): FaultHandle;
  /** Retires every rule. */
  clear(): void;
  /** Destroys every open connection (both sides) now; returns how many sockets that was. */
  dropConnections(): number;
  /** Connections currently open through the proxy. */
  readonly openConnections: number;
}

export interface DockerProxy {
  /** Where clients connect (unix socket path). */
  readonly socket: string;
  readonly faults: Faults;
  /** Every request seen, oldest first (live; `requests.splice(0)` clears it). */
  readonly requests: ProxiedRequest[];
  /** Stops listening, drops every connection and removes the socket file. */
  close(): Promise<void>;
}

export interface DockerProxyOptions {
  /** The engine's unix socket. */
  readonly upstream: string;
  /** The unix socket to listen on (a stale file there is removed). */
  readonly socket: string;
}

/** Request heads larger than this are refused (the engine's own limit is about 1 MiB; ours need far less). */
const maxHeadBytes = 64 * 1024;
const headEnd = Buffer.from('\r\n\r\n');
const versionPrefix = /^\/v\d+(?:\.\d+)?(?=\/)/;

interface Rule {
  readonly spec: FaultRule;
  readonly path: RegExp;
  hits: number;
  removed: boolean;
}

interface RequestHead {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  /** The head to send upstream, terminated by an empty line. */
  readonly forward: Buffer;
}

export async function startDockerProxy(options: DockerProxyOptions): Promise<DockerProxy> {
  const rules: Rule[] = [];
  const requests: ProxiedRequest[] = [];
  const open = new Set<net.Socket>();

  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  const matchRule = (head: RequestHead): Rule | undefined => {
    const rule = rules.find(
      (candidate) =>
        !candidate.removed &&
        candidate.hits < (candidate.spec.times ?? Infinity) &&
        (candidate.spec.method === undefined || candidate.spec.method.toUpperCase() === head.method) &&
        (candidate.path.test(head.route) || candidate.path.test(head.path)),
    );
    if (rule) rule.hits++;
    return rule;
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    client.on('error', () => client.destroy());
    readHead(client, (head, rest) => {
      if (head === null) {
        answer(client, 431, { message: 'request head too large or malformed' });
        return;
      }
      const rule = matchRule(head);
      requests.push({ method: head.method, path: head.path, route: head.route, faulted: rule !== undefined });
      if (rule?.spec.destroy) {
        client.destroy();
      } else if (rule) {
        answer(client, rule.spec.status ?? 503, rule.spec.body ?? { message: 'injected' });
      } else {
        forward(client, head, rest, options.upstream, track);
      }
    });
  });

  fs.rmSync(options.socket, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const dropConnections = (): number => {
    const count = open.size;
    for (const socket of open) socket.destroy();
    return count;
  };

  const faults: Faults = {
    add(spec) {
      // A global or sticky regex keeps state between test() calls; matching must not.
      const rule: Rule = {
        spec,
        path: new RegExp(spec.path.source, spec.path.flags.replace(/[gy]/g, '')),
        hits: 0,
        removed: false,
      };
      rules.push(rule);
      return {
        get hits() {
          return rule.hits;
        },
        get remaining() {
          return rule.removed ? 0 : Math.max(0, (spec.times ?? Infinity) - rule.hits);
        },
        remove() {
          rule.removed = true;
        },
      };
    },
    clear() {
      for (const rule of rules.splice(0)) rule.removed = true;
    },
    dropConnections,
    get openConnections() {
      return open.size;
    },
  };

  return {
    socket: options.socket,
    faults,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      dropConnections();
      await closed;
      fs.rmSync(options.socket, { force: true });
    },
  };
}

/**
 * Collects bytes until the end of the request head, then hands over the parsed head and whatever
 * followed it (the start of a body) and stops reading, so the caller can pipe the rest. `null` for a
 * head that is too large or not HTTP.
 */
function readHead(client: net.Socket, done: (head: RequestHead | null, rest: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf(headEnd);
    if (end === -1 && buffered.length <= maxHeadBytes) return;
    client.off('data', onData);
    client.off('end', onEnd);
    client.pause();
    if (end === -1) {
      done(null, Buffer.alloc(0));
      return;
    }
    done(parseHead(buffered.subarray(0, end).toString('latin1')), buffered.subarray(end + headEnd.length));
  };
  // A client that goes away before finishing its head sent no request.
  const onEnd = (): void => void client.destroy();
  client.on('data', onData);
  client.once('end', onEnd);
}

function parseHead(text: string): RequestHead | null {
  const [requestLine = '', ...headerLines] = text.split('\r\n');
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match) return null;
  const [, method = '', path = ''] = match;
  const name = (line: string): string => line.slice(0, line.indexOf(':')).trim().toLowerCase();
  const upgrades = headerLines.some((line) => name(line) === 'upgrade');
  const headers = upgrades
    ? headerLines
    : [...headerLines.filter((line) => !['connection', 'keep-alive'].includes(name(line))), 'Connection: close'];
  const route = path.replace(/[?#].*$/, '').replace(versionPrefix, '');
  return { method, path, route, forward: Buffer.from(`${[requestLine, ...headers].join('\r\n')}\r\n\r\n`, 'latin1') };
}

/** Answers with a JSON body and closes, reading (and discarding) whatever the client still sends. */
function answer(client: net.Socket, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  client.end(
    Buffer.concat([
      Buffer.from(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Injected'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
        'latin1',
      ),
      payload,
    ]),
  );
  client.resume();
}

/**
 * Sends the head upstream and pipes both ways. Half-closes pass through (a hijacked attach closes its
 * write side to signal end of stdin); when either side is gone for good, so is the other. An engine
 * that cannot be reached closes the client's connection unanswered, the nearest a proxy gets to the
 * refused connection the client would have seen.
 */
function forward(
  client: net.Socket,
  head: RequestHead,
  rest: Buffer,
  upstreamPath: string,
  track: (socket: net.Socket) => void,
): void {
  const upstream = net.createConnection({ path: upstreamPath, allowHalfOpen: true });
  track(upstream);
  upstream.on('error', () => {
    upstream.destroy();
    client.destroy();
  });
  client.on('error', () => upstream.destroy());
  // After an orderly end the pipe has already ended the client: let its last bytes flush first.
  upstream.once('close', () => {
    if (!client.writableEnded || client.writableFinished) client.destroy();
    else client.once('finish', () => client.destroy());
  });
  client.once('close', () => upstream.destroy());
  upstream.write(head.forward);
  if (rest.length > 0) upstream.write(rest);
  client.pipe(upstream);
  upstream.pipe(client);
}
