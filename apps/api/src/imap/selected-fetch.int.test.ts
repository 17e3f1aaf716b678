import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { FETCH_BATCH } from './commands/selected/fetch.command.js';
import { STREAM_CHUNK_BYTES } from './commands/selected/fetch-piece.js';
import { IMAP_SERVER_LIMITS } from './imap-limits.js';
import { startImap } from '../testing/imap-test-server.js';

// Transcripts over real sockets of SELECT/EXAMINE (RFC 9051 §6.3.2–3), FETCH of every item
// (RFC 9051 §6.4.5, RFC 3516 BINARY), STORE (§6.4.6, RFC 7162 UNCHANGEDSINCE) and EXPUNGE (§6.4.3).

type Imap = Awaited<ReturnType<typeof startImap>>;

const MULTIPART = [
  'From: Bruna <bruna@paulolopes.fr>',
  'To: joel@ifsc.edu',
  'Subject: multipart',
  'Date: Mon, 7 Dec 2026 10:00:00 +0000',
  'Message-ID: <m1@paulolopes.fr>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Olá Joel',
  '--outer',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'plain alternative',
  '--inner',
  'Content-Type: text/html; charset=us-ascii',
  '',
  '<p>html alternative</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/octet-stream; name="a.bin"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="a.bin"',
  '',
  'AAECAwQ=',
  '--outer--',
  '',
].join('\r\n');

describe('IMAP SELECT, FETCH, STORE, EXPUNGE', () => {
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

  async function account(raws: string[]): Promise<{ id: string; user: string }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    for (const r of raws) {
      const raw = Buffer.from(r);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'bruna@paulolopes.fr',
      });
    }
    return { id, user };
  }

  const simple = (subject: string) => `From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: ${subject}\r\n\r\nOlá\r\n`;

  async function login(user: string): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd(`L1 LOGIN ${user} joel-password`)).at(-1)).toMatch(/^L1 OK /);
    return c;
  }

  it('SELECT answers as RFC 3501/9051 say; EXAMINE is read-only; a second SELECT closes the first', async () => {
    const a = await account([simple('one'), simple('two')]);
    const c = await login(a.user);
    const lines = await c.cmd('s1 SELECT INBOX');
    expect(lines).toEqual([
      '* 2 EXISTS',
      '* 0 RECENT',
      '* OK [UNSEEN 1] First unseen',
      expect.stringMatching(/^\* OK \[UIDVALIDITY \d+\] UIDs valid$/),
      '* OK [UIDNEXT 3] Predicted next UID',
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
      expect.stringMatching(/^\* OK \[HIGHESTMODSEQ \d+\] Highest$/),
      's1 OK [READ-WRITE] SELECT completed',
    ]);
    const examine = await c.cmd('s2 EXAMINE INBOX (CONDSTORE)');
    expect(examine[0]).toBe('* OK [CLOSED] Previous mailbox closed');
    expect(examine).toContain('* OK [PERMANENTFLAGS ()] Read-only mailbox');
    expect(examine.some((l) => /^\* OK \[HIGHESTMODSEQ \d+\] /.test(l))).toBe(true);
    expect(examine.at(-1)).toBe('s2 OK [READ-ONLY] EXAMINE completed');
    expect(await c.cmd('s3 STORE 1 +FLAGS (\\Seen)')).toEqual(['s3 NO [READ-ONLY] Mailbox is read-only']);
    // A body FETCH on a read-only mailbox does not set \Seen.
    await c.cmd('s4 FETCH 1 BODY[TEXT]');
    expect(await c.cmd('s5 FETCH 1 FLAGS')).toEqual([
      // Under CONDSTORE every FETCH response carries UID and MODSEQ (RFC 7162 §3.1).
      expect.stringMatching(/^\* 1 FETCH \(UID 1 FLAGS \(\) MODSEQ \(\d+\)\)$/),
      's5 OK FETCH completed',
    ]);
    expect(await c.cmd('s6 SELECT Nowhere')).toEqual(['* OK [CLOSED] Previous mailbox closed', 's6 NO [NONEXISTENT] No such mailbox']);
    expect(await c.cmd('s7 FETCH 1 FLAGS')).toEqual(['s7 BAD FETCH not valid in this state']);
    expect(await c.cmd('s8 SELECT inbox')).toContain('s8 OK [READ-WRITE] SELECT completed');
    expect(await c.cmd('s9 FETCH 3 FLAGS')).toEqual(['s9 BAD Invalid message sequence number']);
    expect(await c.cmd('s10 UNSELECT')).toEqual(['s10 OK UNSELECT completed']);
    await c.cmd('z LOGOUT');
  });

  it('IMAP4rev2: SELECT without RECENT/UNSEEN but with LIST; SEARCH answers ESEARCH, SORT stays SORT', async () => {
    const a = await account([simple('one'), simple('two')]);
    const c = await login(a.user);
    expect(await c.cmd('e ENABLE IMAP4rev2')).toEqual(['* ENABLED IMAP4rev2', 'e OK ENABLE completed']);
    const lines = await c.cmd('s SELECT INBOX');
    expect(lines.filter((l) => /RECENT|UNSEEN/.test(l))).toEqual([]);
    expect(lines).toContain('* LIST () "/" "INBOX"');
    expect(await c.cmd('q SEARCH ALL')).toEqual(['* ESEARCH (TAG "q") ALL 1:2', 'q OK SEARCH completed']);
    expect(await c.cmd('o SORT (REVERSE ARRIVAL) UTF-8 ALL')).toEqual(['* SORT 2 1', 'o OK SORT completed']);
    expect(await c.cmd('x EXAMINE Sent')).toContain('* LIST (\\Sent) "/" "Sent"');
    await c.cmd('z LOGOUT');
  });

  it('FETCH 1:* in an empty mailbox is OK with nothing; FETCH 1 is BAD', async () => {
    const a = await account([]);
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    expect(await c.cmd('f1 FETCH 1:* (FLAGS)')).toEqual(['f1 OK FETCH completed']);
    expect(await c.cmd('f2 UID FETCH 1:* (FLAGS)')).toEqual(['f2 OK UID FETCH completed']);
    expect(await c.cmd('f3 FETCH 1 (FLAGS)')).toEqual(['f3 BAD Invalid message sequence number']);
    await c.cmd('z LOGOUT');
  });

  it('FETCH returns every item of a multipart message; BODY[2.2] is the raw range; BINARY decodes', async () => {
    const a = await account([MULTIPART]);
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    const meta = await c.cmd('f1 FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)');
    expect(meta[0]).toMatch(
      new RegExp(
        `^\\* 1 FETCH \\(UID 1 FLAGS \\(\\) INTERNALDATE "[ \\d]\\d-\\w{3}-\\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000" RFC822.SIZE ${Buffer.byteLength(MULTIPART)} ENVELOPE \\("Mon, 7 Dec 2026 10:00:00 \\+0000" "multipart" \\(\\("Bruna" NIL "bruna" "paulolopes.fr"\\)\\) .* \\(\\(NIL NIL "joel" "ifsc.edu"\\)\\) NIL NIL NIL "<m1@paulolopes.fr>"\\)\\)$`,
      ),
    );
    const bs = await c.cmd('f2 FETCH 1 BODYSTRUCTURE');
    // RFC 9051 body-type-mpart = 1*body SP media-subtype: the parts back to back.
    expect(bs[0]).toMatch(
      /^\* 1 FETCH \(BODYSTRUCTURE \(\("text" "plain" \("charset" "utf-8"\) NIL NIL "7bit" 9 \d+ NIL NIL NIL NIL\)\(\("text" "plain" .*\)\("text" "html" .*\) "alternative" .*\)\("application" "octet-stream" \("name" "a.bin"\) NIL NIL "base64" 8 NIL \("attachment" \("filename" "a.bin"\)\) NIL NIL\) "mixed" \("boundary" "outer"\) NIL NIL NIL\)\)$/,
    );

    const html = '<p>html alternative</p>';
    // The test client keeps a literal inline after its "{n}" line, joined by "\n".
    const wire = async (line: string) => (await c.cmd(line)).join('\n');
    const start = MULTIPART.indexOf(html);
    expect(MULTIPART.slice(start - 4, start)).toBe('\r\n\r\n');
    expect(await wire('f3 FETCH 1 BODY.PEEK[2.2]')).toBe(`* 1 FETCH (BODY[2.2] {${html.length}}\n${html})\nf3 OK FETCH completed`);
    expect(await wire('f4 FETCH 1 BODY.PEEK[2.1.MIME]')).toBe(
      '* 1 FETCH (BODY[2.1.MIME] {46}\nContent-Type: text/plain; charset=us-ascii\r\n\r\n)\nf4 OK FETCH completed',
    );
    expect(await wire('f5 FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject message-id)]')).toBe(
      '* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT MESSAGE-ID)] {54}\nSubject: multipart\r\nMessage-ID: <m1@paulolopes.fr>\r\n\r\n)\nf5 OK FETCH completed',
    );
    expect(await wire('f6 FETCH 1 BODY.PEEK[]<6.5>')).toBe('* 1 FETCH (BODY[]<6> {5}\nBruna)\nf6 OK FETCH completed');
    expect(await wire('f7 FETCH 1 (BINARY.SIZE[3] BINARY.PEEK[3])')).toBe(
      '* 1 FETCH (BINARY.SIZE[3] 5 BINARY[3] ~{5}\n\u0000\u0001\u0002\u0003\u0004)\nf7 OK FETCH completed',
    );
    expect(await wire('f8 FETCH 1 BODY.PEEK[9]')).toBe('* 1 FETCH (BODY[9] {0}\n)\nf8 OK FETCH completed');
    // Not PEEK: \Seen is set and reported with the body (RFC 9051 §6.4.5).
    expect(await wire('f9 FETCH 1 BODY[1]')).toBe('* 1 FETCH (BODY[1] {9}\nOlá Joel FLAGS (\\Seen))\nf9 OK FETCH completed');
    expect(await c.cmd('f10 UID FETCH 1:* (FLAGS)')).toEqual(['* 1 FETCH (UID 1 FLAGS (\\Seen))', 'f10 OK UID FETCH completed']);
    await c.cmd('z LOGOUT');
  });

  it('a large body is streamed whole and intact, alone and beside another large part', async () => {
    const big = `${'x'.repeat(75)}\r\n`.repeat(4000);
    const raw = `Subject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n${big}\r\n--b\r\n\r\n${big}\r\n--b--\r\n`;
    const a = await account([raw]);
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    const whole = await c.cmd('f1 FETCH 1 BODY.PEEK[]');
    expect(whole.join('\n')).toBe(`* 1 FETCH (BODY[] {${raw.length}}\n${raw})\nf1 OK FETCH completed`);
    const two = await c.cmd('f2 UID FETCH 1 (BODY.PEEK[1] BODY.PEEK[2] RFC822.SIZE)');
    expect(two.join('\n')).toBe(
      `* 1 FETCH (UID 1 BODY[1] {${big.length}}\n${big} BODY[2] {${big.length}}\n${big} RFC822.SIZE ${raw.length})\nf2 OK UID FETCH completed`,
    );
    await c.cmd('z LOGOUT');
  });

  it('a client that stops reading during FETCH 1:* BODY[]: the server holds about one response, then finishes', async () => {
    const body = `${'y'.repeat(998)}\r\n`.repeat(60);
    const bodies = Array.from({ length: 40 }, (_, i) => `Subject: m${i}\r\n\r\n${body}`);
    const big = `Subject: big\r\n\r\n${body.repeat(40)}`;
    const a = await account([...bodies, big]);
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    c.pause();
    c.send('f FETCH 1:* BODY.PEEK[]\r\n');
    await new Promise((r) => setTimeout(r, 1500));
    // Inline bodies (≤ 64 KiB) are written one response at a time; streamed ones a read chunk at a time.
    expect(imap.service.bufferedBytes().output).toBeLessThan(IMAP_SERVER_LIMITS.maxPendingOutputBytes + STREAM_CHUNK_BYTES + 64 * 1024);
    c.resume();
    const lines = await c.until('f');
    expect(lines.at(-1)).toBe('f OK FETCH completed');
    expect(lines.filter((l) => /^\* \d+ FETCH \(BODY\[\] \{\d+\}/.test(l))).toHaveLength(41);
    expect(lines.at(-2)).toBe(`* 41 FETCH (BODY[] {${big.length}}\n${big})`);
    await c.cmd('z LOGOUT');
  });

  it('FETCH over more than one batch answers every message once, in order, and sets \\Seen across batches', async () => {
    const count = FETCH_BATCH + 12;
    const a = await account(Array.from({ length: count }, (_, i) => simple(`n${i + 1}`)));
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    const lines = await c.cmd('f FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    expect(lines).toHaveLength(count + 1);
    lines.slice(0, -1).forEach((line, i) => {
      expect(line).toBe(
        `* ${i + 1} FETCH (UID ${i + 1} BODY[HEADER.FIELDS (SUBJECT)] {${`Subject: n${i + 1}`.length + 4}}\nSubject: n${i + 1}\r\n\r\n)`,
      );
    });
    const seen = await c.cmd(`g FETCH ${FETCH_BATCH - 1}:${FETCH_BATCH + 2} BODY[TEXT]`);
    expect(seen.filter((l) => l.endsWith(' FLAGS (\\Seen))'))).toHaveLength(4);
    expect(await c.cmd('q SEARCH SEEN')).toEqual([
      `* SEARCH ${FETCH_BATCH - 1} ${FETCH_BATCH} ${FETCH_BATCH + 1} ${FETCH_BATCH + 2}`,
      'q OK SEARCH completed',
    ]);
    await c.cmd('z LOGOUT');
  });

  it('STORE: +FLAGS/-FLAGS/FLAGS, .SILENT, UID STORE, UNCHANGEDSINCE with MODIFIED', async () => {
    const a = await account([simple('a'), simple('b'), simple('c')]);
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    // A new keyword is announced first (RFC 9051 §7.3.5 FLAGS, §7.1 PERMANENTFLAGS).
    expect(await c.cmd('t1 STORE 1:2 +FLAGS (\\Flagged $Work)')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted',
      '* 1 FETCH (FLAGS (\\Flagged $Work))',
      '* 2 FETCH (FLAGS (\\Flagged $Work))',
      't1 OK STORE completed',
    ]);
    expect(await c.cmd('t2 STORE 2 -FLAGS.SILENT (\\Flagged)')).toEqual(['t2 OK STORE completed']);
    expect(await c.cmd('t3 UID STORE 3 FLAGS (\\Seen \\Recent)')).toEqual(['* 3 FETCH (UID 3 FLAGS (\\Seen))', 't3 OK STORE completed']);
    const fetched = await c.cmd('t4 FETCH 1:3 (FLAGS MODSEQ)');
    const modseqOf = (line: string) => BigInt(/MODSEQ \((\d+)\)/.exec(line)![1]!);
    const m1 = modseqOf(fetched[0]!);
    expect(fetched[1]).toMatch(/^\* 2 FETCH \(UID 2 FLAGS \(\$Work\) MODSEQ \(\d+\)\)$/);
    // Messages 2 and 3 changed after m1: they are not touched and are named in MODIFIED (RFC 7162 §3.1.3).
    const cond = await c.cmd(`t5 STORE 1:3 (UNCHANGEDSINCE ${m1}) +FLAGS (\\Answered)`);
    expect(cond).toEqual([
      expect.stringMatching(/^\* 1 FETCH \(UID 1 FLAGS \(\\Answered \\Flagged \$Work\) MODSEQ \(\d+\)\)$/),
      't5 OK [MODIFIED 2:3] Conditional STORE failed for some messages',
    ]);
    const late = await c.cmd(`t6 UID STORE 1 (UNCHANGEDSINCE ${m1}) -FLAGS (\\Answered)`);
    expect(late).toEqual(['t6 OK [MODIFIED 1] Conditional STORE failed for some messages']);
    // Under CONDSTORE .SILENT still reports the new MODSEQ (RFC 7162 §3.1.3).
    expect(await c.cmd('t7 UID STORE 2 +FLAGS.SILENT (\\Draft)')).toEqual([
      expect.stringMatching(/^\* 2 FETCH \(UID 2 MODSEQ \(\d+\)\)$/),
      't7 OK STORE completed',
    ]);
    await c.cmd('z LOGOUT');
  });

  it('EXPUNGE and UID EXPUNGE remove \\Deleted messages, reported in descending order; CLOSE expunges silently', async () => {
    const a = await account(['a', 'b', 'c', 'd', 'e'].map(simple));
    const c = await login(a.user);
    await c.cmd('s SELECT INBOX');
    await c.cmd('t STORE 2,4:5 +FLAGS.SILENT (\\Deleted)');
    expect(await c.cmd('u UID EXPUNGE 1:4')).toEqual(['* 4 EXPUNGE', '* 2 EXPUNGE', 'u OK UID EXPUNGE completed']);
    expect(await c.cmd('f FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)', '* 3 FETCH (UID 5)', 'f OK FETCH completed']);
    expect(await c.cmd('e EXPUNGE')).toEqual(['* 3 EXPUNGE', 'e OK EXPUNGE completed']);
    await c.cmd('t2 STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.cmd('c CLOSE')).toEqual(['c OK CLOSE completed']);
    expect(await c.cmd('s2 SELECT INBOX')).toContain('* 1 EXISTS');
    await c.cmd('z LOGOUT');
  });

  it('imapflow parses SELECT, FETCH and BODYSTRUCTURE and downloads a part', async () => {
    const a = await account([MULTIPART]);
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: imap.ports.plain,
      secure: false,
      auth: { user: a.user, pass: 'joel-password' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await client.connect();
    const box = await client.mailboxOpen('INBOX');
    expect(box.exists).toBe(1);
    const msg = await client.fetchOne('1', { envelope: true, bodyStructure: true, flags: true, uid: true });
    expect(msg ? msg.envelope?.subject : undefined).toBe('multipart');
    const types = msg ? msg.bodyStructure?.childNodes?.map((p) => p.type) : undefined;
    expect(types).toEqual(['text/plain', 'multipart/alternative', 'application/octet-stream']);
    const part = await client.download('1', '3');
    const chunks: Buffer[] = [];
    for await (const chunk of part.content ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([0, 1, 2, 3, 4]));
    await client.logout();
  });
});
