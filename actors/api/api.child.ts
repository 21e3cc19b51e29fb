/**
 * The API: a NATS micro service (discoverable with `nats micro ls` and the daemon's credentials)
 * answering the endpoints declared in protocol/api.schema.ts. Every request is bounded (protocol/limits.ts) and validated before a handler
 * sees it; a malformed one gets an Invalid reply and changes nothing. Handlers never throw past this
 * file: a failure is a reply.
 */
import { Svcm, type Service } from '@nats-io/services';
import {
  describeIssues,
  endpointNames,
  endpointParts,
  endpoints,
  type EndpointName,
  type ReplyOf,
  type ParsedRequestOf,
} from '../../protocol/api.schema.js';
import { ApiError } from '../../protocol/errors.js';
import { maxRequestBytes } from '../../protocol/limits.js';
import { apiGroup } from '../../protocol/subjects.js';
import { rddVersion } from '../../host/version.js';
import { answerRequest, readJson, RefusedRequest, respondError, type RequestEndpoint } from '../bus/request-server.js';
import { rootChildren } from '../daemon/root-children.js';
import type { ChildSpec } from '../supervision/types.js';
import { childRegistry, type ChildRegistry } from './child-registry.js';

/** One function per endpoint; given the validated request, returns the reply's result. */
export type Handlers = { [E in EndpointName]: (request: ParsedRequestOf<E>) => Promise<ReplyOf<E>> };

export function apiChild(instance: string, makeHandlers: (children: ChildRegistry) => Handlers): ChildSpec<Service> {
  return {
    id: 'api',
    restart: 'permanent',
    shutdownMs: 2_000,
    start: async ({ lookup, logger }) => {
      const children = childRegistry(lookup);
      const { nc } = children.get(rootChildren.bus);
      const handlers = makeHandlers(children);
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
        const endpoint = apiEndpoint(name, handlers);
        group.addEndpoint(`${kind}-${verb}`, {
          subject: `${kind}.${verb}`,
          handler: (error, msg) => {
            if (error) {
              const failure = new ApiError('Internal', `failed to handle ${name}: ${error.message}`);
              logger.error(failure.message);
              return respondError(msg, failure);
            }
            void answerRequest(msg, endpoint, logger, nc);
          },
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
          respondError(msg, error);
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

function apiEndpoint<E extends EndpointName>(name: E, handlers: Handlers): RequestEndpoint<ParsedRequestOf<E>> {
  return {
    name,
    parse: (data) => parseRequest(name, data) as ParsedRequestOf<E>,
    handle: (request) => handlers[name](request),
  };
}

function parseRequest(name: EndpointName, data: Uint8Array): unknown {
  // Before parsing: a huge body would cost the parse (and then the validation) whatever it holds.
  if (data.length > maxRequestBytes) {
    throw new RefusedRequest(
      `${name}: the request is ${data.length} bytes; requests are at most ${maxRequestBytes} bytes (${maxRequestBytes / 1024} KiB)`,
      'too large',
      { bytes: data.length, maxBytes: maxRequestBytes },
    );
  }
  // Blank is an empty request: `nats req` sends one for an endpoint that takes no fields.
  const body = Buffer.from(data).toString('utf8').trim() === '' ? { json: true as const, value: {} } : readJson(data);
  if (!body.json) throw new RefusedRequest(`${name}: the request is not JSON: ${body.reason}`);
  const parsed = endpoints[name].request.safeParse(body.value);
  if (!parsed.success) throw new RefusedRequest(`${name}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
