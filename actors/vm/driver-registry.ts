/** The VM drivers by name; one instance each, since drivers keep no state between calls. */
import type { VmDriverName } from '../../protocol/app.schema.js';
import type { VmDriver } from './driver.js';
import { dockerdDriver } from './drivers/dockerd.driver.js';
import { externalDriver } from './drivers/external.driver.js';
import { limaDriver } from './drivers/lima.driver.js';

const drivers: Record<VmDriverName, VmDriver> = {
  dockerd: dockerdDriver(),
  external: externalDriver(),
  lima: limaDriver(),
};

export function driverFor(name: VmDriverName): VmDriver {
  return drivers[name];
}
