// @ts-check
/**
 * Mutation testing of the pure-logic modules (`npm run test:mutation`, see docs/testing.md).
 * Only files without I/O are mutated: their specs run in `jest.mutation.config.js`, without a database.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  // The modules without I/O (scores in docs/testing.md, "Mutation testing"; the undetected mutants left
  // are listed there, all equivalent). `sfsLockKeyAsRelease010` and the body reader of
  // admin-body.limits.ts take a SQL session and a request stream, which their specs give them.
  mutate: [
    'src/sfs-auth/options/resolve-sfs-auth-options.ts',
    'src/sfs-auth/options/option-checks.ts',
    'src/sfs-auth/options/sfs-auth-options-from-env.ts',
    'src/sfs-auth/options/encryption-keys.ts',
    'src/sfs-auth/options/admin-keys.ts',
    'src/sfs-auth/crypto/key-ring.ts',
    'src/sfs-auth/crypto/token-cipher.ts',
    'src/sfs-auth/crypto/aead.ts',
    'src/sfs-auth/errors/safe-error.ts',
    'src/sfs-auth/admin/admin-cursor.codec.ts',
    'src/sfs-auth/admin/admin-auth.throttle.ts',
    'src/sfs-auth/admin/admin-body.limits.ts',
    'src/sfs-auth/sfs/sfs-wire.ts',
    'src/sfs-auth/sfs/sfs-error.mapping.ts',
    'src/sfs-auth/sfs/retry-policy.ts',
    'src/sfs-auth/model/identifiers.ts',
    'src/sfs-auth/model/refresh-schedule.ts',
    'src/sfs-auth/scheduling/backoff.ts',
    'src/sfs-auth/scheduling/work-pipeline.ts',
    'src/sfs-auth/common/batcher.ts',
    'src/sfs-auth/compatibility/release-0.1.ts',
    'src/sfs-auth/health/sfs-auth.health-verdict.ts',
  ],
  // Static mutants (module-level constants: SFS_AUTH_DEFAULTS, SFS_WIRE, HKDF salts, regexes) would
  // each re-run every spec, about half of a run's time on two cores. They are pinned by the golden
  // vectors (test/golden) and the defaults test in `npm test` instead; the run reports their count.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 95, low: 90, break: null },
  concurrency: 2,
  timeoutMS: 30000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
