import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Unit (*.test.ts) and integration (*.int.test.ts, real PostgreSQL or PGlite) tests of api and libs.
// System tests that need software from Debian (Chromium, Postfix, ...) are in test/system and run
// with vitest.system.config.ts. SWC is needed so Nest's decorator metadata is emitted.
const lib = (name: string) => path.resolve(__dirname, `libs/${name}/src/index.ts`);

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@correio/db': lib('db'),
      '@correio/mime': lib('mime'),
      '@correio/pop3-protocol': lib('pop3-protocol'),
      '@correio/imap-protocol': lib('imap-protocol'),
      '@correio/search-query': lib('search-query'),
      '@correio/mail-rules': lib('mail-rules'),
      '@correio/contracts': lib('contracts'),
      '@correio/testing': lib('testing'),
    },
  },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/api/src/**/*.test.ts', 'apps/web/lib/**/*.test.ts', 'test/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/system/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each integration file owns a database; two cores → two files at a time.
    maxWorkers: 2,
  },
});
