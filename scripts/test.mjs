// `npm test`: builds the libs and the API (the durability test runs the built service as a real
// process), then runs the unit and integration tests with vitest. Needs only Node: with no
// DATABASE_URL / TEST_DATABASE_URL the database tests use an embedded PGlite; with one, each test
// file creates and drops its own database on that server. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, root } from './lib/build.mjs';

ensureBuilt({ quiet: true, web: false });
const where = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? 'the configured PostgreSQL server' : 'embedded PGlite';
console.log(`correio: running tests against ${where}`);
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
process.exit(r.status ?? 1);
