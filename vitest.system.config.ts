import path from 'node:path';
import { defineConfig } from 'vitest/config';

// System tests: the built service as real processes, driven by real software installed from Debian
// (Chromium today; Postfix, fetchmail, mutt later). Run with `npm run test:system` (see .ci/run).
const lib = (name: string) => path.resolve(__dirname, `libs/${name}/src/index.ts`);

export default defineConfig({
  resolve: {
    alias: {
      '@correio/db': lib('db'),
      '@correio/contracts': lib('contracts'),
      '@correio/testing': lib('testing'),
    },
  },
  test: {
    include: ['test/system/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
