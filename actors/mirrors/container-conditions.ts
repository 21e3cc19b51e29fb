/**
 * A container mirror's conditions: the reference's Running/Paused/Restarting/Dead, the container
 * machine's Converged (or, with no machine, the Observing one it would report), and DeleteFailed while
 * the engine refuses a delete. Transition times are kept from the stored conditions.
 */
import { setCondition, type Condition, type ConditionReport } from '../../protocol/condition.schema.js';
import type { ContainerState } from '../../protocol/mirrors/container.schema.js';
import { containerConditions, type ConvergedCondition } from '../../machines/container-context.js';
import { deleteFailedCondition, type DeletionState } from './deletion.js';

/** The reference's status conditions, one per state a script may wait on. */
const stateConditions = [
  ['Running', 'running'],
  ['Paused', 'paused'],
  ['Restarting', 'restarting'],
  ['Dead', 'dead'],
] as const;

export interface ContainerConditionsInput {
  id: string;
  status: ContainerState;
  generation: number;
  /** Whether a machine runs for the container; without one it is only observed. */
  machineRuns: boolean;
  converged: ConvergedCondition | null;
  deletion: DeletionState | null;
  stored: readonly Condition[];
  now: string;
}

export function containerConditionsFor(input: ContainerConditionsInput): Condition[] {
  const { id, status, generation, converged, now } = input;
  const reports: ConditionReport[] = stateConditions.map(([type, state]) => ({
    type,
    status: status === state ? 'True' : 'False',
    reason: status === state ? type : `Not${type}`,
    message: `the container is ${status}`,
    observedGeneration: generation,
  }));
  const current = input.machineRuns
    ? converged
    : containerConditions.observing(id, status, converged?.reason === 'Observing' ? converged.message : null);
  if (current) reports.push({ ...current, observedGeneration: generation });
  const deleteFailed = deleteFailedCondition(input.deletion, generation);
  if (deleteFailed) reports.push(deleteFailed);
  const kept = input.stored.filter((condition) => reports.some((report) => report.type === condition.type));
  return reports.reduce((conditions, report) => setCondition(conditions, report, now), kept);
}
