/** Container mirrors from `docker container inspect`. */
import type { ContainerInspectInfo } from 'dockerode';
import type { Condition } from '../../protocol/condition.schema.js';
import {
  containerKind,
  containerStates,
  type Container,
  type ContainerPort,
  type ContainerSpec,
  type ContainerState,
  type LastAction,
  type PortBinding,
} from '../../protocol/mirrors/container.schema.js';
import { mirrorApiVersion, mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';
import { compareText, engineTime, sortedRecord, sortedSet, type MirrorOptions } from './canonical.js';

/** What the engine does not know: the owner keeps spec, conditions and lastAction and passes them in. */
export interface ContainerMirrorOptions extends MirrorOptions {
  /** The stored spec; a new mirror observes only (`unknown`). */
  spec?: ContainerSpec;
  conditions?: readonly Condition[];
  /** Absent on a new mirror: only an action rdd ran sets it. */
  lastAction?: LastAction;
}

type DockerPorts = ContainerInspectInfo['NetworkSettings']['Ports'];
type DockerBinding = DockerPorts[string][number];

/**
 * The Container mirror of `inspect`. Ports are sorted by name and each port's bindings by hostIP, then
 * hostPort (Docker reports dual-stack bindings in either order); labels, networks and conditions are
 * sorted too, so only a change in the engine changes the JSON.
 */
export function containerMirror(inspect: ContainerInspectInfo, options: ContainerMirrorOptions): Container {
  return withOwnerFields(engineView(inspect, options), options);
}

/**
 * `view` with what the owner knows put in: spec, conditions and lastAction, in the builder's canonical
 * form and key order. The owner keeps the view of its last inspect (not the inspect, which is several
 * times larger) and applies its own changes to it between inspects.
 */
export function withOwnerFields(
  view: Container,
  { spec, conditions = [], lastAction }: Pick<ContainerMirrorOptions, 'spec' | 'conditions' | 'lastAction'>,
): Container {
  const { conditions: _conditions, lastAction: _lastAction, observedAt, ...engineStatus } = view.status;
  return {
    ...view,
    spec: { state: spec?.state ?? 'unknown' },
    status: {
      ...engineStatus,
      conditions: [...conditions].sort((a, b) => compareText(a.type, b.type)).map(canonicalCondition),
      ...(lastAction === undefined ? {} : { lastAction: canonicalLastAction(lastAction) }),
      observedAt,
    },
  };
}

/** What the engine alone says about the container: no spec, conditions or lastAction yet. */
function engineView(inspect: ContainerInspectInfo, { namespace, observedAt }: ContainerMirrorOptions): Container {
  const { State: state } = inspect;
  return {
    apiVersion: mirrorApiVersion,
    kind: containerKind,
    metadata: { name: inspect.Id, namespace, labels: sortedRecord(inspect.Config?.Labels) },
    spec: { state: 'unknown' },
    status: {
      name: inspect.Name.replace(/^\//, ''),
      namespace: mobyNamespace,
      path: inspect.Path,
      args: [...(inspect.Args ?? [])],
      image: inspect.Image,
      imageName: inspect.Config?.Image ?? '',
      ports: portsOf(inspect.NetworkSettings?.Ports),
      labels: sortedRecord(inspect.Config?.Labels),
      status: stateOf(state.Status),
      pid: state.Pid,
      exitCode: state.ExitCode,
      error: state.Error ?? '',
      oomKilled: state.OOMKilled,
      health: state.Health?.Status ?? null,
      restartCount: inspect.RestartCount,
      createdAt: engineTime(inspect.Created),
      startedAt: engineTime(state.StartedAt),
      finishedAt: engineTime(state.FinishedAt),
      networks: sortedSet(Object.keys(inspect.NetworkSettings?.Networks ?? {})),
      conditions: [],
      observedAt,
    },
  };
}

/** Docker's `State.Status`, or `unknown` for a state this version of rdd does not know. */
export function stateOf(status: string | null | undefined): ContainerState {
  return containerStates.find((known) => known === status) ?? 'unknown';
}

function portsOf(ports: DockerPorts | null | undefined): ContainerPort[] {
  return Object.entries(ports ?? {})
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, bindings]) => ({
      name,
      // Docker reports an exposed port that is not published as `null`.
      bindings: (bindings ?? []).map(bindingOf).sort(compareBindings),
    }));
}

function bindingOf(binding: DockerBinding): PortBinding {
  return { hostIP: binding.HostIp ?? '', hostPort: binding.HostPort ?? '' };
}

function compareBindings(a: PortBinding, b: PortBinding): number {
  return compareText(a.hostIP, b.hostIP) || comparePorts(a.hostPort, b.hostPort);
}

/** Numerically when both are port numbers (`8080` before `18080`), so the order reads naturally. */
function comparePorts(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (!numeric.test(a) || !numeric.test(b)) return compareText(a, b);
  return Number(a) - Number(b) || compareText(a, b);
}

// The owner's values are rebuilt with a fixed key order, so a condition read back from the store (whose
// keys may come in another order) gives the same JSON as the one the owner computed.
function canonicalCondition(condition: Condition): Condition {
  const { type, status, reason, message, observedGeneration, lastTransitionTime } = condition;
  return { type, status, reason, message, observedGeneration, lastTransitionTime };
}

function canonicalLastAction(lastAction: LastAction): LastAction {
  const { action, state, error, observedAt, completedAt } = lastAction;
  return {
    action,
    state,
    ...(error === undefined ? {} : { error }),
    observedAt,
    ...(completedAt === undefined ? {} : { completedAt }),
  };
}
