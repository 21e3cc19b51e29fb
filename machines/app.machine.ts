/**
 * The App actor's brain: turns each App generation into desired messages for the VM and engine actors,
 * and folds their reports into the App's conditions. It is a reducer with effects — the interesting
 * states live in the VM and engine-connection machines; this one only decides what to send and report.
 *
 * Stamping `lastTransitionTime` is not its job: the App writer does that with `setCondition`, which
 * needs a clock and the stored conditions.
 */
import { assertEvent, assign, not, setup } from 'xstate';
import type { AppSpec } from '../protocol/app.schema.js';
import type { ConditionReport } from '../protocol/condition.schema.js';
import type { EngineDesired, EngineReport, VmDesired, VmReport } from '../protocol/vm-engine.schema.js';
import { computeSettled } from './app-settled.js';
import { engineHostName } from './vm-context.js';

export interface AppMachineContext {
  /** The generation of the latest SPEC; every desired message and App-owned condition carries it. */
  generation: number;
  spec: AppSpec | null;
  /** The VM actor's latest report, whatever generation it observed. */
  vm: VmReport | null;
  /** The engine-connection actor's latest report. */
  engine: EngineReport | null;
  /** A report with reason Started has been seen: the VM exists (the `Created` condition). */
  vmEverStarted: boolean;
  /** What was last sent to the engine actor, so a VM report resends only on a real change. */
  lastEngineDesired: EngineDesired | null;
}

export type AppMachineEvent =
  /** A new or re-read App; re-sent for the same generation as a nudge (e.g. when an actor says hello). */
  | { type: 'SPEC'; generation: number; spec: AppSpec }
  | { type: 'VM_REPORT'; report: VmReport }
  | { type: 'ENGINE_REPORT'; report: EngineReport };

/** The params of the `publishConditions` action: the App's full condition list, sorted by type. */
export interface PublishConditionsParams {
  conditions: ConditionReport[];
}

/** What the VM actor should do for `spec` at `generation`. */
export function vmDesiredFor(generation: number, spec: AppSpec): VmDesired {
  return {
    generation,
    running: spec.running,
    driver: spec.vm.driver,
    engine: spec.containerEngine.name,
    socket: spec.vm.socket,
    kubernetes: { enabled: spec.kubernetes.enabled, version: spec.kubernetes.version },
    ...(spec.vm.cpus === undefined ? {} : { cpus: spec.vm.cpus }),
    ...(spec.vm.memoryGiB === undefined ? {} : { memoryGiB: spec.vm.memoryGiB }),
  };
}

/**
 * What the engine-connection actor should do. It is wanted only when the App runs moby and the latest VM
 * report says Started, whatever generation that report observed: a running engine is worth mirroring
 * even while the VM actor catches up with a newer generation (and the VM report says when it stops).
 * The socket is the one the VM reported; it only matters while wanted.
 */
export function engineDesiredFor(generation: number, spec: AppSpec, vm: VmReport | null): EngineDesired {
  const vmStarted = vm !== null && vm.status === 'True' && vm.reason === 'Started';
  return {
    generation,
    wanted: spec.running && spec.containerEngine.name === 'moby' && vmStarted,
    engine: spec.containerEngine.name,
    socket: vm?.socket ?? '',
    mirrorImages: spec.containerEngine.mirrorImages,
    retainMirrors: spec.running && spec.containerEngine.name === 'moby',
  };
}

/** The App's conditions for the current context, sorted by type (the order the App stores them in). */
export function appConditionsFor(context: AppMachineContext, spec: AppSpec): ConditionReport[] {
  const { generation, vm, engine } = context;
  const created: ConditionReport = context.vmEverStarted
    ? {
        type: 'Created',
        status: 'True',
        reason: 'Created',
        message: `${engineHostName(spec.vm.driver)} has been created`,
        observedGeneration: generation,
      }
    : {
        type: 'Created',
        status: 'Unknown',
        reason: 'Pending',
        message: `${engineHostName(spec.vm.driver)} has not started yet`,
        observedGeneration: generation,
      };
  // Running and ContainerEngineReady keep the generation their actor observed: that is what tells a
  // reader (and Settled) whether the actor has caught up.
  const running: ConditionReport = vm
    ? {
        type: 'Running',
        status: vm.status,
        reason: vm.reason,
        message: vm.message,
        observedGeneration: vm.observedGeneration,
      }
    : {
        type: 'Running',
        status: 'Unknown',
        reason: 'Pending',
        message: 'the VM actor has not reported yet',
        observedGeneration: generation,
      };
  const engineReady: ConditionReport = engine
    ? { type: 'ContainerEngineReady', ...engine }
    : {
        type: 'ContainerEngineReady',
        status: 'Unknown',
        reason: 'Pending',
        message: 'the engine connection has not reported yet',
        observedGeneration: generation,
      };
  // No VM driver reports Kubernetes readiness yet, so an enabled Kubernetes keeps the App unsettled.
  const kubernetes: ConditionReport = spec.kubernetes.enabled
    ? {
        type: 'KubernetesReady',
        status: 'False',
        reason: 'WaitingForNode',
        message: 'Kubernetes readiness is not reported by this VM driver yet',
        observedGeneration: generation,
      }
    : {
        type: 'KubernetesReady',
        status: 'False',
        reason: 'NotApplicable',
        message: 'Kubernetes is disabled',
        observedGeneration: generation,
      };
  const settled = computeSettled({
    generation,
    running: spec.running,
    kubernetesEnabled: spec.kubernetes.enabled,
    vm,
    engine,
    kubernetes,
  });
  return [created, running, engineReady, kubernetes, settled].sort((a, b) => a.type.localeCompare(b.type));
}

/** The spec is set on the way out of `waitingForSpec`, so `active` can rely on it. */
function specOf(context: AppMachineContext): AppSpec {
  if (!context.spec) throw new Error('the App machine has no spec in a state that needs one');
  return context.spec;
}

function currentEngineDesired({ context }: { context: AppMachineContext }): EngineDesired {
  return engineDesiredFor(context.generation, specOf(context), context.vm);
}

function currentConditions({ context }: { context: AppMachineContext }): PublishConditionsParams {
  return { conditions: appConditionsFor(context, specOf(context)) };
}

function sameEngineDesired(a: EngineDesired | null, b: EngineDesired): boolean {
  return a !== null && a.wanted === b.wanted && a.socket === b.socket && a.retainMirrors === b.retainMirrors;
}

/**
 * The App machine. Actions to provide: `sendVmDesired` (params `VmDesired`), `sendEngineDesired`
 * (params `EngineDesired`), `publishConditions` (params `PublishConditionsParams`).
 *
 * | state          | SPEC                                                  | VM_REPORT                                               | ENGINE_REPORT      |
 * |----------------|-------------------------------------------------------|---------------------------------------------------------|--------------------|
 * | waitingForSpec | → active: send VM + engine desired, publish           | store only (no spec to judge it against)                | store only         |
 * | active         | send VM + engine desired (even if unchanged), publish | store; resend engine desired if wanted/socket changed; publish | store; publish |
 *
 * Every SPEC is taken as the truth, even an identical one: a nudge must reach the actors so that each
 * answers with a report at the generation (the Go original hung when nobody answered a steady-state
 * change).
 */
export const appMachine = setup({
  types: {
    context: {} as AppMachineContext,
    events: {} as AppMachineEvent,
  },
  actions: {
    // Placeholders: actors/ provides the real ones with machine.provide(). Throwing makes a missing
    // wiring crash loudly instead of silently dropping messages.
    sendVmDesired: (_, _desired: VmDesired) => {
      throw new Error('sendVmDesired not provided');
    },
    sendEngineDesired: (_, _desired: EngineDesired) => {
      throw new Error('sendEngineDesired not provided');
    },
    publishConditions: (_, _params: PublishConditionsParams) => {
      throw new Error('publishConditions not provided');
    },
    storeSpec: assign(({ event }) => {
      assertEvent(event, 'SPEC');
      return { generation: event.generation, spec: event.spec };
    }),
    storeVmReport: assign(({ context, event }) => {
      assertEvent(event, 'VM_REPORT');
      return { vm: event.report, vmEverStarted: context.vmEverStarted || event.report.reason === 'Started' };
    }),
    storeEngineReport: assign(({ event }) => {
      assertEvent(event, 'ENGINE_REPORT');
      return { engine: event.report };
    }),
    rememberEngineDesired: assign(({ context }) => ({ lastEngineDesired: currentEngineDesired({ context }) })),
  },
  guards: {
    engineDesiredChanged: ({ context, event }) => {
      assertEvent(event, 'VM_REPORT');
      const next = engineDesiredFor(context.generation, specOf(context), event.report);
      return !sameEngineDesired(context.lastEngineDesired, next);
    },
  },
}).createMachine({
  id: 'app',
  context: { generation: 0, spec: null, vm: null, engine: null, vmEverStarted: false, lastEngineDesired: null },
  initial: 'waitingForSpec',
  on: {
    // Handled at the root so the first SPEC and every later one (a nudge included) do the same thing.
    SPEC: {
      target: '.active',
      actions: [
        'storeSpec',
        { type: 'sendVmDesired', params: ({ context }) => vmDesiredFor(context.generation, specOf(context)) },
        'rememberEngineDesired',
        { type: 'sendEngineDesired', params: currentEngineDesired },
        { type: 'publishConditions', params: currentConditions },
      ],
    },
  },
  states: {
    waitingForSpec: {
      on: {
        // Reports can only precede the first SPEC after an App actor restart; keep them so the first
        // publish already knows what the actors said.
        VM_REPORT: { actions: 'storeVmReport' },
        ENGINE_REPORT: { actions: 'storeEngineReport' },
      },
    },
    active: {
      on: {
        VM_REPORT: [
          {
            guard: 'engineDesiredChanged',
            actions: [
              'storeVmReport',
              'rememberEngineDesired',
              { type: 'sendEngineDesired', params: currentEngineDesired },
              { type: 'publishConditions', params: currentConditions },
            ],
          },
          {
            // The engine actor already has this; it answered (or will answer) the generation on SPEC.
            guard: not('engineDesiredChanged'),
            actions: ['storeVmReport', { type: 'publishConditions', params: currentConditions }],
          },
        ],
        ENGINE_REPORT: { actions: ['storeEngineReport', { type: 'publishConditions', params: currentConditions }] },
      },
    },
  },
});
