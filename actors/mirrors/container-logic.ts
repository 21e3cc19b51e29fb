/**
 * The container machine with rdd's implementations, provided once for every container: providing per
 * actor copied the machine each time (about 25 KB per container). Each call finds its owner through the
 * machine's actor system (one system per container machine).
 */
import { createActor, fromPromise, type Actor } from 'xstate';
import type {
  ContainerMachineInput,
  ContainerStateReport,
  LastAction,
  Release,
  RunEngineActionInput,
} from '../../machines/container-context.js';
import { containerMachine } from '../../machines/container.machine.js';

/** What a running container machine calls on its owner. */
export interface ContainerMachineOwner {
  runEngineAction(input: RunEngineActionInput): Promise<void>;
  reportState(report: ContainerStateReport): void;
  reportLastAction(lastAction: LastAction): void;
  releaseDesired(release: Release): void;
}

const owners = new WeakMap<object, ContainerMachineOwner>();
const ownerOf = (system: object): ContainerMachineOwner => {
  const owner = owners.get(system);
  if (!owner) throw new Error('a container machine runs without its actor');
  return owner;
};

export const containerLogic = containerMachine.provide({
  actors: {
    runEngineAction: fromPromise(({ input, system }: { input: RunEngineActionInput; system: object }) =>
      ownerOf(system).runEngineAction(input),
    ),
  },
  actions: {
    reportState: ({ system }, report) => ownerOf(system).reportState(report),
    reportLastAction: ({ system }, lastAction) => ownerOf(system).reportLastAction(lastAction),
    releaseDesired: ({ system }, release) => ownerOf(system).releaseDesired(release),
  },
});

export type ContainerMachineActor = Actor<typeof containerLogic>;

/** A machine for `input`, created and owned but not started (the caller may attach inspection first). */
export function createContainerMachine(
  input: ContainerMachineInput,
  owner: ContainerMachineOwner,
): ContainerMachineActor {
  const machine = createActor(containerLogic, { input });
  // Before start: the first evaluation already reports to its owner.
  owners.set(machine.system, owner);
  return machine;
}
