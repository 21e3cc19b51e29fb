/** Which inspection messages a watcher wants: an actor glob, a set of types, a trace id. */
import type { InspectionEvent, InspectionType } from '../../protocol/inspection.schema.js';

/**
 * A plain glob as an anchored regular expression: `*` is any run of characters (`/` included, so
 * `engine*` also matches the engine's invoked children), `?` one character, everything else literal.
 */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function matchesGlob(glob: string | undefined, text: string): boolean {
  return glob === undefined || glob === '' || globToRegExp(glob).test(text);
}

export interface TypeFlags {
  events?: boolean;
  states?: boolean;
  actions?: boolean;
}

/**
 * The message types the flags ask for. No flag means `--states`. `--states` covers an actor's whole
 * state history: its transitions, and its creation and stop (an invoked child has no other state).
 */
export function selectedTypes(flags: TypeFlags): Set<InspectionType> {
  const states = flags.states || (!flags.events && !flags.actions);
  const types = new Set<InspectionType>();
  if (states) for (const type of ['created', 'transition', 'stopped'] as const) types.add(type);
  if (flags.events) types.add('event');
  if (flags.actions) types.add('action');
  return types;
}

export interface InspectionFilter {
  actor?: string;
  types: ReadonlySet<InspectionType>;
  trace?: string;
  /** Keep XState's own `xstate.*` events and the actions they run (`--all`); by default only ours. */
  internal?: boolean;
}

/** XState's bookkeeping (`xstate.init`, `xstate.done.actor.…`, the `xstate.assign` action): noise to a person. */
export function isInternal(message: InspectionEvent): boolean {
  if (message.type === 'event') return (message.event ?? '').startsWith('xstate.');
  return message.type === 'action' && (message.action ?? '').startsWith('xstate.');
}

export function inspectionFilter(filter: InspectionFilter): (message: InspectionEvent) => boolean {
  const pattern = filter.actor ? globToRegExp(filter.actor) : undefined;
  return (message) =>
    filter.types.has(message.type) &&
    (filter.internal === true || !isInternal(message)) &&
    (pattern === undefined || pattern.test(message.actor)) &&
    (filter.trace === undefined || message.trace === filter.trace);
}
