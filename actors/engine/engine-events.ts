/**
 * The engine's event stream and clock. The stream is newline-delimited JSON that may split anywhere,
 * even inside a UTF-8 character, so it is decoded with a StringDecoder and split on newlines. The
 * engine is not rdd's: a line that is not an event rdd can route is counted and logged
 * (rejections.ts) and dropped; the stream itself goes on. An exception while routing a valid event is
 * rdd's own failure, not the engine's: it is counted apart in the engine actor's {@link RoutingFailures}
 * (shown by `svc status`) and logged with the event, and the stream goes on too.
 */
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import type { Logger } from 'winston';
import { z } from 'zod';
import { describeError } from '../../protocol/errors.js';
import { firstIssue } from '../../client/store.js';
import { rejections } from '../bus/rejections.js';
import { silentLogger } from '../logging.js';

/** The fields of a Docker event rdd reads (the current ones, not the legacy `status`/`id`/`from`). */
export const engineEventSchema = z.object({
  Type: z.string(),
  Action: z.string(),
  Actor: z.object({ ID: z.string().optional(), Attributes: z.record(z.string(), z.string()).optional() }).optional(),
  time: z.number().optional(),
  timeNano: z.number().optional(),
});
export type EngineEvent = z.infer<typeof engineEventSchema>;

const eventSource = 'engine.events';

/** The event on one line of the stream, or null (counted and logged) when it is none. */
export function parseEngineEvent(line: string): EngineEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    rejections.record(eventSource, 'a line of the engine event stream', `not JSON: ${line.slice(0, 80)}`);
    return null;
  }
  const parsed = engineEventSchema.safeParse(value);
  // Checked, not stripped: the whole event goes on, as the engine sent it.
  if (parsed.success) return value as EngineEvent;
  rejections.record(eventSource, 'an engine event', firstIssue(parsed.error));
  return null;
}

/** Warnings per minute at most: a router that throws on every event must not flood the log. */
const failureLogsPerMinute = 5;

/** Counts the exceptions thrown while routing engine events, and logs them (rate-limited) at warn. */
export class RoutingFailures {
  private total = 0;
  private windowStartedAt = 0;
  private loggedInWindow = 0;
  private logger: Logger = silentLogger();

  constructor(private readonly now: () => number = Date.now) {}

  get count(): number {
    return this.total;
  }

  /** The logger of the engine actor that routes events now. */
  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  record(event: EngineEvent, error: unknown): void {
    this.total += 1;
    const now = this.now();
    if (now - this.windowStartedAt >= 60_000) {
      this.windowStartedAt = now;
      this.loggedInWindow = 0;
    }
    if (this.loggedInWindow >= failureLogsPerMinute) return;
    this.loggedInWindow += 1;
    this.logger.warn(
      `failed to route the engine event ${event.Type} ${event.Action} of ${event.Actor?.ID ?? '(no actor)'}: ${describeError(error)} (${this.total} routing failures so far)`,
    );
  }
}

/** The engine's own clock in seconds (guest and host clocks may differ: events are filtered by it). */
export async function readEngineClock(docker: Docker): Promise<number> {
  const info = (await docker.info()) as { SystemTime?: string };
  // RFC 3339 with nanoseconds; Date.parse wants at most milliseconds.
  const millis = Date.parse((info.SystemTime ?? '').replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(millis))
    throw new Error(`the engine reported an unreadable clock: ${JSON.stringify(info.SystemTime)}`);
  return millis / 1_000;
}

export interface EventHandlers {
  /** Routes one event; what it throws is counted and logged, and the stream goes on. */
  onEvent: (event: EngineEvent) => void;
  /** Called once when the stream errors or ends; both mean the connection died. */
  onEnd: (message: string) => void;
}

/** Hands one event to its router; a throw is the router's failure, counted, while the stream goes on. */
export function routeEvent(event: EngineEvent, handlers: Pick<EventHandlers, 'onEvent'>, failures: RoutingFailures) {
  try {
    handlers.onEvent(event);
  } catch (error) {
    failures.record(event, error);
  }
}

/** Subscribes from `since` (engine seconds); returns a synchronous cancel that never waits. */
export function subscribeEngineEvents(
  docker: Docker,
  since: number,
  handlers: EventHandlers,
  failures: RoutingFailures,
): () => void {
  let cancelled = false;
  let ended = false;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  const end = (message: string): void => {
    if (ended || cancelled) return;
    ended = true;
    handlers.onEnd(message);
  };
  docker.getEvents({ since: Math.floor(since) }).then(
    (events) => {
      stream = events;
      if (cancelled) return stream?.destroy?.();
      const decoder = new StringDecoder('utf8');
      let buffer = '';
      events.on('data', (chunk: Buffer) => {
        buffer += decoder.write(chunk);
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          const event = line ? parseEngineEvent(line) : null;
          if (event) routeEvent(event, handlers, failures);
          newline = buffer.indexOf('\n');
        }
      });
      events.on('end', () => end('the engine closed the event stream'));
      events.on('close', () => end('the engine event stream closed'));
      events.on('error', (error: Error) => end(`the engine event stream failed: ${error.message}`));
    },
    (error: unknown) =>
      end(`failed to subscribe to engine events: ${error instanceof Error ? error.message : String(error)}`),
  );
  return () => {
    cancelled = true;
    stream?.destroy?.();
  };
}
