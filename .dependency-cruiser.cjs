/**
 * The layering of rdd, checked by `make lint` (dependency-cruiser) on resolved modules, so a rule does
 * not depend on how many `../` an import has:
 *   protocol/  subjects, schemas, errors: imports only itself and zod; no I/O
 *   machines/  pure state machines: protocol/ and xstate/zod only
 *   client/    what talks to the bus (API client, resource store, reads and watches): protocol/
 *   host/      what touches the host (processes, mounts, daemon file, version, docs files): protocol/
 *   actors/    the daemon: anything but cli/
 *   cli/       the commands: anything but actors/
 * Tests and fixtures may reach across (a machine's docs test writes files); production code never
 * imports a test or a fixture.
 */
const production = '\\.(test|fixtures)\\.ts$';
const layers = ['actors', 'machines', 'protocol', 'client', 'host', 'cli', 'e2e', 'bench'];
const others = (...allowed) => `^(${layers.filter((layer) => !allowed.includes(layer)).join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'protocol-is-pure',
      comment: 'protocol/ holds subjects, schemas and errors only: the daemon and every client share it.',
      severity: 'error',
      from: { path: '^protocol/', pathNot: production },
      to: { path: others('protocol') },
    },
    {
      name: 'protocol-does-no-io',
      comment: 'protocol/ computes (path, crypto) but never reads, writes, spawns or connects.',
      severity: 'error',
      from: { path: '^protocol/', pathNot: production },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(path|crypto)$' },
    },
    {
      name: 'protocol-depends-on-zod-only',
      severity: 'error',
      from: { path: '^protocol/', pathNot: production },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: 'node_modules/zod/',
      },
    },
    {
      name: 'machines-are-pure',
      comment: 'machines/ are state machines without I/O: protocol/, xstate and zod only.',
      severity: 'error',
      from: { path: '^machines/', pathNot: production },
      to: { path: others('machines', 'protocol') },
    },
    {
      name: 'machines-do-no-io',
      severity: 'error',
      from: { path: '^machines/', pathNot: production },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: 'node_modules/(xstate|zod)/',
      },
    },
    {
      name: 'client-on-protocol',
      comment: 'client/ talks to the bus in the protocol’s terms; it knows nothing of the daemon, the host or the CLI.',
      severity: 'error',
      from: { path: '^client/', pathNot: production },
      to: { path: others('client', 'protocol') },
    },
    {
      name: 'host-on-protocol',
      comment: 'host/ wraps processes, mounts and files; it knows nothing of the bus, the daemon or the CLI.',
      severity: 'error',
      from: { path: '^host/', pathNot: production },
      to: { path: others('host', 'protocol') },
    },
    {
      name: 'daemon-not-cli',
      severity: 'error',
      from: { path: '^actors/', pathNot: production },
      to: { path: others('actors', 'machines', 'protocol', 'client', 'host') },
    },
    {
      name: 'daemon-not-api-client',
      comment:
        'The daemon answers the API; it never calls it, nor hands a request on over the bus: every API request reaches its owner in-process.',
      severity: 'error',
      from: { path: '^actors/' },
      to: { path: '^client/api-client\\.ts$' },
    },
    {
      name: 'cli-not-daemon',
      comment: 'The CLI reaches the daemon only over the bus.',
      severity: 'error',
      from: { path: '^cli/', pathNot: production },
      to: { path: others('cli', 'machines', 'protocol', 'client', 'host') },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      from: { pathNot: production },
      to: { path: production },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
