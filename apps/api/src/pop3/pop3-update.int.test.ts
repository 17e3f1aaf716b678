import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MailEventsService } from '../events/mail-events.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { Pop3Wire } from '@correio/testing';
import { startPop3 } from '../testing/pop3-test-server.js';

// The UPDATE state against the rest of the system (RFC 1939 §6): other clients changing the
// maildrop under a session's snapshot, the database going away at login and at QUIT, and the
// change event the webmail and IMAP IDLE will see.

describe('POP3 UPDATE and failures', () => {
  let t: TestApp;
  let pop: Awaited<ReturnType<typeof startPop3>>;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' }, { dbProxy: true });
    pop = await startPop3(t);
  });
  afterAll(async () => {
    await pop?.close();
    await t?.close();
  });

  async function account(count = 3): Promise<{ id: string; user: string; inboxId: string; ids: string[] }> {
    const user = `user${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'pw-password' });
    for (let i = 1; i <= count; i++) {
      const raw = Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`);
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'x@example.org' });
    }
    const inboxId = (await t.store.listMailboxes(id)).find((b) => b.specialUse === 'inbox')!.id;
    const ids = (await t.store.listMessages(id, inboxId, 100)).sort((a, b) => a.uid - b.uid).map((m) => m.id);
    return { id, user, inboxId, ids };
  }

  /**
   * Cuts the database and waits until the pool has noticed on every idle connection. Otherwise a
   * checkout can still get a connection whose end is in flight, and pg then emits 'error' on a
   * checked-out client that nobody listens to (an uncaught exception, see the session's report).
   */
  async function cutDatabase(): Promise<void> {
    await t.dbProxy!.cut();
    await vi.waitUntil(() => t.db.pool.totalCount === 0, { timeout: 5000, interval: 10 });
  }

  const subjects = async (a: { id: string; inboxId: string }) =>
    (await t.store.listMessages(a.id, a.inboxId, 100)).map((m) => m.subject).sort();

  async function connect(user: string): Promise<Pop3Wire> {
    const c = await Pop3Wire.connect(pop.ports.plain);
    await c.reply();
    expect(await c.cmd(`USER ${user}`)).toBe('+OK Send PASS');
    return c;
  }

  it('a message removed by the webmail meanwhile: RETR -ERR, DELE+QUIT still succeeds, one event for the rest', async () => {
    const a = await account();
    const c = await connect(a.user);
    expect(await c.cmd('PASS pw-password')).toMatch(/^\+OK Maildrop has 3 messages/);
    // The webmail in the POP3 server's process (the default roles): its change bus tells the session,
    // which drops what it read ahead at login. (From another process the read-ahead may serve its
    // copy for up to 5 s: ARCHITECTURE.md, POP3 read-ahead.)
    await pop.ctx.get(MailboxStoreService).expunge(a.id, a.ids[1]!);
    expect(await c.cmd('RETR 2')).toBe('-ERR No such message');
    // Message numbers stay fixed for the session: 3 is still the third message.
    expect(await c.cmd('RETR 3', true)).toContain('body 3');
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    const events: MailboxChange[] = [];
    const unsubscribe = pop.ctx.get(MailEventsService).subscribe((e) => events.push(e));
    expect(await c.cmd('QUIT')).toMatch(/^\+OK .*\(2 messages deleted\)$/);
    unsubscribe();
    expect(await subjects(a)).toEqual(['m3']);
    expect(events).toEqual([expect.objectContaining({ accountId: a.id, mailboxId: a.inboxId, kind: 'expunge', uids: [1] })]);
  });

  it('UPDATE removes only the INBOX copy: a copy of the same message in Archive keeps its bytes', async () => {
    const a = await account(0);
    const archiveId = (await t.store.listMailboxes(a.id)).find((b) => b.specialUse === 'archive')!.id;
    const raw = Buffer.from('Subject: both\r\n\r\nshared blob\r\n');
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: a.id, mailbox: { specialUse: 'inbox' } }, { accountId: a.id, mailbox: { id: archiveId } }],
      envelopeFrom: 'x@example.org',
    });
    const c = await connect(a.user);
    expect(await c.cmd('PASS pw-password')).toBe(`+OK Maildrop has 1 messages (${raw.length} octets)`);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/\(1 messages deleted\)$/);
    expect(await subjects(a)).toEqual([]);
    const [archived] = await t.store.listMessages(a.id, archiveId, 10);
    expect((await t.store.getRaw(a.id, archived!.id)).raw).toEqual(raw);
  });

  it('database down at QUIT: -ERR [SYS/TEMP], nothing removed, the maildrop is free again', async () => {
    const a = await account();
    const c = await connect(a.user);
    expect(await c.cmd('PASS pw-password')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 3')).toMatch(/^\+OK/);
    await cutDatabase();
    try {
      expect(await c.cmd('QUIT')).toBe('-ERR [SYS/TEMP] Some deleted messages not removed, try again later');
      await c.waitClosed();
    } finally {
      await t.dbProxy!.restore();
    }
    expect(await subjects(a)).toEqual(['m1', 'm2', 'm3']);
    const d = await connect(a.user);
    expect(await d.cmd('PASS pw-password')).toMatch(/^\+OK Maildrop has 3 messages/);
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('database down at login: -ERR [SYS/TEMP], and a login works once it is back', async () => {
    const a = await account(1);
    const c = await connect(a.user);
    await cutDatabase();
    try {
      expect(await c.cmd('PASS pw-password')).toMatch(/^-ERR \[SYS\/TEMP\] /);
    } finally {
      await t.dbProxy!.restore();
    }
    expect(await c.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
    expect(await c.cmd('PASS pw-password')).toBe(`+OK Maildrop has 1 messages (${'Subject: m1\r\n\r\nbody 1\r\n'.length} octets)`);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});
