/**
 * The JSON form of a machine that rdd exports for the visualizer: an XState v5 machine *config* (what
 * `createMachine` and the Stately tools read), reduced to the structure a diagram shows. Implementations
 * are names only: a guard or an action is a string, an invoked actor is its `src`; params, context,
 * input and delay values stay in the code.
 *
 * The shape is regular so readers need no normalising: every transition list is an array of objects,
 * `initial` is a child key, `type` is present only when it cannot be inferred (parallel, final, history).
 * Targets are written as XState resolves them: `key` (a sibling of the source), `.key` (a child of the
 * source), `#id` or `#id.key…` (by state id, then path).
 */
import { z } from 'zod';

export const stateTypes = ['atomic', 'compound', 'parallel', 'final', 'history'] as const;
/** `atomic` and `compound` are inferred from whether the state has children. */
export type StateType = (typeof stateTypes)[number];

/** One candidate transition; the first whose guard passes is taken. */
export interface TransitionDefinition {
  /** Where it goes; absent for a transition that stays (actions only). Several only into parallel regions. */
  target?: string | string[];
  /** The guard's name; `not(x)`, `and(x, y)`, `or(x, y)` for XState's combinators, `inline` for a function. */
  guard?: string;
  /** Action names in order; XState's built-ins by type (`xstate.assign`), plain functions as `inline`. */
  actions?: string[];
  /** A self or ancestor target that exits and re-enters (XState v5 `reenter: true`). */
  reenter?: boolean;
  description?: string;
}

/** An actor the state runs while it is active; its completion and failure are transitions. */
export interface InvokeDefinition {
  /** Present only when the machine names it; XState's default is `<index>.<state id>`. */
  id?: string;
  /** The actor logic's name in `setup({ actors })`, or `xstate.invoke.<id>` for inline logic. */
  src: string;
  systemId?: string;
  onDone?: TransitionDefinition[];
  onError?: TransitionDefinition[];
}

export interface StateDefinition {
  /** Present only when the machine sets one; the default is `<machine id>.<path>`. */
  id?: string;
  type?: StateType;
  /** For `type: 'history'`. */
  history?: 'shallow' | 'deep';
  /** The key of the initial child of a compound state. */
  initial?: string;
  description?: string;
  tags?: string[];
  entry?: string[];
  exit?: string[];
  on?: Record<string, TransitionDefinition[]>;
  /** Eventless transitions, taken as soon as their guard holds. */
  always?: TransitionDefinition[];
  /** Delayed transitions by delay: a name from `setup({ delays })` or milliseconds. */
  after?: Record<string, TransitionDefinition[]>;
  invoke?: InvokeDefinition[];
  /** Taken when a compound state reaches a final child (every region, for a parallel state). */
  onDone?: TransitionDefinition[];
  states?: Record<string, StateDefinition>;
}

/** The root state of a machine; its `id` prefixes every default state id. */
export interface MachineDefinition extends StateDefinition {
  id: string;
}

const nonEmpty = z.string().min(1);

export const transitionDefinitionSchema: z.ZodType<TransitionDefinition> = z.object({
  target: z.union([z.string(), z.array(z.string())]).optional(),
  guard: nonEmpty.optional(),
  actions: z.array(nonEmpty).optional(),
  reenter: z.boolean().optional(),
  description: z.string().optional(),
});

const transitionsSchema = z.array(transitionDefinitionSchema);

export const invokeDefinitionSchema: z.ZodType<InvokeDefinition> = z.object({
  id: nonEmpty.optional(),
  src: nonEmpty,
  systemId: nonEmpty.optional(),
  onDone: transitionsSchema.optional(),
  onError: transitionsSchema.optional(),
});

const stateFields = {
  id: nonEmpty.optional(),
  type: z.enum(stateTypes).optional(),
  history: z.enum(['shallow', 'deep']).optional(),
  initial: nonEmpty.optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  entry: z.array(nonEmpty).optional(),
  exit: z.array(nonEmpty).optional(),
  on: z.record(z.string(), transitionsSchema).optional(),
  always: transitionsSchema.optional(),
  after: z.record(z.string(), transitionsSchema).optional(),
  invoke: z.array(invokeDefinitionSchema).optional(),
  onDone: transitionsSchema.optional(),
  states: z.lazy(() => z.record(nonEmpty, stateDefinitionSchema)).optional(),
};

export const stateDefinitionSchema: z.ZodType<StateDefinition> = z.object(stateFields);

export const machineDefinitionSchema: z.ZodType<MachineDefinition> = z.object({ ...stateFields, id: nonEmpty });
