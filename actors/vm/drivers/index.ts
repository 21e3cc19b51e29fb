/**
 * The VM drivers behind the contract in `../driver.ts`: `dockerd` (a dockerd rdd starts on Linux under
 * RootlessKit, in a user and network namespace of its own, with its own data-root, exec-root and
 * socket), `lima` (a Lima VM rendered from a template) and
 * `external` (an engine the user runs; rdd only attaches). Plus what they share: the `/_ping`
 * readiness probe, log tails and child-process plumbing.
 *
 * May import only `protocol/`, the contract types in `../driver.ts`, node built-ins, `yaml` and
 * winston types — never machines, other actors or the CLI, so the App's auto-driver and the e2e
 * stand-ins can reuse these files.
 */
export { dockerdDriver } from './dockerd.driver.js';
export { externalDriver } from './external.driver.js';
export { limaDriver } from './lima.driver.js';
export { pingEngine, waitForEngine } from './engine-ping.js';
export { renderLimaTemplate, limaTemplateFingerprint } from './lima-template.js';
