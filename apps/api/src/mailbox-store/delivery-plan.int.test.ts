import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBulkMessages } from '../testing/bulk-messages.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { INSERT_COPY_SQL } from './repositories/delivery.repository.js';

// The delivery statement runs as a named prepared statement, so after a few executions PostgreSQL
// uses its generic plan. The thread lookup in it must use the (account_id, message_id_hdr) index:
// a plan that walks the primary key backwards and filters reads every message of the account when
// nothing matches, and delivery gets slower with every message a mailbox holds.
describe('the delivery statement’s plan', () => {
  let t: TestApp;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    accountId = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    // A mailbox with some history, and statistics about it.
    await insertBulkMessages(t, accountId, 2000);
    await t.db.pool.query('ANALYZE messages');
  });
  afterAll(() => t?.close());

  it('looks threads up by Message-ID through its index, never by scanning the mailbox', async () => {
    const c = await t.db.pool.connect();
    try {
      await c.query('SET plan_cache_mode = force_generic_plan');
      await c.query(
        `PREPARE copy_plan (bigint, bigint, special_use, bigint, bigint, bytea, text, bigint, text[], boolean, boolean, timestamptz,
           text, text, text[], text, text, text, jsonb, jsonb, timestamptz, text, boolean, jsonb, text, jsonb, jsonb, integer, text, boolean, date, boolean, boolean, text[], text, text, smallint) AS ${INSERT_COPY_SQL}`,
      );
      const sha = createHash('sha256').update('x').digest('hex');
      // EXPLAIN EXECUTE takes literals only (no bind parameters); both values are ours and plain.
      expect(accountId).toMatch(/^\d+$/);
      const { rows } = await c.query(
        `EXPLAIN EXECUTE copy_plan(${accountId}, NULL, 'inbox', 1, NULL, '\\x78', '${sha}', NULL, ARRAY['<nothing@x>'], false, false, now(),
           NULL, NULL, '{}', 's', '', 'a@b', '[]', '[]', NULL, '', false, '[]', 'a@b', NULL, NULL, 1, 'a\nx', true, NULL, true, false, '{}', NULL, NULL, 1)`,
      );
      const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/messages_account_id_message_id_hdr_idx/);
      expect(plan).not.toMatch(/Backward using messages_pkey/);
    } finally {
      await c.query('DEALLOCATE ALL').catch(() => {});
      await c.query('RESET plan_cache_mode').catch(() => {});
      c.release();
    }
  });
});
