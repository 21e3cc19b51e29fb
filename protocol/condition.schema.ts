/**
 * Conditions, as Kubernetes has them: each is stamped with the generation it was computed for, and its
 * lastTransitionTime changes only when its status does.
 */
import { z } from 'zod';

export const conditionStatuses = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof conditionStatuses)[number];

export const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(conditionStatuses),
  reason: z.string(),
  message: z.string(),
  observedGeneration: z.number().int().nonnegative(),
  lastTransitionTime: z.string(),
});
export type Condition = z.infer<typeof conditionSchema>;

/** A condition as an actor reports it, before the owner stamps the transition time. */
export type ConditionReport = Omit<Condition, 'lastTransitionTime'>;

/**
 * Puts `report` into `conditions` (sorted by type), keeping the old lastTransitionTime when the status
 * did not change. Returns the same array when nothing changed at all, so callers can skip the write.
 */
export function setCondition(conditions: readonly Condition[], report: ConditionReport, now: string): Condition[] {
  const existing = conditions.find((condition) => condition.type === report.type);
  if (
    existing &&
    existing.status === report.status &&
    existing.reason === report.reason &&
    existing.message === report.message &&
    existing.observedGeneration === report.observedGeneration
  ) {
    return conditions as Condition[];
  }
  const next: Condition = {
    ...report,
    lastTransitionTime: existing && existing.status === report.status ? existing.lastTransitionTime : now,
  };
  return [...conditions.filter((condition) => condition.type !== report.type), next].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
}

export { findCondition } from './resource-names.js';
