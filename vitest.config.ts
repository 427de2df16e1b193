import { defineConfig } from 'vitest/config';

// On a shared PostgreSQL server (DATABASE_URL) the test files reset one database in turn;
// on the embedded database each file has its own in-memory PGlite and files run in parallel.
const sharedServer = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    fileParallelism: !sharedServer,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Cheap password hashing in tests only (the hash records its own cost; production uses 2^15).
    env: { FUWU_SCRYPT_COST: '1024' },
  },
});
