import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js';
import { detectServerKind, serverKindOf } from './server-kind.js';

describe('detectServerKind', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({});
  });
  afterAll(() => embedded?.stop());

  it('recognises PGlite served over a socket from its version()', async () => {
    expect(await detectServerKind(embedded.url)).toBe('pglite');
  });

  it.runIf(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)('recognises a PostgreSQL server', async () => {
    expect(await detectServerKind((process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)!)).toBe('postgres');
  });

  it('rejects when nothing answers', async () => {
    await expect(detectServerKind('postgresql://postgres@127.0.0.1:1/postgres', { timeoutMs: 2_000 })).rejects.toThrow();
  });

  it('reads the version strings of both', () => {
    expect(serverKindOf('PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten, compiled by emcc 6.0.5, 32-bit')).toBe('pglite');
    expect(
      serverKindOf('PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit'),
    ).toBe('postgres');
  });
});
