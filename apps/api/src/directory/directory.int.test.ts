import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../common/app-error.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Domains, accounts, aliases and recipient resolution, against a real database.
describe('directory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
  });
  afterAll(() => t?.close());

  async function count(sql: string, params: unknown[]): Promise<number> {
    return (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  }

  describe('accounts', () => {
    it('creates the account (lower-cased, domain created on first use) with its six standard mailboxes', async () => {
      const a = await t.directory.addAccount({ address: ' Joel@Example.ORG ', password: 'joel-password', displayName: 'Joel' });
      expect(a).toMatchObject({
        address: 'joel@example.org',
        role: 'user',
        displayName: 'Joel',
        quotaBytes: '0',
        usedBytes: '0',
        disabled: false,
        domainCreated: true,
      });
      const boxes = await t.store.listMailboxes(a.id);
      expect(boxes.map((b) => b.specialUse).sort()).toEqual(['archive', 'drafts', 'inbox', 'junk', 'sent', 'trash']);
      expect(await t.directory.isLocalDomain('EXAMPLE.org')).toBe(true);
      const second = await t.directory.addAccount({ address: 'ana@example.org', password: 'ana-password' });
      expect(second.domainCreated).toBe(false);
    });

    it.each([
      ['no @', 'joel.example.org', 'joel-password', ErrorCode.InvalidInput],
      ['no domain dot', 'joel@localhost', 'joel-password', ErrorCode.InvalidInput],
      ['a space', 'jo el@example.org', 'joel-password', ErrorCode.InvalidInput],
      ['a short password', 'short@example.org', 'seven77', ErrorCode.InvalidInput],
      ['an existing address, other case', 'JOEL@example.org', 'joel-password', ErrorCode.Conflict],
    ])('refuses %s', async (_name, address, password, code) => {
      await expect(t.directory.addAccount({ address, password })).rejects.toMatchObject({ code });
    });

    it('authenticates by address in any case; wrong password, unknown address → undefined', async () => {
      await t.directory.addAccount({ address: 'auth@example.org', password: 'right-password' });
      expect((await t.directory.authenticate('AUTH@example.org', 'right-password'))?.address).toBe('auth@example.org');
      expect(await t.directory.authenticate('auth@example.org', 'Right-password')).toBeUndefined();
      expect(await t.directory.authenticate('nobody@example.org', 'right-password')).toBeUndefined();
      await t.directory.setPassword('auth@example.org', 'new-password-1');
      expect(await t.directory.authenticate('auth@example.org', 'right-password')).toBeUndefined();
      expect(await t.directory.authenticate('auth@example.org', 'new-password-1')).toBeDefined();
    });

    it('removing an account removes all its mail: mailboxes, messages, bytes, tombstones and sessions', async () => {
      const gone = await t.directory.addAccount({ address: 'gone@example.org', password: 'gone-password' });
      const kept = await t.directory.addAccount({ address: 'kept@example.org', password: 'kept-password' });
      const raw = Buffer.from('Subject: private\r\n\r\nsecret words\r\n');
      const targets = [gone, kept].map((a) => ({ accountId: a.id, mailbox: { specialUse: 'inbox' as const } }));
      const copies = await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets, envelopeFrom: 'x@example.org' });
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: targets.slice(0, 1), envelopeFrom: 'x@example.org' });
      await t.store.expunge(gone.id, copies.find((c) => c.accountId === gone.id)!.messageId);
      await t.db.pool.query(
        "INSERT INTO sessions (account_id, token_hash, csrf_token, expires_at) VALUES ($1, 'h-gone', 'c', now() + interval '1 day')",
        [gone.id],
      );
      const tables = ['mailboxes', 'messages', 'blobs', 'expunged', 'sessions'];
      for (const table of tables) expect(await count(`${table} WHERE account_id = $1`, [gone.id]), table).toBeGreaterThan(0);

      await t.directory.removeAccount('GONE@example.org');

      expect(await t.directory.getAccount(gone.id)).toBeUndefined();
      for (const table of tables) expect(await count(`${table} WHERE account_id = $1`, [gone.id]), table).toBe(0);
      // The other recipient's copy is untouched.
      const keptCopy = copies.find((c) => c.accountId === kept.id)!;
      expect((await t.store.getRaw(kept.id, keptCopy.messageId)).raw.equals(raw)).toBe(true);
      await expect(t.directory.removeAccount('gone@example.org')).rejects.toMatchObject({ code: ErrorCode.NotFound });
    });
  });

  describe('domains', () => {
    it('adds, lists with counts, and refuses to remove a domain that still has accounts', async () => {
      await t.directory.addDomain('Lists.Example.NET');
      await expect(t.directory.addDomain('lists.example.net')).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await expect(t.directory.addDomain('not a domain')).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
      await t.directory.addAccount({ address: 'one@lists.example.net', password: 'one-password' });
      await t.aliases.addAlias('all@lists.example.net', 'one@lists.example.net');
      expect((await t.directory.listDomains()).find((d) => d.name === 'lists.example.net')).toMatchObject({
        name: 'lists.example.net',
        accounts: 1,
        aliases: 1,
      });
      await expect(t.directory.removeDomain('lists.example.net')).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await t.directory.removeAccount('one@lists.example.net');
      await t.directory.removeDomain('LISTS.example.net');
      expect(await t.directory.isLocalDomain('lists.example.net')).toBe(false);
      expect(await t.aliases.listAliases()).not.toContainEqual(expect.objectContaining({ address: 'all@lists.example.net' }));
    });
  });

  describe('recipient resolution (what the MX answers to RCPT TO)', () => {
    let ana: string;
    let bia: string;

    beforeAll(async () => {
      ana = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
      bia = (await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' })).id;
      await t.aliases.addAlias('team@ifsc.edu', 'ana@ifsc.edu');
      await t.aliases.addAlias('team@ifsc.edu', 'BIA@ifsc.edu');
    });

    it.each([
      ['an account, any case', 'ANA@ifsc.edu', () => ({ kind: 'local', accountIds: [ana] })],
      ['an alias to two accounts', 'team@ifsc.edu', () => ({ kind: 'local', accountIds: [ana, bia].sort() })],
      ['nobody in our domain', 'nobody@ifsc.edu', () => ({ kind: 'unknown' })],
      ['another domain', 'ana@gmail.com', () => ({ kind: 'remote' })],
    ])('%s', async (_name, address, expected) => {
      const r = await t.directory.resolveRecipient(address);
      if (r.kind === 'local') r.accountIds.sort();
      expect(r).toMatchObject(expected());
    });

    it('refuses an alias that shadows an account, or a duplicate, or in a domain we do not serve', async () => {
      await expect(t.aliases.addAlias('ana@ifsc.edu', 'bia@ifsc.edu')).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await expect(t.aliases.addAlias('team@ifsc.edu', 'ana@ifsc.edu')).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await expect(t.aliases.addAlias('x@elsewhere.org', 'ana@ifsc.edu')).rejects.toMatchObject({ code: ErrorCode.NotFound });
    });

    it('a disabled account receives nothing, directly or through an alias', async () => {
      await t.db.pool.query('UPDATE accounts SET disabled = true WHERE id = $1', [bia]);
      try {
        expect(await t.directory.resolveRecipient('bia@ifsc.edu')).toEqual({ kind: 'unknown', disabled: true }); // 550 5.2.1 at RCPT
        expect(await t.directory.resolveRecipient('team@ifsc.edu')).toMatchObject({ kind: 'local', accountIds: [ana] });
      } finally {
        await t.db.pool.query('UPDATE accounts SET disabled = false WHERE id = $1', [bia]);
      }
    });
  });
});
