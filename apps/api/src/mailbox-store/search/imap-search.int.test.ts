import type { SearchKey } from '@correio/imap-protocol';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../testing/test-app.js';
import { ImapStoreService } from '../imap-store.service.js';
import { MessageTextIndexer } from './message-text.indexer.js';

// SEARCH (RFC 9051 §6.4.4) compiled to SQL: every key, against messages stored by the delivery path
// (their search text written by the delivery statement) and by APPEND.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const mail = (headers: string, body: string) => crlf(`${headers.trim()}\n\n${body}\n`);

const MESSAGES = [
  // uid 1: plain text, a word inside another, LIKE's own characters
  mail(
    'From: Ana Souza <ana@paulolopes.fr>\nTo: joel@ifsc.edu\nSubject: Relatório mensal\nDate: Mon, 1 Dec 2025 10:00:00 +0000',
    'O orçamento subiu 15% no_trimestre.\nAbraços',
  ),
  // uid 2: quoted-printable body, RFC 2047 subject, an extra header
  mail(
    'From: "Bruna" <bruna@paulolopes.fr>\nTo: Joel <joel@ifsc.edu>\nCc: carla@ifsc.edu\nSubject: =?UTF-8?Q?Reuni=C3=A3o_de_amanh=C3=A3?=\nX-Priority: 1\nDate: Tue, 2 Dec 2025 10:00:00 +0000\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable',
    'A reuni=C3=A3o ser=C3=A1 na sala 42.',
  ),
  // uid 3: HTML only, base64
  mail(
    'From: news@example.org\nTo: joel@ifsc.edu\nSubject: Newsletter\nDate: Wed, 3 Dec 2025 10:00:00 +0000\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64',
    Buffer.from('<html><body><p>Promo&ccedil;&atilde;o <b>imperdível</b> de inverno</p></body></html>').toString('base64'),
  ),
  // uid 4: multipart with an attachment; no Date header
  mail(
    'From: carla@ifsc.edu\nTo: joel@ifsc.edu\nSubject: Fotos\nContent-Type: multipart/mixed; boundary="b1"',
    '--b1\nContent-Type: text/plain\n\nSeguem as fotos da viagem.\n--b1\nContent-Type: image/png; name="a.png"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b1--',
  ),
];

describe('IMAP SEARCH', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  let a: string;
  let inbox: string;
  let search: (key: SearchKey, scope?: number[]) => Promise<number[]>;

  beforeAll(async () => {
    // No imap/http role: the message text indexer runs only when a test says so (indexAll), so the
    // first tests search the rows still pending and the later ones the indexed rows.
    t = await startTestApp({ CORREIO_ROLES: 'smtp' });
    imap = t.app.get(ImapStoreService);
    a = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    for (const [i, raw] of MESSAGES.entries()) {
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: inbox } }],
        envelopeFrom: 'x@example.org',
        internalDate: new Date(`2025-12-0${i + 1}T23:30:00Z`),
      });
    }
    // uid 5: appended, with flags and a keyword
    await imap.append(
      a,
      inbox,
      mail('From: joel@ifsc.edu\nSubject: Rascunho', 'texto do rascunho'),
      ['\\Draft', '\\Flagged', '$Todo'],
      new Date('2025-12-10T12:00:00Z'),
    );
    await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1, 2], op: 'add', flags: ['\\Seen'] });
    search = (key, scope) => imap.search(a, inbox, key, scope);
  });
  afterAll(() => t?.close());

  const text = (value: string): SearchKey => ({ type: 'text', value });
  const body = (value: string): SearchKey => ({ type: 'body', value });
  const header = (field: string, value: string): SearchKey => ({ type: 'header', field, value });

  for (const phase of ['pending', 'indexed'] as const) {
    describe(`text keys, rows ${phase}`, () => {
      beforeAll(async () => {
        const where = phase === 'pending' ? 'message_text_pending' : 'message_text';
        if (phase === 'indexed') await t.app.get(MessageTextIndexer).indexAll();
        expect((await t.db.pool.query(`SELECT 1 FROM ${where} WHERE account_id = $1`, [a])).rowCount).toBe(5);
      });

      it('TEXT and BODY: case-insensitive substrings of the decoded text (plain, quoted-printable, HTML in base64, multipart)', async () => {
        expect(await search(text('ORÇAMENTO'))).toEqual([1]);
        expect(await search(text('çament'))).toEqual([1]);
        expect(await search(text('reunião será'))).toEqual([2]);
        expect(await search(text('imperdível de inverno'))).toEqual([3]);
        expect(await search(text('fotos da viagem'))).toEqual([4]);
        expect(await search(text('rascunho'))).toEqual([5]);
        // TEXT includes the header; BODY does not.
        expect(await search(text('paulolopes.fr'))).toEqual([1, 2]);
        expect(await search(body('paulolopes.fr'))).toEqual([]);
        expect(await search(body('sala 42'))).toEqual([2]);
        // LIKE's own characters are literal.
        expect(await search(text('15%'))).toEqual([1]);
        expect(await search(text('no_tri'))).toEqual([1]);
        expect(await search(text('15%x'))).toEqual([]);
        expect(await search(text('o_t'))).toEqual([1]);
        expect(await search(text('a%b'))).toEqual([]);
        expect(await search(text('x'))).toEqual(expect.any(Array));
      });

      it('header keys: SUBJECT (decoded), FROM, TO, CC, any field, a field that is present', async () => {
        expect(await search(header('SUBJECT', 'reunião'))).toEqual([2]);
        expect(await search(header('subject', 'MENSAL'))).toEqual([1]);
        expect(await search(header('FROM', 'bruna'))).toEqual([2]);
        expect(await search(header('FROM', 'ana souza'))).toEqual([1]);
        expect(await search(header('TO', 'joel@ifsc'))).toEqual([1, 2, 3, 4]);
        expect(await search(header('CC', 'carla'))).toEqual([2]);
        // A value in another field does not match the one named.
        expect(await search(header('CC', 'bruna'))).toEqual([]);
        expect(await search(header('X-Priority', '1'))).toEqual([2]);
        expect(await search(header('X-Priority', ''))).toEqual([2]);
        expect(await search(header('Date', ''))).toEqual([1, 2, 3]);
      });
    });
  }

  it('flags, keywords, NEW/OLD/RECENT, NOT, OR, AND', async () => {
    expect(await search({ type: 'flag', flag: '\\Seen', isSet: true })).toEqual([1, 2]);
    expect(await search({ type: 'flag', flag: '\\Seen', isSet: false })).toEqual([3, 4, 5]);
    expect(await search({ type: 'flag', flag: '\\Draft', isSet: true })).toEqual([5]);
    expect(await search({ type: 'keyword', keyword: '$todo', isSet: true })).toEqual([5]);
    expect(await search({ type: 'keyword', keyword: '$Todo', isSet: false })).toEqual([1, 2, 3, 4]);
    expect(await search({ type: 'flag', flag: '\\Recent', isSet: true })).toEqual([]);
    expect(await search({ type: 'new' })).toEqual([]);
    expect(await search({ type: 'old' })).toEqual([1, 2, 3, 4, 5]);
    expect(await search({ type: 'not', key: text('paulolopes') })).toEqual([3, 4, 5]);
    expect(await search({ type: 'or', left: text('fotos'), right: { type: 'flag', flag: '\\Flagged', isSet: true } })).toEqual([4, 5]);
    expect(await search({ type: 'and', keys: [text('ifsc.edu'), { type: 'flag', flag: '\\Seen', isSet: false }] })).toEqual([3, 4, 5]);
    expect(await search({ type: 'and', keys: [] })).toEqual([1, 2, 3, 4, 5]);
    expect(await search({ type: 'all' }, [2, 4, 99])).toEqual([2, 4]);
    expect(await search({ type: 'all' }, [])).toEqual([]);
  });

  it('UID sets, with * the highest UID even past it (RFC 9051 §6.4.8)', async () => {
    const uid = (...ranges: [number | '*', number | '*'][]): SearchKey => ({
      type: 'uid',
      set: { kind: 'ranges', ranges: ranges.map(([start, end]) => ({ start, end })) },
    });
    expect(await search(uid([2, 3]))).toEqual([2, 3]);
    expect(await search(uid([4, '*']))).toEqual([4, 5]);
    expect(await search(uid([99, '*']))).toEqual([5]);
    expect(await search(uid(['*', '*'], [1, 1]))).toEqual([1, 5]);
    expect(await search(uid([3, 1]))).toEqual([1, 2, 3]);
    expect(await search({ type: 'not', key: uid([1, 4]) })).toEqual([5]);
  });

  it('dates (internal and sent, UTC days), WITHIN, sizes, MODSEQ', async () => {
    const date = (field: 'internal' | 'sent', op: 'before' | 'on' | 'since', d: string): SearchKey => ({
      type: 'date',
      field,
      op,
      date: d,
    });
    expect(await search(date('internal', 'on', '2025-12-02'))).toEqual([2]);
    expect(await search(date('internal', 'before', '2025-12-03'))).toEqual([1, 2]);
    expect(await search(date('internal', 'since', '2025-12-03'))).toEqual([3, 4, 5]);
    expect(await search(date('sent', 'since', '2025-12-02'))).toEqual([2, 3]);
    // No Date: header: no SENT* key matches, and NOT SENTON does.
    expect(await search({ type: 'not', key: date('sent', 'on', '2025-12-01') })).toEqual([2, 3, 4, 5]);
    expect(await search({ type: 'within', op: 'younger', seconds: 3600 })).toEqual([]);
    expect(await search({ type: 'within', op: 'older', seconds: 3600 })).toEqual([1, 2, 3, 4, 5]);
    const sizes = (
      await imap.fetchMeta(a, inbox, [1, 2, 3, 4, 5], { flags: false, internalDate: false, size: true, envelope: false, structure: false })
    ).map((m) => m.size!);
    const mid = [...sizes].sort((x, y) => x - y)[2]!;
    expect(await search({ type: 'size', op: 'larger', bytes: mid })).toEqual(sizes.flatMap((s, i) => (s > mid ? [i + 1] : [])));
    expect(await search({ type: 'size', op: 'smaller', bytes: mid })).toEqual(sizes.flatMap((s, i) => (s < mid ? [i + 1] : [])));
    const top = (await imap.snapshot(a, inbox)).mailbox.highestModseq;
    expect(await search({ type: 'modseq', modseq: top })).toEqual([1, 2]);
  });

  it("SENT* keys compare the Date: header's own day, not the UTC day (RFC 9051 §6.4.4)", async () => {
    const other = (await t.directory.addAccount({ address: 'sent-day@ifsc.edu', password: 'sent-day-password' })).id;
    const box = (await imap.findMailbox(other, 'INBOX'))!.id;
    for (const date of ['Mon, 07 Dec 2026 01:30:00 +0900', 'Sun, 6 Dec 2026 23:30:00 -0500']) {
      const raw = mail(`From: a@b.c\nSubject: d\nDate: ${date}`, 'x');
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: other, mailbox: { id: box } }],
        envelopeFrom: 'a@b.c',
      });
    }
    const sent = (op: 'before' | 'on' | 'since', d: string) => imap.search(other, box, { type: 'date', field: 'sent', op, date: d });
    expect(await sent('on', '2026-12-07')).toEqual([1]);
    expect(await sent('on', '2026-12-06')).toEqual([2]);
    expect(await sent('before', '2026-12-07')).toEqual([2]);
    expect(await sent('since', '2026-12-07')).toEqual([1]);
    // A copy keeps the day.
    const copy = (await imap.createMailbox(other, 'Copia')).id;
    await imap.copyMessages(other, box, [1, 2], copy);
    expect(await imap.search(other, copy, { type: 'date', field: 'sent', op: 'on', date: '2026-12-07' })).toEqual([1]);
  });

  it('a delivered message is searchable at once, before and after the indexer moves its text under the index', async () => {
    const raw = mail('From: a@b.c\nSubject: novo', 'palavra recémchegada');
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: a, mailbox: { id: inbox } }],
      envelopeFrom: 'a@b.c',
    });
    const uid = (await imap.snapshot(a, inbox)).mailbox.uidNext - 1;
    const pending = async () => (await t.db.pool.query('SELECT 1 FROM message_text_pending WHERE account_id = $1', [a])).rowCount;
    expect(await pending()).toBe(1);
    expect(await search(text('cémcheg'))).toEqual([uid]);
    await t.app.get(MessageTextIndexer).indexAll();
    expect(await pending()).toBe(0);
    expect(await search(text('cémcheg'))).toEqual([uid]);
    expect(await search(body('palavra rec'))).toEqual([uid]);
    expect(await search({ type: 'not', key: text('cémcheg') })).not.toContain(uid);
  });

  it('BODY/TEXT see the whole message: a long single part and a forwarded message/rfc822, pending then indexed', async () => {
    const long = mail('From: a@b.c\nSubject: longo', `${'lorem ipsum dolor sit amet\n'.repeat(800)}zebraquux`);
    const forwarded = mail(
      'From: a@b.c\nSubject: Fwd\nContent-Type: multipart/mixed; boundary="b1"',
      '--b1\nContent-Type: text/plain\n\nsee below\n--b1\nContent-Type: message/rfc822\n\nFrom: inner@example.org\nSubject: inner\n\ninner body text\n--b1--',
    );
    const uids: number[] = [];
    for (const raw of [long, forwarded]) {
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: inbox } }],
        envelopeFrom: 'a@b.c',
      });
      uids.push((await imap.snapshot(a, inbox)).mailbox.uidNext - 1);
    }
    // The delivery wrote the quick text and said it may be short (no extraction on the delivery path).
    const incomplete = async () =>
      (await t.db.pool.query('SELECT 1 FROM message_text_pending WHERE account_id = $1 AND NOT complete', [a])).rowCount;
    expect(await incomplete()).toBe(2);
    // SEARCH completes the account's pending rows first.
    expect(await search(body('zebraquux'))).toEqual([uids[0]]);
    expect(await search(body('inner body text'))).toEqual([uids[1]]);
    expect(await search(text('from: inner@example.org'))).toEqual([uids[1]]);
    expect(await incomplete()).toBe(0);
    // The indexer does the same for rows nobody searched, then moves them under the index.
    await t.db.pool.query('UPDATE message_text_pending SET complete = false, content = left(content, 100) WHERE account_id = $1', [a]);
    await t.app.get(MessageTextIndexer).indexAll();
    expect((await t.db.pool.query('SELECT 1 FROM message_text_pending WHERE account_id = $1', [a])).rowCount).toBe(0);
    expect(await search(body('zebraquux'))).toEqual([uids[0]]);
    expect(await search(body('inner body text'))).toEqual([uids[1]]);
  });

  it('messages stored before the text index existed are indexed on their first text search', async () => {
    const other = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password-1' })).id;
    const box = (await imap.findMailbox(other, 'INBOX'))!.id;
    const raw = mail('From: a@b.c\nSubject: velho', 'mensagem antiga');
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: other, mailbox: { id: box } }],
      envelopeFrom: 'a@b.c',
    });
    await t.db.pool.query('DELETE FROM message_text WHERE account_id = $1', [other]);
    await t.db.pool.query('DELETE FROM message_text_pending WHERE account_id = $1', [other]);
    expect(await imap.search(other, box, text('antiga'))).toEqual([1]);
    expect((await t.db.pool.query('SELECT 1 FROM message_text WHERE account_id = $1', [other])).rowCount).toBe(1);
    // Another account's words are not found here (invariant 4).
    expect(await imap.search(other, box, text('orçamento'))).toEqual([]);
    // The indexer's backfill does the same for every account, without a search.
    await t.db.pool.query('DELETE FROM message_text');
    await t.db.pool.query('DELETE FROM message_text_pending');
    const all = (await t.db.pool.query<{ n: number }>('SELECT count(DISTINCT (account_id, blob_id))::int AS n FROM messages')).rows[0]!.n;
    expect(await t.app.get(MessageTextIndexer).backfillAll()).toBe(all);
    expect((await t.db.pool.query('SELECT 1 FROM message_text')).rowCount).toBe(all);
    expect(await t.app.get(MessageTextIndexer).backfillAll()).toBe(0);
  });
});
