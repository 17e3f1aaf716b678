import { ImapWire } from '@correio/testing';
import { MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// FETCH's fast path (fetchLines: response text built by PostgreSQL from the row and the kept wire
// forms) must answer byte for byte what the general path (value tree + encoder) answers, in both
// string modes (RFC 6855: 8-bit strings quoted only after UTF8=ACCEPT), and structures kept before
// the wire forms existed must be filled in and keep working.

type Imap = Awaited<ReturnType<typeof startImap>>;

const MESSAGES = [
  'From: Bruna <bruna@paulolopes.fr>\r\nTo: joel@ifsc.edu, "Ana \\"A\\" Souza" <ana@ifsc.edu>\r\nSubject: plain ascii\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <a1@paulolopes.fr>\r\n\r\nhello\r\n',
  // 8-bit UTF-8 in the subject and a display name: a literal before UTF8=ACCEPT, quoted after.
  'From: Joël Ñandú <joel@ifsc.edu>\r\nTo: bruna@paulolopes.fr\r\nSubject: Olá, São Paulo — café\r\nDate: Tue, 8 Dec 2026 01:30:00 +0900\r\nIn-Reply-To: <a1@paulolopes.fr>\r\n\r\nOlá\r\n',
  'From: =?utf-8?q?Jo=C3=ABl?= <joel@ifsc.edu>\r\nSubject: =?utf-8?b?w7MgbMOh?=\r\nCc: group: a@b.c, d@e.f;\r\n\r\nx\r\n',
  `From: a@b.c\r\nSubject: ${'long '.repeat(120)}\r\n\r\nlong subject (a literal in both modes)\r\n`,
  [
    'From: a@b.c',
    'Subject: multipart',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Olá',
    '--b',
    'Content-Type: application/pdf; name="relatório.pdf"',
    'Content-Disposition: attachment; filename="relatório.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'AAEC',
    '--b--',
    '',
  ].join('\r\n'),
  'Subject: no from, no date\r\n\r\nbody\r\n',
];

const ITEMS = '(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY BODYSTRUCTURE)';

describe('IMAP FETCH fast path (kept wire forms)', () => {
  let t: TestApp;
  let imap: Imap;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
    ({ id: accountId } = await t.directory.addAccount({ address: 'lines@ifsc.edu', password: 'joel-password' }));
    for (const r of MESSAGES) {
      const raw = Buffer.from(r);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'bruna@paulolopes.fr',
        keepImapEnvelope: true, // as APPEND stores (checked over the wire below)
      });
    }
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function session(enable?: string): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd('L LOGIN lines@ifsc.edu joel-password')).at(-1)).toMatch(/^L OK /);
    if (enable) expect((await c.cmd(`E ENABLE ${enable}`)).at(-1)).toMatch(/^E OK /);
    expect((await c.cmd('S SELECT INBOX')).at(-1)).toMatch(/^S OK /);
    return c;
  }

  const kept = async () =>
    (
      await t.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages m JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id
          WHERE m.account_id = $1 AND m.envelope_imap IS NOT NULL AND s.body_imap IS NOT NULL AND s.bodystructure_imap IS NOT NULL`,
        [accountId],
      )
    ).rows[0]!.n;
  // As rows kept before the wire columns existed (or by an older MESSAGE_STRUCTURE_VERSION).
  const forget = async () => {
    await t.db.pool.query(
      `UPDATE message_structures SET body_imap = NULL, body_imap_utf8 = NULL, bodystructure_imap = NULL, bodystructure_imap_utf8 = NULL
        WHERE account_id = $1`,
      [accountId],
    );
    await t.db.pool.query('UPDATE messages SET envelope_imap = NULL, envelope_imap_utf8 = NULL WHERE account_id = $1 AND uid % 2 = 0', [
      accountId,
    ]);
    await t.db.pool.query('UPDATE messages SET envelope_imap_version = 0 WHERE account_id = $1 AND uid % 2 = 1', [accountId]);
  };

  it('keeps the ENVELOPE text from delivery: the first FETCH serves it without rewriting a row, as the general path would', async () => {
    const rows = async () =>
      (
        await t.db.pool.query<{ uid: number; xmin: string; e: string | null; eu: string | null; v: number | null }>(
          `SELECT uid, xmin::text AS xmin, envelope_imap AS e, envelope_imap_utf8 AS eu, envelope_imap_version AS v
             FROM messages WHERE account_id = $1 ORDER BY uid`,
          [accountId],
        )
      ).rows;
    const delivered = await rows();
    expect(delivered).toHaveLength(MESSAGES.length);
    expect(delivered.every((r) => r.e !== null && r.v === MESSAGE_STRUCTURE_VERSION)).toBe(true);
    const c = await session('UTF8=ACCEPT');
    const fast = await c.cmd('a UID FETCH 1:* (FLAGS ENVELOPE)');
    expect(fast).toHaveLength(MESSAGES.length + 1);
    // No UPDATE of the rows (their xmin would change): the first full sync only reads.
    expect((await rows()).map((r) => r.xmin)).toEqual(delivered.map((r) => r.xmin));
    // The general path (forms forgotten) computes them from the message and gives the same text.
    await t.db.pool.query('UPDATE messages SET envelope_imap = NULL, envelope_imap_utf8 = NULL, envelope_imap_version = NULL WHERE account_id = $1', [accountId]);
    expect(await c.cmd('a UID FETCH 1:* (FLAGS ENVELOPE)')).toEqual(fast);
    expect((await rows()).map(({ e, eu, v }) => ({ e, eu, v }))).toEqual(delivered.map(({ e, eu, v }) => ({ e, eu, v })));
    await c.cmd('z LOGOUT');
  });

  it('APPEND keeps the ENVELOPE text; a delivery without keepImapEnvelope (the MX) leaves it to the first FETCH', async () => {
    const { id: other } = await t.directory.addAccount({ address: 'append@ifsc.edu', password: 'joel-password' });
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd('L LOGIN append@ifsc.edu joel-password')).at(-1)).toMatch(/^L OK /);
    const msg = 'From: a@b.c\r\nSubject: appended\r\n\r\nx\r\n';
    expect((await c.cmd(`p APPEND INBOX {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^p OK \[APPENDUID \d+ 1\] /);
    const raw = Buffer.from('From: a@b.c\r\nSubject: delivered\r\n\r\nx\r\n');
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: other, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'a@b.c' });
    const { rows } = await t.db.pool.query<{ kept: boolean }>('SELECT envelope_imap IS NOT NULL AS kept FROM messages WHERE account_id = $1 ORDER BY uid', [other]);
    expect(rows.map((r) => r.kept)).toEqual([true, false]);
    await c.cmd('z LOGOUT');
  });

  it('answers the same bytes as the general path, before and after UTF8=ACCEPT, and fills in forms kept without them', async () => {
    const plain = await session();
    await plain.cmd('k STORE 1,3 +FLAGS ($Label1 \\Flagged)');
    await plain.cmd('k STORE 2 +FLAGS (\\Seen \\Answered \\Draft \\Deleted)');
    const slow = await plain.cmd(`a UID FETCH 1:* ${ITEMS}`);
    expect(slow.at(-1)).toBe('a OK UID FETCH completed');
    expect(slow.filter((l) => l.startsWith('* '))).toHaveLength(MESSAGES.length);
    expect(await kept()).toBe(MESSAGES.length);
    // Kept now: the fast path must give the very same lines.
    expect(await plain.cmd(`a UID FETCH 1:* ${ITEMS}`)).toEqual(slow);
    // Without UTF8=ACCEPT the 8-bit subject is a literal (RFC 6855 §3).
    expect(slow.find((l) => l.startsWith('* 2 FETCH'))).toMatch(/ENVELOPE \("Tue, 8 Dec 2026 01:30:00 \+0900" \{\d+\}\nOlá, São Paulo/);

    const utf8 = await session('UTF8=ACCEPT');
    const fast8 = await utf8.cmd(`a UID FETCH 1:* ${ITEMS}`);
    expect(fast8.find((l) => l.startsWith('* 2 FETCH'))).toContain('ENVELOPE ("Tue, 8 Dec 2026 01:30:00 +0900" "Olá, São Paulo — café"');
    await forget();
    expect(await utf8.cmd(`a UID FETCH 1:* ${ITEMS}`)).toEqual(fast8); // general path, fills the forms in
    expect(await kept()).toBe(MESSAGES.length);
    expect(await utf8.cmd(`a UID FETCH 1:* ${ITEMS}`)).toEqual(fast8);
    expect(await plain.cmd(`a UID FETCH 1:* ${ITEMS}`)).toEqual(slow);

    // CONDSTORE: MODSEQ last; CHANGEDSINCE leaves out what did not change; keywords announced first.
    const before = await plain.cmd('b FETCH 1:* (FLAGS) (CHANGEDSINCE 1)');
    await forget();
    const generalCs = await plain.cmd('c FETCH 1:* (ENVELOPE FLAGS MODSEQ)');
    const fastCs = await plain.cmd('c FETCH 1:* (ENVELOPE FLAGS MODSEQ)');
    expect(fastCs).toEqual(generalCs);
    expect(fastCs[0]).toMatch(/^\* 1 FETCH \(UID 1 ENVELOPE .* FLAGS \(\\Flagged \$Label1\) MODSEQ \(\d+\)\)$/);
    const modseq = Math.max(...before.map((l) => Number(/MODSEQ \((\d+)\)/.exec(l)?.[1] ?? 0)));
    await plain.cmd('d STORE 3 +FLAGS.SILENT (\\Seen)');
    const changed = await plain.cmd(`e UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq})`);
    expect(changed).toEqual([
      expect.stringMatching(/^\* 3 FETCH \(UID 3 FLAGS \(\\Seen \\Flagged \$Label1\) MODSEQ \(\d+\)\)$/),
      'e OK UID FETCH completed',
    ]);

    // A keyword first seen by this session is announced (FLAGS) before the FETCH showing it.
    const other = await session();
    await plain.cmd('f STORE 4 +FLAGS ($Fresh)');
    const seenFresh = await other.cmd('g FETCH 4 (FLAGS)');
    expect(seenFresh[0]).toMatch(/^\* FLAGS \(.*\$Fresh/);
    expect(seenFresh).toContain('* 4 FETCH (FLAGS ($Fresh))');
    for (const c of [plain, utf8, other]) await c.cmd('z LOGOUT');
  });

  it('BODY.PEEK[] by the body path: the stored bytes, items around them, large messages streamed, flags untouched', async () => {
    const big = `From: a@b.c\r\nSubject: big\r\n\r\n${'0123456789abcdef\r\n'.repeat(70_000)}`; // > 1 MiB: streamed
    const raw = Buffer.from(big);
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: 'a@b.c',
    });
    const c = await session();
    const all = [...MESSAGES, big];
    const lines = await c.cmd('b UID FETCH 1:* (BODY.PEEK[])');
    expect(lines.at(-1)).toBe('b OK UID FETCH completed');
    expect(lines.slice(0, -1)).toEqual(all.map((m, i) => `* ${i + 1} FETCH (UID ${i + 1} BODY[] {${Buffer.byteLength(m)}}\n${m})`));
    // Items before and after the body (ENVELOPE from the kept text); MODSEQ enables CONDSTORE: UID first, MODSEQ last.
    const env = await c.cmd('e FETCH 2 (ENVELOPE)');
    const withItems = await c.cmd('f FETCH 2 (RFC822.SIZE BODY.PEEK[] ENVELOPE MODSEQ)');
    const envelope = env[0]!.replace(/^\* 2 FETCH \(/, '').replace(/ MODSEQ \(\d+\)\)$|\)$/, '');
    expect(withItems[0]).toBe(
      `* 2 FETCH (UID 2 RFC822.SIZE ${Buffer.byteLength(all[1]!)} BODY[] {${Buffer.byteLength(all[1]!)}}\n${all[1]} ${envelope} MODSEQ (${/MODSEQ \((\d+)\)/.exec(withItems[0]!)![1]}))`,
    );
    expect(await c.cmd('g FETCH 1:* (FLAGS)')).not.toContain(expect.stringContaining('\\Seen'));
    await c.cmd('z LOGOUT');
  });

  // Up to 8 messages the bodies come from a named statement (hex text), more from a binary COPY:
  // both paths answer the same bytes, 8-bit ones included.
  it('BODY.PEEK[] of a few messages and of many answers the same bytes either way', async () => {
    const more = Array.from({ length: 12 }, (_, i) => `From: n${i}@b.c\r\nSubject: n${i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nol\u00e1 ${'\u00e7'.repeat(i)} \u20ac\r\n`);
    for (const m of more) {
      const raw = Buffer.from(m);
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'a@b.c' });
    }
    const c = await session();
    const all = (await c.cmd('h UID FETCH 1:* (BODY.PEEK[])')).slice(0, -1);
    expect(all.length).toBeGreaterThan(8);
    const last12 = all.slice(-12);
    const few = (await c.cmd(`i UID FETCH ${all.length - 11}:${all.length - 8} (BODY.PEEK[])`)).slice(0, -1);
    expect(few).toEqual(last12.slice(0, 4));
    expect(last12.map((l) => l.replace(/^\* \d+ FETCH \(UID \d+ BODY\[\] \{\d+\}\n/, '').replace(/\)$/, ''))).toEqual(more);
    await c.cmd('z LOGOUT');
  });
});
