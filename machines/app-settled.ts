/**
 * The App's `Settled` condition: one answer to "has everything caught up with this generation?", so a
 * client waits for a single condition instead of re-deriving the rules from the others.
 */
import type { ConditionReport } from '../protocol/condition.schema.js';
import type { EngineReport, VmReport } from '../protocol/vm-engine.schema.js';

/** What Settled is computed from: the App's spec and generation, and the latest report of each actor. */
export interface SettledInput {
  /** The App generation Settled is computed for; every result is stamped with it. */
  generation: number;
  /** `spec.running`. */
  running: boolean;
  /** `spec.kubernetes.enabled`. */
  kubernetesEnabled: boolean;
  /** The VM actor's latest report (its `Running` condition), whatever generation it observed. */
  vm: VmReport | null;
  /** The engine-connection actor's latest report (`ContainerEngineReady`). */
  engine: EngineReport | null;
  /** The `KubernetesReady` condition, when something reports it. */
  kubernetes: ConditionReport | null;
}

export const settledType = 'Settled';
export const settledMessage = 'App has reached the desired state';

/**
 * Computes `Settled` by ordered rules; the first that matches wins (see rdd-behaviour.md §1). The order
 * matters: a template restart explains every other symptom, a missing or stale VM report makes the
 * engine's answer meaningless, and the engine only matters once the VM is where the spec wants it.
 *
 * @example
 * computeSettled({ generation: 3, running: false, kubernetesEnabled: false, vm: null, engine: null, kubernetes: null })
 * // → { type: 'Settled', status: 'False', reason: 'WaitingForVM', message: 'the VM actor has not reported yet', observedGeneration: 3 }
 */
export function computeSettled(input: SettledInput): ConditionReport {
  const { generation, running, vm, engine } = input;
  const notSettled = (reason: string, message: string): ConditionReport => ({
    type: settledType,
    status: 'False',
    reason,
    message,
    observedGeneration: generation,
  });
  const settled: ConditionReport = {
    type: settledType,
    status: 'True',
    reason: 'Settled',
    message: settledMessage,
    observedGeneration: generation,
  };

  // 1–3: the VM actor must have seen this generation before anything else can be judged.
  if (vm?.applyingTemplate) return notSettled('ApplyingTemplate', 'restarting the VM to apply the changed template');
  if (!vm) return notSettled('WaitingForVM', 'the VM actor has not reported yet');
  if (vm.observedGeneration < generation) {
    return notSettled('VMStale', `waiting for the VM actor to see generation ${generation}`);
  }

  // 4–5: the VM must be where the spec wants it; a failure's own message is the useful one.
  const vmMessage = (goal: string): string =>
    vm.reason.endsWith('Failed') ? vm.message : `the engine has not yet reached ${goal}`;
  if (running && vm.status !== 'True') return notSettled(vm.reason, vmMessage('Started'));
  if (!running && vm.reason !== 'Stopped') return notSettled(vm.reason, vmMessage('Stopped'));

  // 6: a stopped App still needs the engine connection to have let go (or never to have applied).
  if (!running) {
    const engineAtRest =
      engine !== null &&
      engine.observedGeneration >= generation &&
      (engine.reason === 'Stopped' || engine.reason === 'NotApplicable');
    return engineAtRest
      ? settled
      : notSettled('EngineStale', `waiting for the engine connection to see generation ${generation}`);
  }

  // 7: running: the engine connection must have answered this generation and be ready.
  if (!engine) return notSettled('WaitingForEngine', 'the engine connection has not reported yet');
  if (engine.observedGeneration < generation) {
    return notSettled('EngineStale', `waiting for the engine connection to see generation ${generation}`);
  }
  if (engine.status !== 'True') return notSettled(engine.reason, engine.message);

  // 8: Kubernetes likewise, only when the spec asks for it.
  if (input.kubernetesEnabled) {
    const kubernetes = input.kubernetes;
    if (!kubernetes) return notSettled('WaitingForKubernetes', 'Kubernetes readiness has not been reported yet');
    if (kubernetes.observedGeneration < generation) {
      return notSettled('KubernetesStale', `waiting for Kubernetes readiness to see generation ${generation}`);
    }
    if (kubernetes.status !== 'True') return notSettled(kubernetes.reason, kubernetes.message);
  }

  // 9.
  return settled;
}
