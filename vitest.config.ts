import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file loads nodejieba (~1.5 s, ~240 MB) once; forks keep native addons isolated.
    pool: 'forks',
    // One PostgreSQL server for the run (embedded, or TEST_DATABASE_URL); each test uses its own schema.
    globalSetup: ['test/support/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
