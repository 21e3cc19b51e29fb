/**
 * XState's inspect hook, published on the bus as compact data (protocol/inspection.schema.ts). Only
 * while a client holds a lease: otherwise each inspection event costs a clock read and returns. Payloads
 * are bounded and keys that look like credentials are masked; snapshots are reduced to their state value.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { InspectionEvent as XStateInspectionEvent } from 'xstate';
import {
  inspectionDetailLimit,
  inspectionLeaseSchema,
  inspectionLeaseSubject,
  inspectSubject,
  type InspectionEvent,
  type InspectionType,
} from '../protocol/inspection.schema.js';
import { currentTrace } from './trace.js';

export type Inspect = (event: XStateInspectionEvent) => void;

const secretKey = /pass(word)?|secret|token|cred|auth|key$/i;

export class Inspection {
  private leaseUntil = 0;
  /** Each actor's last state value, to report transitions as from → to. */
  private readonly lastState = new Map<string, string>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly instance: string,
    private readonly now: () => number,
  ) {}

  /** Starts answering lease requests; one per connection. */
  static start(nc: NatsConnection, instance: string, now: () => number = Date.now): Inspection {
    const inspection = new Inspection(nc, instance, now);
    nc.subscribe(inspectionLeaseSubject(instance), {
      callback: (_error, msg) => {
        let ttlMs = 10_000;
        try {
          ttlMs = inspectionLeaseSchema.parse(msg.json()).ttlMs;
        } catch {
          // A lease request without a body gets the default.
        }
        inspection.leaseUntil = Math.max(inspection.leaseUntil, inspection.now() + ttlMs);
        if (msg.reply)
          msg.respond(JSON.stringify({ ok: true, result: { until: new Date(inspection.leaseUntil).toISOString() } }));
      },
    });
    return inspection;
  }

  get active(): boolean {
    return this.now() < this.leaseUntil;
  }

  /** Each root actor's current state (`rdd svc status`, `rdd inspect --tree`), kept whether or not anyone inspects. */
  readonly states = new Map<string, string>();

  /** The inspect callback for the actor `actorId` (pass it to createActor). */
  inspectorFor(actorId: string): Inspect {
    const tracked = !actorId.includes(':');
    return (event) => {
      if (tracked && event.type === '@xstate.snapshot' && isRoot(event)) this.track(actorId, event);
      if (!this.active) return;
      for (const message of this.toMessages(actorId, event)) {
        this.nc.publish(inspectSubject(this.instance, message.actor, message.type), JSON.stringify(message));
      }
    };
  }

  private track(actorId: string, event: XStateInspectionEvent & { type: '@xstate.snapshot' }): void {
    const snapshot = event.snapshot as { value?: unknown; status?: string };
    if (snapshot.status === 'stopped') this.states.delete(actorId);
    else if (snapshot.value !== undefined) this.states.set(actorId, stateText(snapshot.value));
  }

  private toMessages(rootId: string, event: XStateInspectionEvent): InspectionEvent[] {
    const actorRef = event.actorRef as { id?: string };
    // The root is named by rdd; an invoked child by its own id under the root's.
    const actor = isRoot(event) ? rootId : `${rootId}/${actorRef.id ?? 'child'}`;
    const base = (type: InspectionType): InspectionEvent => {
      const trace = currentTrace();
      return { at: new Date(this.now()).toISOString(), actor, type, ...(trace ? { trace } : {}) };
    };
    switch (event.type) {
      case '@xstate.actor':
        return [base('created')];
      case '@xstate.event': {
        const sender = (event.sourceRef as { id?: string } | undefined)?.id;
        return [
          {
            ...base('event'),
            event: event.event.type,
            ...(sender && sender !== actorRef.id ? { sender } : {}),
            ...detailOf(event.event),
          },
        ];
      }
      case '@xstate.snapshot': {
        const snapshot = event.snapshot as { value?: unknown; status?: string };
        if (snapshot.status === 'stopped' || snapshot.status === 'done') {
          this.lastState.delete(actor);
          return [{ ...base('stopped'), event: event.event.type }];
        }
        if (snapshot.value === undefined) return [];
        const to = stateText(snapshot.value);
        const from = this.lastState.get(actor);
        this.lastState.set(actor, to);
        if (from === to) return [];
        return [{ ...base('transition'), event: event.event.type, ...(from ? { from } : {}), to }];
      }
      case '@xstate.action':
        return [{ ...base('action'), action: event.action.type }];
      default:
        return [];
    }
  }
}

function isRoot(event: XStateInspectionEvent): boolean {
  return (event.actorRef as { sessionId?: string }).sessionId === event.rootId;
}

/** `connected.watching` for `{ connected: 'watching' }`; parallel regions joined with `,`. */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) =>
        inner && (typeof inner === 'string' || Object.keys(inner).length > 0) ? `${key}.${stateText(inner)}` : key,
      )
      .join(',');
  }
  return String(value);
}

/** The event's payload without its type, credentials masked, cut to the limit. */
export function detailOf(event: { type: string }): { detail?: string } {
  const { type: _type, ...payload } = event as Record<string, unknown>;
  if (Object.keys(payload).length === 0) return {};
  let text: string;
  try {
    text = JSON.stringify(payload, (key, value: unknown) => (key && secretKey.test(key) ? '***' : value));
  } catch {
    text = '[unserializable]';
  }
  return { detail: text.length > inspectionDetailLimit ? `${text.slice(0, inspectionDetailLimit - 1)}…` : text };
}

const byConnection = new WeakMap<NatsConnection, Inspection>();

/** The one Inspection of a connection (the lease subscription is made once). */
export function inspectionFor(nc: NatsConnection, instance: string): Inspection {
  let inspection = byConnection.get(nc);
  if (!inspection) {
    inspection = Inspection.start(nc, instance);
    byConnection.set(nc, inspection);
  }
  return inspection;
}
