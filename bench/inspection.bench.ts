/**
 * `make bench-inspection`: what XState inspection costs (issue: "cost when nobody listens must be
 * negligible"). Drives a container machine in its settled state with OBSERVED events — the event a
 * mirror actor handles most — and counts events per second three ways: not registered for inspection,
 * registered with no lease (nobody inspecting: the daemon's normal state), and registered with a lease
 * (every inspection event serialised and handed to a publisher that only counts). Rewrites its section of docs/performance.md.
 */
import os from 'node:os';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { createActor, fromPromise } from 'xstate';
import { Inspection } from '../actors/inspection/inspection.js';
import { containerMachine } from '../machines/container.machine.js';
import { findRepoRoot } from './support/instance.js';
import { writeSection } from './support/report.js';

const events = 200_000;
const rounds = 5;

function fakeBus(): { nc: NatsConnection; published: () => number; grantLease: () => void } {
  let published = 0;
  let lease: ((error: null, msg: unknown) => void) | undefined;
  const nc = {
    publish: () => void (published += 1),
    isClosed: () => false,
    subscribe: (_subject: string, options: { callback: (error: null, msg: unknown) => void }) => {
      lease = options.callback;
      return { unsubscribe: () => undefined };
    },
  } as unknown as NatsConnection;
  const grantLease = () => lease?.(null, { json: () => ({ ttlMs: 60_000 }), reply: undefined });
  return { nc, published: () => published, grantLease };
}

const logic = containerMachine.provide({
  actors: { runEngineAction: fromPromise(() => Promise.resolve()) },
  actions: { reportState: () => undefined, reportLastAction: () => undefined, releaseDesired: () => undefined },
});

/** Events per second through one settled container machine. */
function eventsPerSecond(inspection?: Inspection): number {
  const actor = createActor(logic, { input: { id: 'bench', desired: 'running', generation: 1, actual: 'running' } });
  const detach = inspection?.attach('container:bench', actor);
  actor.start();
  const started = process.hrtime.bigint();
  for (let index = 0; index < events; index += 1) actor.send({ type: 'OBSERVED', actual: 'running' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  detach?.();
  actor.stop();
  return events / seconds;
}

/** `3.1% slower` / `2.0% faster`: on a shared machine either may be noise. */
function relative(overhead: number): string {
  return `${Math.abs(overhead).toFixed(1)}% ${overhead >= 0 ? 'slower' : 'faster'}`;
}

function main(): void {
  const off = fakeBus();
  const idle = Inspection.start(off.nc, 'bench');
  const on = fakeBus();
  const leased = Inspection.start(on.nc, 'bench');
  on.grantLease();

  // Interleaved rounds, best of each: the machine is shared and noisy, and order alone (JIT, GC) skews
  // back-to-back series.
  const variants = [() => eventsPerSecond(), () => eventsPerSecond(idle), () => eventsPerSecond(leased)];
  variants.forEach((measure) => measure());
  const bestRates = [0, 0, 0];
  for (let round = 0; round < rounds; round += 1) {
    variants.forEach((measure, index) => (bestRates[index] = Math.max(bestRates[index]!, measure())));
  }
  const [plain = 0, noLease = 0, withLease = 0] = bestRates;
  const overheadIdle = (1 - noLease / plain) * 100;
  const overheadOn = (1 - withLease / plain) * 100;
  const rows = [
    ['not registered for inspection', plain, '—'],
    ['registered, nobody inspecting (no lease)', noLease, relative(overheadIdle)],
    ['registered, someone inspecting (lease held)', withLease, relative(overheadOn)],
  ] as const;
  for (const [what, rate, note] of rows)
    console.log(`${what.padEnd(40)} ${Math.round(rate).toLocaleString('en')} events/s  ${note}`);
  const verdict = overheadIdle <= 5 ? 'PASS' : 'MISS';
  console.log(
    `idle overhead ${overheadIdle.toFixed(1)}% (target ≤ 5%): ${verdict}; messages published while leased: ${on.published()}`,
  );
  writeInspectionSection(rows, overheadIdle, verdict);
}

function writeInspectionSection(
  rows: readonly (readonly [string, number, string])[],
  overhead: number,
  verdict: string,
): void {
  writeSection(path.join(findRepoRoot(), 'docs', 'performance.md'), 'inspection', [
    '## Inspection overhead (`make bench-inspection`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, node ${process.version}.`,
    `${events.toLocaleString('en')} OBSERVED events through one settled container machine, best of ${rounds}.`,
    '',
    '| inspection | events/s | vs. not registered |',
    '|---|---:|---|',
    ...rows.map(([what, rate, note]) => `| ${what} | ${Math.round(rate).toLocaleString('en')} | ${note} |`),
    '',
    `Idle overhead ${overhead.toFixed(1)}% against a target of ≤ 5%: **${verdict}**. With no lease, no observer is`,
    'attached, so the actor runs the same code as an unregistered one: differences of a few percent either way',
    'are the noise of a shared machine.',
  ]);
}

main();
