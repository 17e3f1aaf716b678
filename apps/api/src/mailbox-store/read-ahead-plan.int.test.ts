import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBulkMessages } from '../testing/bulk-messages.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { readAheadSelect } from './repositories/message.repository.js';

// POP3 read-ahead reads 128 messages of a maildrop per statement. Right after a large import the
// tables have no statistics yet; the statement must still find its rows by primary key, not read
// every message of the account for every batch (what the planner chose for `account_id = $1 AND
// id = ANY(...)`: a bitmap scan of the account index, each row tested against all the ids).
describe('the read-ahead statement’s plan', () => {
  let t: TestApp;
  let accountId: string;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    accountId = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    // A fresh import: 20,000 messages, no ANALYZE since.
    await insertBulkMessages(t, accountId, 20_000);
    ids = (await t.db.pool.query<{ id: string }>('SELECT id FROM messages WHERE account_id = $1 ORDER BY uid LIMIT 128 OFFSET 5000', [accountId])).rows.map((r) => r.id);
  });
  afterAll(() => t?.close());

  it('finds a batch by primary key, never by scanning the account’s messages', async () => {
    expect(accountId).toMatch(/^\d+$/);
    const { rows } = await t.db.pool.query(`EXPLAIN ${readAheadSelect(accountId, ids.join(','))}`);
    const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan (using|on) messages_pkey/);
    expect(plan).not.toMatch(/messages_account_id_|Seq Scan on messages/);
  });

  it('still scopes the rows to the account: another account’s ids give nothing', async () => {
    const other = (await t.directory.addAccount({ address: 'bruna@ifsc.edu', password: 'bruna-password' })).id;
    const { rows } = await t.db.pool.query(readAheadSelect(other, ids.join(',')));
    expect(rows).toHaveLength(0);
    expect((await t.db.pool.query(readAheadSelect(accountId, ids.join(',')))).rows).toHaveLength(128);
  });
});
