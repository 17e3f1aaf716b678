import { summarizeMessage } from '@correio/mime';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// A real client (imapflow) syncing a mailbox the way desktop clients do: SELECT with CONDSTORE /
// QRESYNC, FETCH 1:* of flags and envelopes, flag changes, search, copy, move, delete, append,
// and a second client hearing of the first one's changes while idling.

type Imap = Awaited<ReturnType<typeof startImap>>;

/** imapflow answers `false` for a failed command. */
function must<T>(value: T | false | undefined): T {
  if (!value) throw new Error('imapflow command failed');
  return value;
}

describe('imapflow against the selected-state commands', () => {
  let t: TestApp;
  let imap: Imap;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  const client = (user: string) =>
    new ImapFlow({
      host: '127.0.0.1',
      port: imap.ports.plain,
      secure: false,
      auth: { user, pass: 'joel-password' },
      logger: false,
      qresync: true,
      tls: { rejectUnauthorized: false },
    });

  it('syncs, changes flags, searches, copies, moves, deletes and appends', async () => {
    const user = 'sync@ifsc.edu';
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    for (let i = 1; i <= 5; i++) {
      const raw = Buffer.from(
        `From: Bruna <bruna@paulolopes.fr>\r\nTo: ${user}\r\nSubject: message ${i}\r\nMessage-ID: <${i}@p>\r\n\r\ntexto ${i}\r\n`,
      );
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'bruna@paulolopes.fr',
      });
    }
    const c = client(user);
    await c.connect();
    const lock = await c.getMailboxLock('INBOX');
    try {
      const box = must(c.mailbox);
      expect(box.exists).toBe(5);
      expect(typeof box.highestModseq).toBe('bigint');
      const subjects: string[] = [];
      for await (const msg of c.fetch('1:*', { uid: true, flags: true, envelope: true, internalDate: true, size: true }))
        subjects.push(msg.envelope?.subject ?? '');
      expect(subjects).toEqual(['message 1', 'message 2', 'message 3', 'message 4', 'message 5']);

      expect(await c.messageFlagsAdd('2:3', ['\\Seen', '$Important'])).toBe(true);
      expect(await c.search({ seen: true })).toEqual([2, 3]);
      expect(await c.search({ keyword: '$Important', body: 'texto 3' }, { uid: true })).toEqual([3]);

      const copied = await c.messageCopy('1', 'Archive');
      expect(must(copied).uidMap?.get(1)).toBe(1);
      const moved = await c.messageMove('4', 'Trash');
      expect(must(moved).uidMap?.size).toBe(1);
      expect(await c.messageDelete('1')).toBe(true);
      expect(must(c.mailbox).exists).toBe(3);

      const appended = await c.append('INBOX', 'Subject: appended\r\n\r\nhi\r\n', ['\\Draft']);
      expect(must(appended).uid).toBe(6);
      const flags: string[][] = [];
      for await (const msg of c.fetch('1:*', { flags: true })) flags.push([...(msg.flags ?? [])].sort());
      expect(flags).toEqual([['$Important', '\\Seen'], ['$Important', '\\Seen'], [], ['\\Draft']]);
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('a second client idling hears of new mail, flag changes and expunges', async () => {
    const user = 'idle@ifsc.edu';
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    const deliver = async (n: number) => {
      const raw = Buffer.from(`Subject: m${n}\r\n\r\nhello\r\n`);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'x@y.z',
      });
    };
    await deliver(1);
    const watcher = client(user);
    const actor = client(user);
    await watcher.connect();
    await actor.connect();
    await watcher.mailboxOpen('INBOX');
    await actor.mailboxOpen('INBOX');
    const events: string[] = [];
    watcher.on('exists', (e) => events.push(`exists ${e.count}`));
    watcher.on('flags', (e) => events.push(`flags ${e.uid} ${[...e.flags].join(' ')}`));
    watcher.on('expunge', (e) => events.push(`expunge ${e.uid ?? e.seq}`));
    const idle = watcher.idle();
    const until = async (text: string) => {
      for (let i = 0; i < 100 && !events.includes(text); i++) await new Promise((r) => setTimeout(r, 30));
      expect(events).toContain(text);
    };
    await deliver(2);
    await until('exists 2');
    await actor.messageFlagsAdd('1', ['\\Flagged']);
    await until('flags 1 \\Flagged');
    await actor.messageDelete('1');
    // Under QRESYNC the watcher hears VANISHED, i.e. the UID.
    await until('expunge 1');
    await actor.logout();
    await watcher.logout();
    await idle.catch(() => {});
  });
});
