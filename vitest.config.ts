import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no servers and runs in parallel; `integration` shares one Temporal dev
// server and one Postgres per run (started by test/global-setup.ts) and runs files one at a time,
// because the machine has two cores and the servers are shared.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'domain/**/*.test.ts',
            'servicetitan/**/*.test.ts',
            'api/**/*.test.ts',
            'db/**/*.test.ts',
            'temporal/**/*.test.ts',
          ],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
