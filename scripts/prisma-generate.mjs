// Generates the Prisma client into libs/db/src/generated (git-ignored).
// Prisma's CLI wants its native schema engine to exist even though `generate` only uses the
// WebAssembly engines it bundles (see ../shared/notes/toolchain.md); pointing the variable at any
// existing file satisfies that check without a download.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'libs/db/package.json'));
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.log('prisma-generate: prisma CLI not installed yet, skipping');
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const r = spawnSync(process.execPath, [cli, 'generate', '--schema', path.join(root, 'prisma/schema.prisma')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (r.status !== 0 || !existsSync(path.join(root, 'libs/db/src/generated/prisma/client.ts'))) {
  console.error('prisma-generate: failed');
  process.exit(1);
}
