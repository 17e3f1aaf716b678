import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, defaultMigrationsDir, migrate, readMigrations, startEmbeddedPostgres } from '@correio/db';

/**
 * A migrated PGlite data directory, dumped once and loaded by every test file that wants the
 * schema: PGlite's initdb plus the extensions take seconds per file (most of the embedded test
 * run's time on two cores), loading a dump a fraction of that. The dump sits in the temp
 * directory under a name that hashes every migration and the PGlite version, so a changed
 * migration or an upgrade makes a new one; concurrent workers that both miss it each write their
 * own and rename it into place (the same bytes either way).
 */
export async function migratedPgliteTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `correio-pglite-template-${templateKey()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // Not made yet: make it below.
  }
  const embedded = await startEmbeddedPostgres({});
  try {
    const pool = createPool({ url: embedded.url, max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
    const dump = await embedded.dump();
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  } finally {
    await embedded.stop();
  }
}

function templateKey(): string {
  const hash = createHash('sha256');
  for (const m of readMigrations(defaultMigrationsDir)) hash.update(`${m.name}\0${m.checksum}\0`);
  hash.update(pgliteVersion());
  return hash.digest('hex').slice(0, 16);
}

/** The installed PGlite's version (its package.json is not among the package's exports). */
function pgliteVersion(): string {
  let dir = path.dirname(createRequire(__filename).resolve('@electric-sql/pglite'));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '';
    } catch {
      // No package.json at this level: look further up.
    }
  }
  return '';
}
