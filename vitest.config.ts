import { defineConfig } from 'vitest/config';

// On a shared PostgreSQL server (DATABASE_URL) the test files reset one database in turn; on the embedded
// default one PostgreSQL cluster serves the run and each file has its own copy of a migrated template
// database (test/support/global-setup.ts), so files run in parallel.
const sharedServer = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    fileParallelism: !sharedServer,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // Cheap password hashing in tests only (the hash records its own cost; production uses 2^15).
    env: { FUWU_SCRYPT_COST: '1024' },
  },
});
