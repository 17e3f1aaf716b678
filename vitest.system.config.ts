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
    // expect.poll waits for what the page shows after a server round trip (a list re-read after
    // Undo, a count after a live update). Vitest's default of 1 s is less than one such round trip
    // takes on CI's loaded 2-core machine (webmail-organize test 4 failed on it at load ~20);
    // Playwright's own assertions wait 5 s, and so do these. A wrong outcome still fails.
    expect: { poll: { timeout: 5_000 } },
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
