// Unit tests live beside the code; @swc/jest strips types (tsc --noEmit checks them separately).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/actors',
    '<rootDir>/machines',
    '<rootDir>/protocol',
    '<rootDir>/client',
    '<rootDir>/host',
    '<rootDir>/cli',
  ],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.e2e\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
