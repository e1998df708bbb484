/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker that ran many suites holds about 1 GB of heap (each suite's Nest apps and compiled
  // modules), and freeing it at exit took longer than the 500 ms jest waits before force-exiting
  // it ("A worker process has failed to exit gracefully"). Workers above this are replaced after
  // a suite, so the last ones exit at once.
  workerIdleMemoryLimit: '512MB',
};
