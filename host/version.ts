/** The running code's version, read from the package.json above this file (source or dist/). */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function rddVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'rdd' && pkg.version) return (cached = pkg.version);
  }
  return (cached = '0.0.0-unknown');
}
