import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The MX's recipient cache (recipient-cache.ts) against changes made behind the service's back:
// plain SQL on another connection, as the CLI or another worker process would. On a PostgreSQL
// server the directory tables' triggers notify and the cache is dropped at once; on PGlite (no
// notifications across connections) its 5 s TTL bounds the stale answer.

describe('recipient cache and changes made elsewhere', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' });
  });
  afterAll(() => t.close());

  async function until(what: () => Promise<boolean>, ms: number): Promise<number> {
    const start = Date.now();
    while (!(await what())) {
      if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - start;
  }

  it('a change through the directory services (AliasService here) is seen at once', async () => {
    expect(await t.directory.resolveRecipientCached('team@ifsc.edu')).toEqual({ kind: 'unknown' });
    await t.aliases.addAlias('team@ifsc.edu', 'ana@ifsc.edu');
    expect(await t.directory.resolveRecipientCached('team@ifsc.edu')).toMatchObject({ kind: 'local' });
    await t.aliases.removeAlias('team@ifsc.edu');
    expect(await t.directory.resolveRecipientCached('team@ifsc.edu')).toEqual({ kind: 'unknown' });
  });

  it('a change made with SQL is seen within a second on a server, within the TTL on PGlite', async () => {
    expect(await t.directory.resolveRecipientCached('ana@ifsc.edu')).toMatchObject({ kind: 'local' });
    await t.db.pool.query("UPDATE accounts SET disabled = true WHERE address = 'ana@ifsc.edu'");
    try {
      const bound = t.db.isPglite ? 6_000 : 1_000;
      await until(async () => (await t.directory.resolveRecipientCached('ana@ifsc.edu')).kind === 'unknown', bound);
    } finally {
      await t.db.pool.query("UPDATE accounts SET disabled = false WHERE address = 'ana@ifsc.edu'");
    }
  }, 15_000);
});
