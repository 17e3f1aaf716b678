// Shared by the start/test/CLI scripts: build what is missing or stale via turbo (which caches by
// content hash, so an up-to-date tree builds in well under a second).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...options.env } });
  if (r.status !== 0) {
    if (options.quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
  }
}

/** Builds the libs and the API (and the web app when web is true). */
export function ensureBuilt({ quiet = false, web = true } = {}) {
  const turbo = path.join(root, 'node_modules/.bin/turbo');
  const filters = web ? [] : ['--filter=@correio/api...'];
  try {
    run(turbo, ['run', 'build', ...filters, '--output-logs=errors-only', '--log-prefix=none'], {
      quiet,
      env: { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NEXT_TELEMETRY_DISABLED: '1' },
    });
  } catch (err) {
    console.error(`correio: build failed: ${err.message}`);
    process.exit(1);
  }
}
