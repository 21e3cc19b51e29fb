/**
 * The values completion looks up outside rdd's own definitions: the names an instance's store holds
 * and the machine names on disk. A completion never starts a daemon, never waits long and never
 * prints an error: with no daemon running there is nothing to offer, and the shell shows nothing.
 */
import type { InstanceContext } from '../daemon-control.js';
import type { LiveLookup } from './candidates.js';

/** A name lookup gives up after this long; a shell waiting on a TAB must not hang. */
const lookupTimeoutMs = 3_000;

/** The values `lookup` asks for, starting with its partial word and prefixed as it says. */
export async function liveValues(lookup: LiveLookup, context: InstanceContext): Promise<string[]> {
  const values =
    lookup.source.source === 'machines'
      ? await machineNames(context.root)
      : await storedNames(lookup.source.kind, context);
  return [...new Set(values)]
    .filter((value) => value.startsWith(lookup.partial))
    .sort()
    .map((value) => `${lookup.prefix}${value}`);
}

async function machineNames(root: string): Promise<string[]> {
  const { machineDocsDir, readMachineDefinitions } = await import('../../host/statechart-docs.js');
  try {
    return readMachineDefinitions(machineDocsDir(root)).map(({ name }) => name);
  } catch {
    return [];
  }
}

/** The names of `kind` in the instance's store (every namespace); none when its daemon does not run. */
async function storedNames(kind: string, context: InstanceContext): Promise<string[]> {
  // Loaded only when needed: completing a command word must not pay for the NATS client.
  const { daemonProcess } = await import('../daemon-process.js');
  if ((await daemonProcess(context)) === null) return [];
  const { connectBus, readCredentials } = await import('../../client/api-client.js');
  const { ShapeCheckedStore } = await import('../../client/shape-checked-store.js');
  const { aliasesOf } = await import('../ctl/target.js');
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), lookupTimeoutMs);
  });
  const nc = await readCredentials(context.paths.creds_file)
    .then((credentials) => connectBus(credentials, { name: 'rdd-complete', timeoutMs: lookupTimeoutMs }))
    .catch(() => undefined);
  if (nc === undefined) return [];
  try {
    const list = ShapeCheckedStore.open(nc, context.instance)
      .then((store) => store.list(kind))
      // The names people type (a container's Docker name, an image's repo:tag) where there are any.
      .then((resources) =>
        resources.flatMap((resource) => {
          const friendly = aliasesOf(resource);
          return friendly.length > 0 ? friendly : [resource.metadata.name];
        }),
      );
    return await Promise.race([list, giveUp]);
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
    await nc.close().catch(() => undefined);
  }
}
