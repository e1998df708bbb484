/**
 * Jest config of the mutation suite (`npm run test:mutation`): the unit specs of the pure-logic
 * modules and the golden vectors, with no database global setup (nothing here does I/O).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src/sfs-auth', '<rootDir>/test'],
  testMatch: ['<rootDir>/src/sfs-auth/**/*.spec.ts', '<rootDir>/test/golden/**/*.spec.ts'],
  // Specs that need Nest, HTTP or the sandbox; the mutated modules are covered without them.
  // The property tests (`*.fuzz.spec.ts`) too: random inputs would make a mutant's verdict, and so
  // the incremental report, depend on the seed.
  testPathIgnorePatterns: [
    '/node_modules/',
    '\\.fuzz\\.spec\\.ts$',
    'platform-token\\.provider\\.spec\\.ts$',
    'sfs-http\\.transport\\.spec\\.ts$',
    'admin\\.providers\\.spec\\.ts$',
    'admin-exception\\.filter\\.spec\\.ts$',
    'openapi\\.decorators\\.spec\\.ts$',
  ],
  // Framework plumbing only: see the stub's TSDoc.
  moduleNameMapper: { '^@nestjs/common$': '<rootDir>/test/mutation/nest-common.stub.ts' },
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
