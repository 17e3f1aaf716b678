import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// Two connections on one mailbox, each seeing the other's changes at the moments the RFC allows:
// EXISTS after a delivery, EXPUNGE after another session's EXPUNGE (never during FETCH, STORE or
// SEARCH, RFC 9051 §7.5.1), FETCH FLAGS after another's STORE (never twice for one's own), VANISHED
// under QRESYNC (RFC 7162 §3.2.10) and SELECT ... (QRESYNC ...) catching up (§3.2.5).

type Imap = Awaited<ReturnType<typeof startImap>>;

describe('IMAP updates between sessions', () => {
  let t: TestApp;
  let imap: Imap;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function deliver(accountId: string, subject: string): Promise<void> {
    const raw = Buffer.from(`From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: ${subject}\r\n\r\nOlá\r\n`);
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: 'bruna@paulolopes.fr',
    });
  }

  async function account(count: number): Promise<{ id: string; user: string }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    for (let i = 1; i <= count; i++) await deliver(id, `m${i}`);
    return { id, user };
  }

  async function selected(user: string, setup: string[] = []): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd(`L LOGIN ${user} joel-password`)).at(-1)).toMatch(/^L OK /);
    for (const [i, line] of setup.entries()) expect((await c.cmd(`p${i} ${line}`)).at(-1)).toMatch(/^p\d+ OK /);
    expect((await c.cmd('S SELECT INBOX')).at(-1)).toMatch(/^S OK /);
    return c;
  }

  /** The bus may cross PostgreSQL (LISTEN/NOTIFY): NOOP until the update shows, for up to 3 s. */
  async function noopUntil(c: ImapWire, isDone: (lines: string[]) => boolean): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      const lines = await c.cmd(`w${i} NOOP`);
      seen.push(...lines.slice(0, -1));
      if (isDone(seen)) return seen;
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  }

  it('EXISTS after a delivery, at the next command', async () => {
    const a = await account(1);
    const c = await selected(a.user);
    await deliver(a.id, 'new');
    expect(await noopUntil(c, (l) => l.length > 0)).toEqual(['* 2 EXISTS']);
    expect(await c.cmd('f FETCH 2 (UID ENVELOPE)')).toEqual([
      expect.stringMatching(/^\* 2 FETCH \(UID 2 ENVELOPE \(NIL "new" /),
      'f OK FETCH completed',
    ]);
    await c.cmd('z LOGOUT');
  });

  it("another session's EXPUNGE: not during FETCH, STORE or SEARCH; at NOOP, in descending order", async () => {
    const a = await account(4);
    const isExpunge = (l: string) => /^\* \d+ EXPUNGE$/.test(l);
    const c1 = await selected(a.user);
    const c2 = await selected(a.user);
    await c2.cmd('d STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    expect(await c2.cmd('e EXPUNGE')).toEqual(['* 4 EXPUNGE', '* 2 EXPUNGE', 'e OK EXPUNGE completed']);
    // Wait until c1 has heard of it (its FLAGS updates come first: \Deleted was set before).
    await new Promise((r) => setTimeout(r, 300));
    const fetched = await c1.cmd('f FETCH 1:4 UID');
    expect(fetched.filter(isExpunge)).toEqual([]);
    // The expunged messages keep their numbers (and are skipped) until the EXPUNGE may be sent.
    expect(fetched.filter((l) => /^\* \d FETCH \(UID \d\)$/.test(l))).toEqual(['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)']);
    // RFC 5530 EXPUNGEISSUED: the FETCH says some of what it was asked for is gone.
    expect(fetched.at(-1)).toBe('f OK [EXPUNGEISSUED] Some messages were expunged by another session');
    expect(await c1.cmd('g FETCH 2 UID')).toEqual(['g NO [EXPUNGEISSUED] Some messages were expunged by another session']);
    expect((await c1.cmd('s STORE 3 +FLAGS (\\Seen)')).filter(isExpunge)).toEqual([]);
    expect((await c1.cmd('q SEARCH ALL')).filter(isExpunge)).toEqual([]);
    const noop = await noopUntil(c1, (l) => l.some(isExpunge));
    expect(noop.filter(isExpunge)).toEqual(['* 4 EXPUNGE', '* 2 EXPUNGE']);
    expect(await c1.cmd('g FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)', 'g OK FETCH completed']);
    await c1.cmd('z LOGOUT');
    await c2.cmd('z LOGOUT');
  });

  it("another session's STORE arrives as FETCH FLAGS (with UID and MODSEQ under CONDSTORE); one's own is not repeated", async () => {
    const a = await account(2);
    const c1 = await selected(a.user, ['ENABLE CONDSTORE']);
    const c2 = await selected(a.user);
    expect(await c2.cmd('s STORE 2 +FLAGS (\\Flagged)')).toEqual(['* 2 FETCH (FLAGS (\\Flagged))', 's OK STORE completed']);
    expect(await noopUntil(c1, (l) => l.length > 0)).toEqual([
      expect.stringMatching(/^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/),
    ]);
    // c2 already reported its own change: nothing more for it.
    await new Promise((r) => setTimeout(r, 200));
    expect(await c2.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
    // A body FETCH that sets \Seen reports it once, to its own session; the other hears it as an update.
    expect(await c2.cmd('b FETCH 1 BODY[TEXT]')).toEqual(['* 1 FETCH (BODY[TEXT] {6}\nOlá\r\n FLAGS (\\Seen))', 'b OK FETCH completed']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await c2.cmd('n2 NOOP')).toEqual(['n2 OK NOOP completed']);
    expect(await noopUntil(c1, (l) => l.length > 0)).toEqual([
      expect.stringMatching(/^\* 1 FETCH \(UID 1 FLAGS \(\\Seen\) MODSEQ \(\d+\)\)$/),
    ]);
    await c1.cmd('z LOGOUT');
    await c2.cmd('z LOGOUT');
  });

  it('QRESYNC: VANISHED instead of EXPUNGE, and SELECT (QRESYNC ...) reports what changed since a modseq', async () => {
    const a = await account(5);
    const c1 = await selected(a.user, ['ENABLE QRESYNC']);
    const c2 = await selected(a.user);
    const before = await c1.cmd('m FETCH 1:* (MODSEQ)');
    let modseq = 0n;
    for (const line of before.slice(0, -1)) {
      const m = BigInt(/MODSEQ \((\d+)\)/.exec(line)![1]!);
      if (m > modseq) modseq = m;
    }
    const uidValidity = /UIDVALIDITY (\d+)/.exec((await c2.cmd('x EXAMINE INBOX')).join('\n'))![1];
    await c2.cmd('y SELECT INBOX');
    await c2.cmd('d STORE 2:3 +FLAGS.SILENT (\\Deleted)');
    await c2.cmd('e EXPUNGE');
    expect((await c2.cmd('f UID STORE 5 +FLAGS.SILENT (\\Answered)')).at(-1)).toBe('f OK STORE completed');
    // Held back after FETCH (RFC 9051 §7.5.1), the expunge is covered by a HIGHESTMODSEQ below it
    // (RFC 7162 §3.2): a client that drops now and resyncs from there still learns of it.
    await new Promise((r) => setTimeout(r, 300));
    const held = await c1.cmd('h FETCH 1:* (FLAGS)');
    const answered = held.find((l) => l.includes('Answered'));
    expect(answered).toMatch(/^\* 5 FETCH \(UID 5 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)$/);
    const lowered = held.find((l) => l.includes('Expunges pending'));
    expect(lowered).toMatch(/^\* OK \[HIGHESTMODSEQ \d+\] Expunges pending$/);
    expect(BigInt(/HIGHESTMODSEQ (\d+)/.exec(lowered!)![1]!)).toBeLessThan(BigInt(/MODSEQ \((\d+)\)/.exec(answered!)![1]!));
    expect(held.filter((l) => l.startsWith('* VANISHED'))).toEqual([]);
    const updates = await noopUntil(c1, (l) => l.some((x) => x.startsWith('* VANISHED')));
    expect(updates.filter((l) => l.startsWith('* VANISHED'))).toEqual(['* VANISHED 2:3']);
    // RFC 7162 §3.2.5: a client that was away resynchronises with its last UIDVALIDITY and modseq.
    const c3 = await ImapWire.connect(imap.ports.plain);
    await c3.line();
    await c3.cmd(`L LOGIN ${a.user} joel-password`);
    await c3.cmd('E ENABLE QRESYNC');
    const resync = await c3.cmd(`S SELECT INBOX (QRESYNC (${uidValidity} ${modseq} 1:5))`);
    expect(resync).toContain('* VANISHED (EARLIER) 2:3');
    expect(resync.filter((l) => / FETCH /.test(l))).toEqual([
      expect.stringMatching(/^\* 3 FETCH \(UID 5 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)$/),
    ]);
    expect(resync.indexOf('* VANISHED (EARLIER) 2:3')).toBeLessThan(resync.findIndex((l) => / FETCH /.test(l)));
    // UID FETCH ... (CHANGEDSINCE m VANISHED): the same answer for a set (RFC 7162 §3.2.6).
    const changed = await c3.cmd(`F UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq} VANISHED)`);
    expect(changed).toEqual([
      '* VANISHED (EARLIER) 2:3',
      expect.stringMatching(/^\* 3 FETCH \(UID 5 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)$/),
      'F OK UID FETCH completed',
    ]);
    // QRESYNC: EXPUNGE and CLOSE tell the new HIGHESTMODSEQ (RFC 7162 §3.2.10).
    await c3.cmd('D UID STORE 5 +FLAGS.SILENT (\\Deleted)');
    expect(await c3.cmd('X EXPUNGE')).toEqual(['* VANISHED 5', expect.stringMatching(/^X OK \[HIGHESTMODSEQ \d+\] EXPUNGE completed$/)]);
    expect(await c3.cmd('C CLOSE')).toEqual([expect.stringMatching(/^C OK \[HIGHESTMODSEQ \d+\] CLOSE completed$/)]);
    for (const c of [c1, c2, c3]) await c.cmd('z LOGOUT');
  });

  it('during IDLE the other session’s changes arrive at once', async () => {
    const a = await account(1);
    const c1 = await selected(a.user);
    const c2 = await selected(a.user);
    c1.send('i IDLE\r\n');
    expect(await c1.line()).toMatch(/^\+ /);
    await c2.cmd('s STORE 1 +FLAGS (\\Flagged)');
    expect(await c1.line()).toBe('* 1 FETCH (UID 1 FLAGS (\\Flagged))');
    await deliver(a.id, 'during idle');
    expect(await c1.line()).toBe('* 2 EXISTS');
    c1.send('DONE\r\n');
    expect(await c1.line()).toBe('i OK IDLE terminated');
    await c1.cmd('z LOGOUT');
    await c2.cmd('z LOGOUT');
  });
});
