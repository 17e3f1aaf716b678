// `npm run test:system`: tests that drive the built service with software from Debian (Chromium
// now; Postfix, fetchmail, mutt later). .ci/run installs that software first. Builds everything,
// the web app included, then runs test/system/*.e2e.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, root } from './lib/build.mjs';

ensureBuilt({ quiet: true, web: true });
const r = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.system.config.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
);
process.exit(r.status ?? 1);
