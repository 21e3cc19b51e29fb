import { createActor } from 'xstate';
import type { AppSpec } from '../protocol/app.schema.js';
import type { ConditionReport } from '../protocol/condition.schema.js';
import type { EngineDesired, EngineReport, VmDesired, VmReport } from '../protocol/vm-engine.schema.js';
import { appMachine, engineDesiredFor, vmDesiredFor } from './app.machine.js';

const SOCKET = '/run/rdd/docker.sock';

function spec(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    running: true,
    containerEngine: { name: 'moby', mirrorImages: true },
    kubernetes: { enabled: false, version: '' },
    vm: { driver: 'dockerd', socket: '/var/run/docker.sock' },
    ...overrides,
  };
}

function vmReport(reason: string, observedGeneration: number, overrides: Partial<VmReport> = {}): VmReport {
  return {
    observedGeneration,
    status: reason === 'Started' ? 'True' : 'False',
    reason,
    message: `vm ${reason}`,
    applyingTemplate: false,
    restarts: 0,
    ...(reason === 'Started' ? { socket: SOCKET } : {}),
    ...overrides,
  };
}

function engineReport(reason: string, observedGeneration: number): EngineReport {
  const status = reason === 'Connected' || reason === 'NotApplicable' ? 'True' : 'False';
  return { observedGeneration, status, reason, message: `engine ${reason}` };
}

function startApp() {
  const vmDesired: VmDesired[] = [];
  const engineDesired: EngineDesired[] = [];
  const published: ConditionReport[][] = [];
  const actor = createActor(
    appMachine.provide({
      actions: {
        sendVmDesired: (_, desired) => void vmDesired.push(desired),
        sendEngineDesired: (_, desired) => void engineDesired.push(desired),
        publishConditions: (_, { conditions }) => void published.push(conditions),
      },
    }),
  ).start();
  const condition = (type: string): ConditionReport | undefined => published.at(-1)?.find((c) => c.type === type);
  return { actor, vmDesired, engineDesired, published, condition };
}

/** Drives the App through a full start at generation 1 with the actors answering. */
function startedApp(appSpec: AppSpec = spec()) {
  const app = startApp();
  app.actor.send({ type: 'SPEC', generation: 1, spec: appSpec });
  app.actor.send({ type: 'ENGINE_REPORT', report: engineReport('Stopped', 1) });
  app.actor.send({ type: 'VM_REPORT', report: vmReport('Starting', 1) });
  app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 1) });
  app.actor.send({ type: 'ENGINE_REPORT', report: engineReport('Connected', 1) });
  return app;
}

describe('appMachine', () => {
  it('should send the VM desired state and an unwanted engine when the first SPEC arrives', () => {
    // Arrange
    const app = startApp();

    // Act
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });

    // Assert
    expect(app.vmDesired).toEqual([vmDesiredFor(1, spec())]);
    expect(app.vmDesired[0]).toEqual({
      generation: 1,
      running: true,
      driver: 'dockerd',
      engine: 'moby',
      socket: '/var/run/docker.sock',
      kubernetes: { enabled: false, version: '' },
    });
    expect(app.engineDesired).toEqual([
      // Still wanted by the spec: the mirrors are kept while the VM starts.
      { generation: 1, wanted: false, engine: 'moby', socket: '', mirrorImages: true, retainMirrors: true },
    ]);
    expect(app.condition('Settled')).toMatchObject({ status: 'False', reason: 'WaitingForVM', observedGeneration: 1 });
  });

  it('should not resend the engine desired state when a VM report changes neither wanted nor the socket', () => {
    // Arrange
    const app = startApp();
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });

    // Act
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Starting', 1) });

    // Assert
    expect(app.engineDesired).toHaveLength(1);
    expect(app.condition('Running')).toEqual({
      type: 'Running',
      status: 'False',
      reason: 'Starting',
      message: 'vm Starting',
      observedGeneration: 1,
    });
  });

  it('should want the engine at the reported socket when the VM reports Started', () => {
    // Arrange
    const app = startApp();
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Starting', 1) });

    // Act
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 1) });

    // Assert
    expect(app.engineDesired.at(-1)).toEqual({
      generation: 1,
      wanted: true,
      engine: 'moby',
      socket: SOCKET,
      mirrorImages: true,
      retainMirrors: true,
    });
  });

  it('should unwant the engine when the VM stops reporting Started', () => {
    // Arrange
    const app = startedApp();

    // Act
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Starting', 1, { message: 'the engine died' }) });

    // Assert
    expect(app.engineDesired.at(-1)).toMatchObject({ wanted: false, socket: '' });
  });

  it('should resend the engine desired state when the VM reports a new socket', () => {
    // Arrange
    const app = startedApp();
    const sent = app.engineDesired.length;

    // Act
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 1, { socket: '/other.sock' }) });

    // Assert
    expect(app.engineDesired).toHaveLength(sent + 1);
    expect(app.engineDesired.at(-1)).toMatchObject({ wanted: true, socket: '/other.sock' });
  });

  it('should settle with every condition at the new generation when a steady-state SPEC is answered (C1)', () => {
    // Arrange
    const app = startedApp();
    expect(app.condition('Settled')).toMatchObject({ status: 'True', observedGeneration: 1 });

    // Act
    app.actor.send({ type: 'SPEC', generation: 2, spec: spec() });
    const desiredAtSpec = { vm: app.vmDesired.at(-1), engine: app.engineDesired.at(-1) };
    const settledBeforeAnswers = app.condition('Settled');
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 2) });
    app.actor.send({ type: 'ENGINE_REPORT', report: engineReport('Connected', 2) });

    // Assert
    expect(desiredAtSpec.vm).toEqual(vmDesiredFor(2, spec()));
    expect(desiredAtSpec.engine).toEqual({
      generation: 2,
      wanted: true,
      engine: 'moby',
      socket: SOCKET,
      mirrorImages: true,
      retainMirrors: true,
    });
    expect(settledBeforeAnswers).toMatchObject({ status: 'False', reason: 'VMStale', observedGeneration: 2 });
    expect(app.published.at(-1)!.map((c) => [c.type, c.observedGeneration])).toEqual([
      ['ContainerEngineReady', 2],
      ['Created', 2],
      ['KubernetesReady', 2],
      ['Running', 2],
      ['Settled', 2],
    ]);
    expect(app.condition('Settled')).toMatchObject({ status: 'True', reason: 'Settled' });
  });

  it('should resend both desired messages when the same generation is nudged', () => {
    // Arrange
    const app = startedApp();
    const sent = { vm: app.vmDesired.length, engine: app.engineDesired.length };

    // Act
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });

    // Assert
    expect(app.vmDesired).toHaveLength(sent.vm + 1);
    expect(app.engineDesired).toHaveLength(sent.engine + 1);
    expect(app.engineDesired.at(-1)).toEqual(app.engineDesired.at(-2));
  });

  it('should settle through NotApplicable when the engine is containerd', () => {
    // Arrange
    const app = startApp();
    const containerd = spec({
      containerEngine: { name: 'containerd', mirrorImages: true },
      vm: { driver: 'lima', socket: '' },
    });

    // Act
    app.actor.send({ type: 'SPEC', generation: 1, spec: containerd });
    app.actor.send({ type: 'ENGINE_REPORT', report: engineReport('NotApplicable', 1) });
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 1) });

    // Assert
    expect(app.engineDesired.every((desired) => !desired.wanted && desired.engine === 'containerd')).toBe(true);
    expect(app.condition('ContainerEngineReady')).toMatchObject({ status: 'True', reason: 'NotApplicable' });
    expect(app.condition('Settled')).toMatchObject({ status: 'True', reason: 'Settled', observedGeneration: 1 });
  });

  it.each<[string, string[], Pick<ConditionReport, 'status' | 'reason'>]>([
    ['no VM report yet', [], { status: 'Unknown', reason: 'Pending' }],
    ['the VM is only starting', ['Starting'], { status: 'Unknown', reason: 'Pending' }],
    ['the VM failed to start', ['Starting', 'StartFailed'], { status: 'Unknown', reason: 'Pending' }],
    ['the VM has started', ['Starting', 'Started'], { status: 'True', reason: 'Created' }],
    ['the VM started and stopped again', ['Started', 'Stopping', 'Stopped'], { status: 'True', reason: 'Created' }],
  ])('should report Created correctly when %s', (_case, reasons, expected) => {
    // Arrange
    const app = startApp();
    app.actor.send({ type: 'SPEC', generation: 3, spec: spec() });

    // Act
    reasons.forEach((reason) => app.actor.send({ type: 'VM_REPORT', report: vmReport(reason, 3) }));

    // Assert
    expect(app.condition('Created')).toMatchObject({ ...expected, observedGeneration: 3 });
  });

  it.each<[string, boolean, Omit<ConditionReport, 'type' | 'observedGeneration'>, string]>([
    ['disabled', false, { status: 'False', reason: 'NotApplicable', message: 'Kubernetes is disabled' }, 'Settled'],
    [
      'enabled',
      true,
      {
        status: 'False',
        reason: 'WaitingForNode',
        message: 'Kubernetes readiness is not reported by this VM driver yet',
      },
      'WaitingForNode',
    ],
  ])('should report KubernetesReady and Settled when Kubernetes is %s', (_case, enabled, expected, settledReason) => {
    // Arrange
    const appSpec = spec({ kubernetes: { enabled, version: enabled ? '1.34.6' : '' } });

    // Act
    const app = startedApp(appSpec);

    // Assert
    expect(app.condition('KubernetesReady')).toEqual({ type: 'KubernetesReady', ...expected, observedGeneration: 1 });
    expect(app.condition('Settled')).toMatchObject({ reason: settledReason });
  });

  it('should publish reports that arrived before the first SPEC when that SPEC arrives', () => {
    // Arrange
    const app = startApp();
    app.actor.send({ type: 'VM_REPORT', report: vmReport('Started', 1) });
    app.actor.send({ type: 'ENGINE_REPORT', report: engineReport('Connected', 1) });
    expect(app.published).toHaveLength(0);

    // Act
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });

    // Assert
    expect(app.engineDesired).toEqual([engineDesiredFor(1, spec(), vmReport('Started', 1))]);
    expect(app.condition('Settled')).toMatchObject({ status: 'True', observedGeneration: 1 });
  });

  it('should report the engine as Pending when the engine connection has not reported', () => {
    // Arrange
    const app = startApp();

    // Act
    app.actor.send({ type: 'SPEC', generation: 1, spec: spec() });

    // Assert
    expect(app.condition('ContainerEngineReady')).toEqual({
      type: 'ContainerEngineReady',
      status: 'Unknown',
      reason: 'Pending',
      message: 'the engine connection has not reported yet',
      observedGeneration: 1,
    });
  });

  it('should leave lastTransitionTime to the writer when it publishes conditions', () => {
    // Arrange / Act
    const app = startedApp();

    // Assert
    expect(app.published.flat().some((condition) => 'lastTransitionTime' in condition)).toBe(false);
  });
});
