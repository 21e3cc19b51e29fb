import type { ConditionReport } from '../protocol/condition.schema.js';
import type { EngineReport, VmReport } from '../protocol/vm-engine.schema.js';
import { computeSettled, type SettledInput } from './app-settled.js';

const GEN = 5;

function vm(reason: string, overrides: Partial<VmReport> = {}): VmReport {
  return {
    observedGeneration: GEN,
    status: reason === 'Started' ? 'True' : 'False',
    reason,
    message: `vm says ${reason}`,
    applyingTemplate: false,
    restarts: 0,
    ...overrides,
  };
}

function engine(reason: string, overrides: Partial<EngineReport> = {}): EngineReport {
  return {
    observedGeneration: GEN,
    status: reason === 'Connected' || reason === 'NotApplicable' ? 'True' : 'False',
    reason,
    message: `engine says ${reason}`,
    ...overrides,
  };
}

function kubernetes(status: ConditionReport['status'], reason: string, observedGeneration = GEN): ConditionReport {
  return { type: 'KubernetesReady', status, reason, message: `k8s says ${reason}`, observedGeneration };
}

function input(overrides: Partial<SettledInput>): SettledInput {
  return {
    generation: GEN,
    running: true,
    kubernetesEnabled: false,
    vm: null,
    engine: null,
    kubernetes: null,
    ...overrides,
  };
}

const settled = ['True', 'Settled', 'App has reached the desired state'] as const;

describe('computeSettled', () => {
  it.each<[string, Partial<SettledInput>, readonly [ConditionReport['status'], string, string]]>([
    // Rule 1 wins over everything, even a missing engine and a stale report.
    [
      'rule 1: applying a template',
      { vm: vm('Stopping', { applyingTemplate: true, observedGeneration: 1 }) },
      ['False', 'ApplyingTemplate', 'restarting the VM to apply the changed template'],
    ],
    [
      'rule 2: no VM report',
      { vm: null, engine: engine('Connected') },
      ['False', 'WaitingForVM', 'the VM actor has not reported yet'],
    ],
    [
      'rule 3: a stale VM report, even if Started',
      { vm: vm('Started', { observedGeneration: GEN - 1 }), engine: engine('Connected') },
      ['False', 'VMStale', 'waiting for the VM actor to see generation 5'],
    ],
    [
      'rule 4: running, VM starting',
      { vm: vm('Starting') },
      ['False', 'Starting', 'the engine has not yet reached Started'],
    ],
    [
      'rule 4: running, VM stopped',
      { vm: vm('Stopped') },
      ['False', 'Stopped', 'the engine has not yet reached Started'],
    ],
    ['rule 4: running, VM start failed', { vm: vm('StartFailed') }, ['False', 'StartFailed', 'vm says StartFailed']],
    ['rule 4: running, VM stop failed', { vm: vm('StopFailed') }, ['False', 'StopFailed', 'vm says StopFailed']],
    [
      'rule 5: stopped, VM still started',
      { running: false, vm: vm('Started') },
      ['False', 'Started', 'the engine has not yet reached Stopped'],
    ],
    [
      'rule 5: stopped, VM stopping',
      { running: false, vm: vm('Stopping') },
      ['False', 'Stopping', 'the engine has not yet reached Stopped'],
    ],
    [
      'rule 5: stopped, VM stop failed',
      { running: false, vm: vm('StopFailed') },
      ['False', 'StopFailed', 'vm says StopFailed'],
    ],
    ['rule 6: stopped, engine Stopped', { running: false, vm: vm('Stopped'), engine: engine('Stopped') }, settled],
    [
      'rule 6: stopped, engine NotApplicable at a newer generation',
      { running: false, vm: vm('Stopped'), engine: engine('NotApplicable', { observedGeneration: GEN + 1 }) },
      settled,
    ],
    [
      'rule 6: stopped, no engine report',
      { running: false, vm: vm('Stopped') },
      ['False', 'EngineStale', 'waiting for the engine connection to see generation 5'],
    ],
    [
      'rule 6: stopped, stale engine report',
      { running: false, vm: vm('Stopped'), engine: engine('Stopped', { observedGeneration: GEN - 1 }) },
      ['False', 'EngineStale', 'waiting for the engine connection to see generation 5'],
    ],
    [
      'rule 6: stopped, engine still Connected',
      { running: false, vm: vm('Stopped'), engine: engine('Connected') },
      ['False', 'EngineStale', 'waiting for the engine connection to see generation 5'],
    ],
    [
      'rule 6 before rule 8: stopped with Kubernetes enabled and no Kubernetes report',
      { running: false, kubernetesEnabled: true, vm: vm('Stopped'), engine: engine('Stopped') },
      settled,
    ],
    [
      'rule 7: running, no engine report',
      { vm: vm('Started') },
      ['False', 'WaitingForEngine', 'the engine connection has not reported yet'],
    ],
    [
      'rule 7: running, stale engine report',
      { vm: vm('Started'), engine: engine('Connected', { observedGeneration: GEN - 1 }) },
      ['False', 'EngineStale', 'waiting for the engine connection to see generation 5'],
    ],
    [
      'rule 7: running, engine not ready',
      { vm: vm('Started'), engine: engine('Disconnected') },
      ['False', 'Disconnected', 'engine says Disconnected'],
    ],
    [
      'rule 7 before rule 8: engine not ready and Kubernetes missing',
      { kubernetesEnabled: true, vm: vm('Started'), engine: engine('ConnectFailed') },
      ['False', 'ConnectFailed', 'engine says ConnectFailed'],
    ],
    [
      'rule 8: Kubernetes report missing',
      { kubernetesEnabled: true, vm: vm('Started'), engine: engine('Connected') },
      ['False', 'WaitingForKubernetes', 'Kubernetes readiness has not been reported yet'],
    ],
    [
      'rule 8: Kubernetes report stale',
      {
        kubernetesEnabled: true,
        vm: vm('Started'),
        engine: engine('Connected'),
        kubernetes: kubernetes('True', 'Ready', GEN - 1),
      },
      ['False', 'KubernetesStale', 'waiting for Kubernetes readiness to see generation 5'],
    ],
    [
      'rule 8: Kubernetes not ready',
      {
        kubernetesEnabled: true,
        vm: vm('Started'),
        engine: engine('Connected'),
        kubernetes: kubernetes('False', 'WaitingForNode'),
      },
      ['False', 'WaitingForNode', 'k8s says WaitingForNode'],
    ],
    [
      'rule 9: Kubernetes ready',
      {
        kubernetesEnabled: true,
        vm: vm('Started'),
        engine: engine('Connected'),
        kubernetes: kubernetes('True', 'Ready'),
      },
      settled,
    ],
    [
      'rule 9: Kubernetes disabled ignores its report',
      { vm: vm('Started'), engine: engine('Connected'), kubernetes: kubernetes('False', 'NotApplicable') },
      settled,
    ],
    [
      'rule 9: running with the engine NotApplicable (containerd)',
      { vm: vm('Started'), engine: engine('NotApplicable') },
      settled,
    ],
  ])('should report the right Settled when %s', (_case, overrides, [status, reason, message]) => {
    // Arrange
    const given = input(overrides);

    // Act
    const result = computeSettled(given);

    // Assert
    expect(result).toEqual({ type: 'Settled', status, reason, message, observedGeneration: GEN });
  });
});
