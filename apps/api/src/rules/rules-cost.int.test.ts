import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import { QueryCounter } from '../testing/query-counter.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { findCopies, sendToMx } from './rules-test-helpers.js';

/**
 * Issue 15's cost rule, counted exactly (no timing): an account with 50 filters and blocked and
 * allowed senders costs the MX no query more per message than one without rules — its rules come
 * from the per-process cache — and a filter's placement (folder, flags, label) is written by the
 * same one delivery statement.
 */
describe('mail rules cost at delivery', () => {
  let t: TestApp;
  let counter: QueryCounter;
  let ruled: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'cost.test', CORREIO_ROLES: 'smtp' });
    ruled = (await t.directory.addAccount({ address: 'ruled@cost.test', password: 'ruled-password' })).id;
    await t.directory.addAccount({ address: 'plain@cost.test', password: 'plain-password' });
    await t.app.get(ImapStoreService).createMailbox(ruled, 'Sorted');
    for (let i = 0; i < 50; i++) {
      const conditions =
        i === 49
          ? [{ field: 'subject', op: 'contains', value: 'sort me' }]
          : [{ field: 'header', name: 'List-Id', op: 'contains', value: `list${i}` }];
      const actions =
        i === 49 ? [{ kind: 'move', folder: 'Sorted' }, { kind: 'star' }, { kind: 'label', label: 'sorted' }] : [{ kind: 'markRead' }];
      await t.db.pool.query('INSERT INTO mail_rules (account_id, position, name, conditions, actions) VALUES ($1, $2, $3, $4, $5)', [
        ruled,
        i,
        `f${i}`,
        JSON.stringify(conditions),
        JSON.stringify(actions),
      ]);
    }
    await t.db.pool.query(
      `INSERT INTO sender_rules (account_id, kind, pattern) VALUES ($1, 'block', 'spam.example'), ($1, 'allow', 'friend.example')`,
      [ruled],
    );
    counter = QueryCounter.attach(t.db.pool);
    // Let the notifications of those inserts land, then fill the caches (recipient, rules, and the
    // folder names a move resolves); the rules listener connects on the first delivery and starts
    // from an empty cache, so the caches are filled again after it did.
    await new Promise((r) => setTimeout(r, 500));
    for (let round = 0; round < 2; round++) {
      for (const to of ['ruled@cost.test', 'plain@cost.test'])
        await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: [to], subject: 'warm: sort me' });
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  afterAll(() => t.close());

  async function statementsPerMessage(to: string, subject: string, n = 10): Promise<string[]> {
    // The recipient cache lives 5 s on PGlite (no notifications): refill it just before counting,
    // as mx-cost.int.test.ts does, so the count is the rules' and the store's, not the directory TTL's.
    t.directory.forgetCachedRecipients();
    await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: [to], subject: 'refill' });
    counter.reset();
    for (let i = 0; i < n; i++)
      expect(await sendToMx(t.smtpPort!, { from: 'a@remote.example', to: [to], subject })).toEqual([220, 250, 250, 250, 354, 250]);
    return counter.work.map((s) => s.text.split(/\s+/, 2).join(' '));
  }

  it('50 filters: one statement per message, the same as an account without rules', async () => {
    const plain = await statementsPerMessage('plain@cost.test', 'plain');
    const ruledWork = await statementsPerMessage('ruled@cost.test', 'sort me please');
    expect(plain).toEqual(Array(10).fill('WITH target'));
    expect(ruledWork).toEqual(plain);
    const copies = await findCopies(t, ruled, 'sort me please');
    expect(copies).toHaveLength(10);
    // The placement came with the same statement: no separate flag or move writes were counted above.
    expect(new Set(copies.map((c) => `${c.mailbox} ${c.flagged} ${c.seen} ${c.keywords.join()}`))).toEqual(
      new Set(['Sorted true false sorted']),
    );
  });
});
