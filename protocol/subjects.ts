/**
 * NATS subjects, broad to narrow: `rdd.<instance>.<area>.<kind>.<verb>`. Nothing here starts with `$`,
 * so `nats sub 'rdd.<instance>.>'` shows the whole conversation of an instance.
 */

/** The prefix of everything one instance says on the bus. */
export function instanceSubject(instance: string): string {
  return `rdd.${instance}`;
}

/** Request/reply API subjects: `rdd.<instance>.api.<kind>.<verb>`. */
export function apiSubject(instance: string, kind: string, verb: string): string {
  return `${instanceSubject(instance)}.api.${kind}.${verb}`;
}

/** The NATS micro service group every API endpoint lives under. */
export function apiGroup(instance: string): string {
  return `${instanceSubject(instance)}.api`;
}

/** Supervision telemetry: `rdd.<instance>.supervision.<supervisor>.<child>.<event>`. */
export function supervisionSubject(instance: string, supervisor: string, child: string, event: string): string {
  return `${instanceSubject(instance)}.supervision.${supervisor}.${child}.${event}`;
}

/** Every supervision message of an instance, for subscribers. */
export function supervisionWildcard(instance: string): string {
  return `${instanceSubject(instance)}.supervision.>`;
}

/** Actor-to-actor messages: `rdd.<instance>.<actor>.<verb>`, e.g. `rdd.dev.vm.desired`. */
export function actorSubject(instance: string, actor: 'vm' | 'engine' | 'app', verb: string): string {
  return `${instanceSubject(instance)}.${actor}.${verb}`;
}

/** A request to the actor that owns one mirror: `rdd.<instance>.mirrors.<Kind>.<name>.<verb>`. */
export function mirrorSubject(instance: string, kind: string, name: string, verb: string): string {
  return `${instanceSubject(instance)}.mirrors.${kind}.${name}.${verb}`;
}

/** Every mirror request of an instance: the mirrors supervisor listens here and routes by kind and name. */
export function mirrorWildcard(instance: string): string {
  return `${instanceSubject(instance)}.mirrors.*.*.*`;
}

/** What a sync found different from the mirrors and corrected: `rdd.<instance>.engine.drift`. */
export function engineDriftSubject(instance: string): string {
  return `${instanceSubject(instance)}.engine.drift`;
}

/**
 * Where a fault-injection test asks the daemon to crash one child (`{supervisor, child}`); the daemon
 * listens only when started with RDD_FAULT_INJECTION=1.
 */
export function faultInjectionSubject(instance: string): string {
  return `${instanceSubject(instance)}.debug.crash`;
}

/**
 * Where a benchmark asks the daemon for its memory after a full garbage collection (`{}`); listened on
 * only beside {@link faultInjectionSubject}, under RDD_FAULT_INJECTION=1.
 */
export function memoryProbeSubject(instance: string): string {
  return `${instanceSubject(instance)}.debug.memory`;
}

/** The JetStream stream that keeps an instance's supervision telemetry, so a late subscriber can replay it. */
export function supervisionStream(instance: string): string {
  return `rdd_${instance}_supervision`;
}

/** The KV bucket holding an instance's resources (bucket names allow `[A-Za-z0-9_-]`). */
export function resourceBucket(instance: string): string {
  return `rdd_${instance}_resources`;
}

/** The KV key of a resource: `<Kind>.<name>`. */
export function resourceKey(kind: string, name: string): string {
  return `${kind}.${name}`;
}

/** The client role's reply prefix (actors/bus/bus-permissions.ts): only clients read below it. */
export const clientInboxPrefix = '_INBOX_rdd_client';

/** Where the daemon sends one log stream's chunks: inside the client role's inbox. */
export function logChunkSubject(id: string): string {
  return `${clientInboxPrefix}.logs.${id}`;
}

/** Where a log reader grants credit or cancels one stream (protocol/mirrors/logs.schema.ts). */
export function logCreditSubject(instance: string, id: string): string {
  return `${instanceSubject(instance)}.logs.${id}.credit`;
}

/** Every log stream's credit subject: what the client role may publish on, and the daemon listens to. */
export function logCreditWildcard(instance: string): string {
  return `${instanceSubject(instance)}.logs.*.credit`;
}
