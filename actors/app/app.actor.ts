/**
 * The App actor: the single writer of the App resource. It admits `rdd set` changes, stores them, and
 * delivers every generation to the VM and engine actors over the bus; it folds their answers into the
 * App's conditions (with `machines/app.machine.ts` deciding what to send and what to report).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { admit, applyChanges, defaultAppSpec, defaultSocket, type AppSpecDraft } from '../../protocol/app.admission.js';
import type { App, VmDriverName } from '../../protocol/app.schema.js';
import type { ParsedRequestOf, ReplyOf } from '../../protocol/api.schema.js';
import { ApiError, ConflictError, describeError } from '../../protocol/errors.js';
import type { ResourceStore } from '../../client/store.js';
import { actorSubject } from '../../protocol/subjects.js';
import { engineReportSchema, vmReportSchema, type VmReport } from '../../protocol/vm-engine.schema.js';
import { appMachine } from '../../machines/app.machine.js';
import { runMachine } from '../machine-run.js';
import type { AttachInspection } from '../inspection/inspection.js';
import { publishJson } from '../trace.js';
import { helloSchema, subscribeParsed } from '../bus/subscribe-parsed.js';
import type { ChildSpec } from '../supervision/types.js';
import { AppWriter } from './app-writer.js';
import { resolveAutoDriver } from './auto-driver.js';
import { StoredApp } from './stored-app.js';

/** What the API calls on the App actor. */
export interface AppActorApi {
  get(): Promise<App | null>;
  set(request: ParsedRequestOf<'app.set'>): Promise<ReplyOf<'app.set'>>;
}

export interface AppActorOptions {
  instance: string;
  env: NodeJS.ProcessEnv;
  nc: NatsConnection;
  store: ResourceStore;
  /** Registers the App machine with the daemon's inspection (inspection.child.ts). */
  attachInspection: AttachInspection;
}

export function appActorChild(options: AppActorOptions): ChildSpec<AppActorApi> {
  return {
    id: 'app',
    restart: 'permanent',
    // Its stop is immediate; a bound above 0 lets the supervisor report it as the normal stop it is.
    shutdownMs: 1_000,
    start: async ({ logger }) => startAppActor(options, logger),
  };
}

async function startAppActor({ instance, env, nc, store, attachInspection }: AppActorOptions, logger: Logger) {
  const writer = new AppWriter(store);
  const stored = new StoredApp(() => writer.read());
  let lastVmReport: VmReport | null = null;
  const publish = (subject: string, body: unknown): void => publishJson(nc, subject, body);
  const { actor, exited, stop, kill } = runMachine(
    appMachine.provide({
      actions: {
        sendVmDesired: (_, desired) => publish(actorSubject(instance, 'vm', 'desired'), desired),
        sendEngineDesired: (_, desired) => publish(actorSubject(instance, 'engine', 'desired'), desired),
        publishConditions: (_, { conditions }) => {
          writer.writeStatus(conditions, lastVmReport).catch((error: unknown) => {
            logger.warn(`failed to write the App status: ${describeError(error)}`);
          });
        },
      },
    }),
    logger,
    'app',
    attachInspection,
  );
  const deliver = (app: App | null): void => {
    if (app) actor.send({ type: 'SPEC', generation: app.metadata.generation ?? 1, spec: app.spec });
  };

  const subscriptions: Subscription[] = [
    subscribeParsed(nc, actorSubject(instance, 'vm', 'status'), vmReportSchema, logger, (report) => {
      lastVmReport = report;
      actor.send({ type: 'VM_REPORT', report });
    }),
    subscribeParsed(nc, actorSubject(instance, 'engine', 'status'), engineReportSchema, logger, (report) =>
      actor.send({ type: 'ENGINE_REPORT', report }),
    ),
    // A VM or engine actor that (re)starts says hello and gets the current generation again: level-
    // triggered, so a restarted actor never works from a missed message. An invalid stored App leaves
    // the last valid one in its place (stored-app.ts).
    subscribeParsed(nc, actorSubject(instance, 'app', 'hello'), helloSchema, logger, () => {
      stored.current().then(
        ({ app }) => deliver(app),
        (error: unknown) => logger.warn(describeError(error)),
      );
    }),
  ];

  const { app: current, invalid } = await stored.current();
  logger.info(
    invalid
      ? `The stored App is invalid (${invalid.issue}); delivering no spec until it is repaired`
      : current
        ? `Loaded App generation ${current.metadata.generation}`
        : 'No App yet; waiting for rdd set/start',
  );
  deliver(current);

  const api: AppActorApi = {
    get: () => stored.shown(),
    set: async ({ changes, dryRun, request }) => {
      const compute = async (stored: App | null) => {
        let draft: AppSpecDraft = stored ? stored.spec : defaultAppSpec();
        draft = applyChanges(draft, changes);
        const auto: VmDriverName | null =
          draft.vm.driver === 'auto' ? await resolveAutoDriver(env, draft.vm.socket || defaultSocket(env)) : null;
        return admit(draft, { previous: stored?.spec ?? null, resolveAutoDriver: () => auto as VmDriverName });
      };
      if (dryRun) return preview(await writer.read(), compute);
      const result = await writer.writeSpec(request, compute).catch((error: unknown) => {
        // Our own answers (rejected, not applied) stand; a store that failed or kept changing under the
        // write leaves the outcome open, and the request is built to be sent again.
        if (error instanceof ApiError && !(error instanceof ConflictError)) throw error;
        throw new ApiError(
          'Unavailable',
          `the App could not be stored right now (${describeError(error)}); sending the same request again is safe`,
        );
      });
      logger.info(`App set request ${request.id}: ${result.outcome} at generation ${result.generation}`);
      deliver(result.app);
      return { ...result, changed: result.outcome === 'applied' };
    },
  };

  return {
    value: api,
    exited,
    stop: () => {
      subscriptions.forEach((subscription) => subscription.unsubscribe());
      return stop();
    },
    kill: () => {
      subscriptions.forEach((subscription) => subscription.unsubscribe());
      kill();
    },
  };
}

/** What `rdd set --dry-run` answers: the App as it would be, with nothing stored. */
async function preview(
  stored: App | null,
  compute: (stored: App | null) => Promise<App['spec']>,
): Promise<ReplyOf<'app.set'>> {
  const spec = await compute(stored);
  const changed = JSON.stringify(stored?.spec) !== JSON.stringify(spec);
  const base: App = stored ?? {
    apiVersion: 'app.rancherdesktop.io/v1alpha1',
    kind: 'App',
    metadata: { name: 'app', generation: 0 },
    spec,
    status: { conditions: [] },
  };
  const generation = (base.metadata.generation ?? 0) + (changed ? 1 : 0);
  return {
    app: { ...base, metadata: { ...base.metadata, generation }, spec },
    changed,
    outcome: changed ? 'applied' : 'unchanged',
    generation,
  };
}
