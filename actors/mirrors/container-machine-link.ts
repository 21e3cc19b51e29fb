/**
 * A running container machine and what it reports, for one container actor: created only when the
 * machine starts (most containers are only observed and never run one), so an idle actor holds no
 * machine, no callbacks and no set of engine calls. Its methods live on the prototype: the machine's
 * actions reach it through `container-logic.ts`, with nothing allocated per container.
 */
import type { ContainerDesiredState, ContainerState, LastAction } from '../../protocol/mirrors/container.schema.js';
import type {
  ContainerStateReport,
  ConvergedCondition,
  Release,
  RunEngineActionInput,
} from '../../machines/container-context.js';
import { createContainerMachine, type ContainerMachineActor, type ContainerMachineOwner } from './container-logic.js';
import { describeFailure, type MirrorActor, type MirrorActorContext } from './mirror-actor.js';

/** What the link tells its actor; both are written by the actor in turn with its other tasks. */
export interface ContainerMachineReports extends MirrorActor {
  /** The machine's state or desired state changed: the mirror needs a write. */
  machineChanged(): void;
  /** The machine finished a one-shot action. */
  machineFinished(lastAction: LastAction): void;
}

export class ContainerMachineLink implements ContainerMachineOwner {
  readonly machine: ContainerMachineActor;
  /** The Converged condition the machine last reported. */
  converged: ConvergedCondition | null = null;
  /** The machine's engine calls in flight: they run outside the mailbox, and report into it when done. */
  readonly engineCalls = new Set<Promise<void>>();
  private readonly detachInspection: (() => void) | undefined;

  constructor(
    private readonly actor: ContainerMachineReports,
    private readonly context: MirrorActorContext,
    input: { desired: ContainerDesiredState; generation: number; actual: ContainerState },
  ) {
    const machine = createContainerMachine({ id: actor.key, ...input }, this);
    this.machine = machine;
    this.detachInspection = context.attachInspection?.(`container:${actor.key.slice(0, 12)}`, machine);
    machine.subscribe({ error: (error) => context.crash(actor, describeFailure('container machine', error)) });
    machine.start();
  }

  /** The desired state and its generation: the machine owns them once it runs. */
  intent(): { desired: ContainerDesiredState; generation: number } {
    const { desired, generation } = this.machine.getSnapshot().context;
    return { desired, generation };
  }

  runEngineAction({ id, action, stopTimeSeconds }: RunEngineActionInput): Promise<void> {
    const call = this.context.engine().containerAction(id, action, stopTimeSeconds);
    this.engineCalls.add(call);
    const done = (): void => void this.engineCalls.delete(call);
    call.then(done, done);
    return call;
  }

  reportState(report: ContainerStateReport): void {
    this.converged = report.condition;
    this.actor.machineChanged();
  }

  reportLastAction(lastAction: Parameters<ContainerMachineOwner['reportLastAction']>[0]): void {
    this.actor.machineFinished(lastAction);
  }

  releaseDesired(release: Release): void {
    // The machine has already given the desired state back: the write shows its new generation.
    this.context.logger.info(`container ${this.actor.key.slice(0, 12)}: ${release.message}`);
    this.actor.machineChanged();
  }

  stop(): void {
    this.detachInspection?.();
    this.machine.stop();
  }
}
