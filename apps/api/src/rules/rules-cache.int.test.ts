import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { findCopies, sendToMx, waitFor } from './rules-test-helpers.js';

/**
 * The delivery path's rules cache hears changes made outside this process (another worker, SQL):
 * the tables notify correio_rules with the account id and the MX drops that account's entry. On
 * PGlite (one process, no notifications across connections) there is nothing to hear: skipped.
 */
describe('rules cache invalidation across processes', () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'cache.test', CORREIO_ROLES: 'smtp' });
    id = (await t.directory.addAccount({ address: 'me@cache.test', password: 'me-password' })).id;
  });
  afterAll(() => t.close());

  it('a filter written by plain SQL applies to the next message after the notification', async () => {
    if (t.testDb.kind === 'pglite') return;
    // Cached: no rules for the account (and the LISTEN connection is up after the first delivery).
    await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: ['me@cache.test'], subject: 'before' });
    await new Promise((r) => setTimeout(r, 500));
    await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: ['me@cache.test'], subject: 'still before' });
    expect((await findCopies(t, id, 'still before'))[0]!.flagged).toBe(false);
    // Another process's write: a separate connection, not RulesService.
    const other = new (await import('pg')).default.Client({ connectionString: t.testDb.url });
    await other.connect();
    await other.query(
      `INSERT INTO mail_rules (account_id, position, name, conditions, actions) VALUES ($1, 0, 'star all', '[]', '[{"kind":"star"}]')`,
      [id],
    );
    await other.end();
    const copies = await waitFor(
      async () => {
        const subject = `after ${Date.now()}`;
        await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: ['me@cache.test'], subject });
        return findCopies(t, id, subject);
      },
      (c) => c[0]?.flagged === true,
      5_000,
    );
    expect(copies[0]!.flagged).toBe(true);
  });
});
