// End-to-end tests drive the built CLI (dist/) against a real nats-server (and, later, a real dockerd).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120_000,
  // Two files at a time: each has its own instance, HOME, nats-server and dockerd (e2e/README.md), and
  // most of a file's time is spent waiting on them, so two share the two cores without starving.
  maxWorkers: 2,
};
