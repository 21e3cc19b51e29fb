/**
 * The API: a NATS micro service (discoverable with `nats micro ls`) answering the endpoints declared in
 * protocol/api.schema.ts. Every request is bounded (protocol/limits.ts) and validated before a handler
 * sees it; a malformed one gets an Invalid reply and changes nothing. Handlers never throw past this
 * file: a failure is a reply.
 */
import { Svcm, type Service, type ServiceMsg } from '@nats-io/services';
import type { Logger } from 'winston';
import {
  describeIssues,
  endpointNames,
  endpointParts,
  endpoints,
  type EndpointName,
  type ReplyEnvelope,
  type ReplyOf,
  type ParsedRequestOf,
} from '../../protocol/api.schema.js';
import { ApiError, describeError } from '../../protocol/errors.js';
import { maxRequestBytes } from '../../protocol/limits.js';
import { apiGroup } from '../../protocol/subjects.js';
import { rddVersion } from '../../host/version.js';
import type { Bus } from '../bus/bus.child.js';
import type { ChildSpec } from '../supervision/types.js';
import { traceOf, withTrace } from '../trace.js';

/** One function per endpoint; given the validated request, returns the reply's result. */
export type Handlers = { [E in EndpointName]: (request: ParsedRequestOf<E>) => Promise<ReplyOf<E>> };

export function apiChild(
  instance: string,
  makeHandlers: (lookup: <V>(id: string) => V) => Handlers,
): ChildSpec<Service> {
  return {
    id: 'api',
    restart: 'permanent',
    shutdownMs: 2_000,
    start: async ({ lookup, logger }) => {
      const { nc } = lookup<Bus>('bus');
      const handlers = makeHandlers(lookup);
      logger.info('Starting api…');
      // @nats-io/services types its connection against its own nats-core build; the runtime API is the same.
      const service = await new Svcm(nc as unknown as ConstructorParameters<typeof Svcm>[0]).add({
        name: `rdd-${instance}`,
        version: rddVersion(),
        description: `rdd daemon API of instance ${instance}`,
      });
      const group = service.addGroup(apiGroup(instance));
      for (const name of endpointNames) {
        const [kind, verb] = endpointParts(name);
        group.addEndpoint(`${kind}-${verb}`, {
          subject: `${kind}.${verb}`,
          handler: (error, msg) => void withTrace(traceOf(msg), () => answer(name, handlers, error, msg, logger)),
          metadata: { endpoint: name },
        });
      }
      // A request to a subject no endpoint serves would otherwise meet "no responders", which a client
      // cannot tell from a daemon that is down; answer it with Invalid naming the valid endpoints.
      const known = new Set(endpointNames.map((name) => `${apiGroup(instance)}.${name}`));
      // Its own queue group: NATS delivers a message once per queue group across all matching
      // subscriptions, so sharing the endpoints' group would let this catch-all swallow real requests.
      group.addEndpoint('unknown', {
        subject: '>',
        queue: 'rdd-unknown-endpoint',
        handler: (_error, msg) => {
          if (known.has(msg.subject)) return;
          const asked = msg.subject.slice(apiGroup(instance).length + 1);
          const error = new ApiError(
            'Invalid',
            `unknown endpoint ${JSON.stringify(asked)}; valid endpoints: ${endpointNames.join(', ')}`,
          );
          msg.respond(JSON.stringify({ ok: false, error: error.toBody() } satisfies ReplyEnvelope));
        },
      });
      logger.info('Started api');
      return {
        value: service,
        exited: service.stopped.then((error) => ({
          kind: 'crash' as const,
          error: error instanceof Error ? error : new Error('the api service stopped'),
        })),
        stop: async () => {
          await service.stop();
        },
        kill: () => void service.stop(),
      };
    },
  };
}

async function answer(
  name: EndpointName,
  handlers: Handlers,
  subscriptionError: Error | null,
  msg: ServiceMsg,
  logger: Logger,
): Promise<void> {
  let envelope: ReplyEnvelope;
  try {
    if (subscriptionError) throw subscriptionError;
    const request = parseRequest(name, msg.data);
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    envelope = { ok: true, result: await handler(request) };
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError('Internal', `failed to handle ${name}: ${describeError(error)}`);
    if (apiError.code === 'Internal') logger.error(apiError.message);
    else logger.debug(`${name} answered ${apiError.code}: ${apiError.message}`);
    envelope = { ok: false, error: apiError.toBody() };
  }
  msg.respond(JSON.stringify(envelope));
}

function parseRequest(name: EndpointName, data: Uint8Array): unknown {
  // Before parsing: a huge body would cost the parse (and then the validation) whatever it holds.
  if (data.length > maxRequestBytes) {
    throw new ApiError(
      'Invalid',
      `${name}: the request is ${data.length} bytes; requests are at most ${maxRequestBytes} bytes (${maxRequestBytes / 1024} KiB)`,
      { bytes: data.length, maxBytes: maxRequestBytes },
    );
  }
  const text = Buffer.from(data).toString('utf8');
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new ApiError('Invalid', `${name}: the request is not JSON: ${describeError(error)}`);
  }
  const parsed = endpoints[name].request.safeParse(body);
  if (!parsed.success) throw new ApiError('Invalid', `${name}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
