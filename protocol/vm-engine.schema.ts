/**
 * Messages between the App actor and the VM and engine-connection actors, on
 * `rdd.<instance>.vm.{desired,status}` and `rdd.<instance>.engine.{desired,status}`. Every desired
 * message carries the App generation it was computed for, and every status answers with the generation
 * it observed — even when nothing else changed — so a waiting client always learns when a generation
 * has been seen (the Go original hung on a steady-state change because nobody answered it).
 */
import { z } from 'zod';
import { conditionStatuses } from './condition.schema.js';
import { engineNames } from './app.schema.js';

export const vmDesiredSchema = z.object({
  generation: z.number().int().nonnegative(),
  running: z.boolean(),
  driver: z.enum(['lima', 'dockerd', 'external']),
  engine: z.enum(engineNames),
  socket: z.string(),
  kubernetes: z.object({ enabled: z.boolean(), version: z.string() }),
  cpus: z.number().int().positive().optional(),
  memoryGiB: z.number().positive().optional(),
});
export type VmDesired = z.infer<typeof vmDesiredSchema>;

const reportFields = {
  observedGeneration: z.number().int().nonnegative(),
  status: z.enum(conditionStatuses),
  reason: z.string(),
  message: z.string(),
};

/** The VM actor's `Running` condition plus what `rdd svc status` shows of the engine process. */
export const vmReportSchema = z.object({
  ...reportFields,
  /** True while a running VM still has to restart to apply a changed template. */
  applyingTemplate: z.boolean(),
  enginePid: z.number().int().positive().optional(),
  socket: z.string().optional(),
  /** The docker CLI context rdd wrote for the engine (`rdd-<instance>`), while it exists. */
  dockerContext: z.string().optional(),
  restarts: z.number().int().nonnegative(),
});
export type VmReport = z.infer<typeof vmReportSchema>;

export const engineDesiredSchema = z.object({
  generation: z.number().int().nonnegative(),
  /** The App wants the engine mirrored: Running=True, spec.running and engine moby. */
  wanted: z.boolean(),
  engine: z.enum(engineNames),
  socket: z.string(),
  mirrorImages: z.boolean(),
  /**
   * The App still wants this engine (spec.running, moby) though it cannot be reached yet: the VM is
   * starting, restarting or adopting it. The mirrors are kept, not swept, so a daemon restart or a VM
   * restart never deletes and recreates them (nor loses a container's spec.state).
   */
  retainMirrors: z.boolean(),
});
export type EngineDesired = z.infer<typeof engineDesiredSchema>;

/** The engine-connection actor's `ContainerEngineReady` condition. */
export const engineReportSchema = z.object(reportFields);
export type EngineReport = z.infer<typeof engineReportSchema>;

/** Running reasons (VM actor). */
export const runningReasons = ['Starting', 'Started', 'StartFailed', 'Stopping', 'Stopped', 'StopFailed'] as const;
/** ContainerEngineReady reasons (engine-connection actor). */
export const engineReasons = [
  'WaitingForVM',
  'Syncing',
  'Connected',
  'ConnectFailed',
  'Disconnected',
  /** Connected, but the engine has stopped answering pings (hung, or frozen): nothing it reports is current. */
  'NotResponding',
  'Stopping',
  'Stopped',
  'NotApplicable',
] as const;
