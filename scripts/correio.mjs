// `npm run correio -- <object> <verb> ...`: builds the API if needed, then runs its admin CLI.
import { spawnSync } from 'node:child_process';
import { ensureBuilt, root } from './lib/build.mjs';
import path from 'node:path';

ensureBuilt({ quiet: true, web: false });
const r = spawnSync(process.execPath, [path.join(root, 'apps/api/dist/cli/main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
