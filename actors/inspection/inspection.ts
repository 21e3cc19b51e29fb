/**
 * XState's inspect hook, published on the bus as compact data (protocol/inspection.schema.ts). Only
 * while a client holds a lease: otherwise each inspection event costs a clock read and returns. Payloads
 * are bounded and keys that look like credentials are masked; snapshots are reduced to their state value.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { AnyActorRef, InspectionEvent as XStateInspectionEvent, Subscription } from 'xstate';
import {
  inspectionDetailLimit,
  inspectionLeaseSchema,
  inspectionLeaseSubject,
  inspectSubject,
  type InspectionEvent,
  type InspectionType,
} from '../../protocol/inspection.schema.js';
import { firstIssue } from '../../client/store.js';
import { rejections } from '../bus/rejections.js';
import { refusedReplySubject } from '../bus/reply-subjects.js';
import { rejectedAsReplay } from '../bus/stream-replays.js';
import { currentTrace } from '../trace.js';

export type Inspect = (event: XStateInspectionEvent) => void;

/** The lease's ttlMs, or what is wrong with the request. */
function leaseTtlOf(text: string): number | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = inspectionLeaseSchema.safeParse(body);
  return parsed.success ? parsed.data.ttlMs : firstIssue(parsed.error);
}

/**
 * Registers a running actor for inspection; returns its detach. XState builds its inspection events
 * only while an observer is attached to the actor's system, so observers are attached only while a
 * lease is held: with nobody inspecting, an actor runs exactly as it would without inspection.
 */
export type AttachInspection = (actorId: string, actor: AnyActorRef) => () => void;

const secretKey = /pass(word)?|secret|token|cred|auth|key$/i;

export class Inspection {
  private leaseUntil = 0;
  private expiry: NodeJS.Timeout | undefined;
  private leaseRequests: { unsubscribe(): void } | undefined;
  private closed = false;
  /** What runs only while a lease is held (container-states.ts), and its stop while it runs. */
  private follower: { start: () => () => void; stop: (() => void) | null } | undefined;
  private readonly attached = new Map<AnyActorRef, { actorId: string; observer: Subscription | null }>();
  /** Each actor's last state value, to report transitions as from → to. */
  private readonly lastState = new Map<string, string>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly instance: string,
    private readonly now: () => number,
  ) {}

  /** Starts answering lease requests; one per connection (inspection.child.ts). */
  static start(nc: NatsConnection, instance: string, now: () => number = Date.now): Inspection {
    const inspection = new Inspection(nc, instance, now);
    inspection.leaseRequests = nc.subscribe(inspectionLeaseSubject(instance), {
      callback: (error, msg) => {
        // A refused subscription comes with an error and an empty message: nothing to answer.
        if (error) return;
        if (rejectedAsReplay(nc, msg, 'inspection.lease') || refusedReplySubject(msg)) return;
        // A lease request without a body gets the default; one with a body that is no lease gets nothing.
        const ttlMs = msg.data.length === 0 ? 10_000 : leaseTtlOf(msg.string());
        if (typeof ttlMs === 'string') {
          rejections.record('inspection.lease', `a lease request on ${msg.subject}`, ttlMs);
          if (msg.reply)
            msg.respond(
              JSON.stringify({ ok: false, error: { code: 'Invalid', message: `bad lease request: ${ttlMs}` } }),
            );
          return;
        }
        inspection.extendLease(ttlMs);
        if (msg.reply)
          msg.respond(JSON.stringify({ ok: true, result: { until: new Date(inspection.leaseUntil).toISOString() } }));
      },
    });
    return inspection;
  }

  get active(): boolean {
    return !this.closed && this.now() < this.leaseUntil;
  }

  /** Each root actor's current state (`rdd svc status`, `rdd inspect --tree`), kept whether or not anyone inspects. */
  readonly states = new Map<string, string>();

  /** See {@link AttachInspection}. The daemon's own actors (no `:` in their id) also report their state. */
  readonly attach: AttachInspection = (actorId, actor) => {
    const entry = { actorId, observer: this.active ? this.observe(actorId, actor) : null };
    this.attached.set(actor, entry);
    const tracking = actorId.includes(':')
      ? null
      : actor.subscribe({
          next: (snapshot: { value?: unknown }) => this.states.set(actorId, stateText(snapshot.value)),
          error: () => this.states.delete(actorId),
          complete: () => this.states.delete(actorId),
        });
    return () => {
      entry.observer?.unsubscribe();
      tracking?.unsubscribe();
      this.attached.delete(actor);
      for (const key of this.lastState.keys()) {
        if (key === actorId || key.startsWith(`${actorId}/`)) this.lastState.delete(key);
      }
      if (tracking) this.states.delete(actorId);
    };
  };

  /** Stops answering lease requests and publishing; what is attached stays attached, silent. */
  close(): void {
    this.leaseRequests?.unsubscribe();
    // The lease's end stays: a successor takes over what is left of it (takeLeaseOf).
    this.closed = true;
    clearTimeout(this.expiry);
    this.endLease();
  }

  /** Carries over what is left of `previous`'s lease. */
  takeLeaseOf(previous: Inspection | undefined): void {
    const left = (previous?.leaseUntil ?? 0) - this.now();
    if (left > 0) this.extendLease(left);
  }

  private extendLease(ttlMs: number): void {
    const wasActive = this.active;
    this.leaseUntil = Math.max(this.leaseUntil, this.now() + ttlMs);
    if (!wasActive) {
      for (const [actor, entry] of this.attached) entry.observer ??= this.observe(entry.actorId, actor);
      if (this.follower) this.follower.stop ??= this.follower.start();
    }
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.endLease(), this.leaseUntil - this.now() + 10);
    this.expiry.unref?.();
  }

  /** Starts publishing an actor's inspection; its current state is where its next transition starts from. */
  private observe(actorId: string, actor: AnyActorRef): Subscription {
    const { value } = actor.getSnapshot() as { value?: unknown };
    if (value !== undefined) this.lastState.set(actorId, stateText(value));
    return actor.system.inspect(this.inspectorFor(actorId));
  }

  private endLease(): void {
    if (this.active) return this.extendLease(0);
    for (const entry of this.attached.values()) {
      entry.observer?.unsubscribe();
      entry.observer = null;
    }
    this.follower?.stop?.();
    if (this.follower) this.follower.stop = null;
  }

  /** Runs `start` whenever a lease begins, and the stop it returns when the lease ends. */
  whileLeased(start: () => () => void): void {
    this.follower = { start, stop: this.active ? start() : null };
  }

  /** Publishes what an actor observed that no machine of it reports (container-states.ts), under the lease. */
  publishObserved(observed: Pick<InspectionEvent, 'actor' | 'type' | 'event' | 'from' | 'to'>): void {
    if (!this.active || this.nc.isClosed()) return;
    const trace = currentTrace();
    const message: InspectionEvent = {
      at: new Date(this.now()).toISOString(),
      ...observed,
      ...(trace ? { trace } : {}),
    };
    this.nc.publish(inspectSubject(this.instance, message.actor, message.type), JSON.stringify(message));
  }

  /** The inspect callback for the actor `actorId`. */
  inspectorFor(actorId: string): Inspect {
    return (event) => {
      if (!this.active || this.nc.isClosed()) return;
      try {
        for (const message of this.toMessages(actorId, event)) {
          this.nc.publish(inspectSubject(this.instance, message.actor, message.type), JSON.stringify(message));
        }
      } catch {
        // The bus went away mid-event: inspection must never throw into the actor it watches.
      }
    };
  }

  private toMessages(rootId: string, event: XStateInspectionEvent): InspectionEvent[] {
    // The root is named by rdd; an invoked child by the name of what it runs (`engine/connect`).
    const actor = isRoot(event) ? rootId : `${rootId}/${childName(event.actorRef)}`;
    const base = (type: InspectionType): InspectionEvent => {
      const trace = currentTrace();
      return { at: new Date(this.now()).toISOString(), actor, type, ...(trace ? { trace } : {}) };
    };
    switch (event.type) {
      case '@xstate.actor':
        return [base('created')];
      case '@xstate.event': {
        const source = event.sourceRef as { sessionId?: string } | undefined;
        const sender =
          source && source !== event.actorRef
            ? source.sessionId === event.rootId
              ? rootId
              : `${rootId}/${childName(event.sourceRef)}`
            : undefined;
        return [
          {
            ...base('event'),
            event: event.event.type,
            ...(sender ? { sender } : {}),
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

/** An invoked actor's logic name (`connect`, `streamEvents`), else its id with dots made safe for subjects. */
function childName(ref: unknown): string {
  const { src, id } = (ref ?? {}) as { src?: unknown; id?: string };
  return typeof src === 'string' ? src : (id ?? 'child').replace(/\./g, '_');
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
export function detailOf(event: { type: string; [key: string]: unknown }): { detail?: string } {
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
