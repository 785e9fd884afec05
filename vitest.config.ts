import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fakes of the platforms are held to the platforms' own references in every test.
    setupFiles: ['./test/setup/referee.ts'],
    // Integration tests start their own redis-server and engine processes; two cores here.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
