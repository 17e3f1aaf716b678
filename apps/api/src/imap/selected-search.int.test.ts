import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// Transcripts over real sockets of SEARCH (RFC 9051 §6.4.4), ESEARCH (RFC 4731), SEARCHRES
// (RFC 5182), SORT and THREAD (RFC 5256), COPY/MOVE with COPYUID (RFC 4315, RFC 6851) and APPEND
// with APPENDUID, TRYCREATE and TOOBIG.

type Imap = Awaited<ReturnType<typeof startImap>>;

const MESSAGES = [
  {
    from: 'Carla <carla@a.example>',
    subject: 'Reunião de segunda',
    date: 'Mon, 7 Dec 2026 09:00:00 +0000',
    id: '<1@a>',
    refs: '',
    body: 'Pauta: orçamento',
  },
  {
    from: 'Bruna <bruna@b.example>',
    subject: 'Re: Reunião de segunda',
    date: 'Mon, 7 Dec 2026 11:00:00 +0000',
    id: '<2@b>',
    refs: '<1@a>',
    body: 'Concordo com a pauta',
  },
  {
    from: 'Alice <alice@c.example>',
    subject: 'Fatura',
    date: 'Sun, 6 Dec 2026 08:00:00 +0000',
    id: '<3@c>',
    refs: '',
    body: 'Segue a fatura em anexo',
  },
  {
    from: 'Bruna <bruna@b.example>',
    subject: 'Re: Reunião de segunda',
    date: 'Mon, 7 Dec 2026 12:00:00 +0000',
    id: '<4@b>',
    refs: '<1@a> <2@b>',
    body: 'Mais um ponto',
  },
];

function raw(m: (typeof MESSAGES)[number]): Buffer {
  const refs = m.refs ? `In-Reply-To: ${m.refs.split(' ').at(-1)}\r\nReferences: ${m.refs}\r\n` : '';
  return Buffer.from(
    `From: ${m.from}\r\nTo: joel@ifsc.edu\r\nSubject: =?utf-8?q?${encodeURIComponent(m.subject).replace(/%/g, '=')}?=\r\nDate: ${m.date}\r\nMessage-ID: ${m.id}\r\n${refs}Content-Type: text/plain; charset=utf-8\r\n\r\n${m.body}\r\n`,
  );
}

describe('IMAP SEARCH, SORT, THREAD, COPY, MOVE, APPEND', () => {
  let t: TestApp;
  let imap: Imap;
  let n = 0;

  beforeAll(async () => {
    // APPENDLIMIT is CORREIO_MAX_MESSAGE_BYTES (RFC 7889).
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_MAX_MESSAGE_BYTES: '4096' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function account(): Promise<{ id: string; user: string }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    for (const m of MESSAGES) {
      const bytes = raw(m);
      await t.store.deliver({
        raw: bytes,
        summary: await summarizeMessage(bytes),
        targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'x@a.example',
      });
    }
    return { id, user };
  }

  async function selected(user: string): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd(`L LOGIN ${user} joel-password`)).at(-1)).toMatch(/^L OK /);
    expect((await c.cmd('S SELECT INBOX')).at(-1)).toMatch(/^S OK /);
    return c;
  }

  it('SEARCH keys: flags, headers, body text, dates, sizes, sets, OR/NOT; CHARSET', async () => {
    const a = await account();
    const c = await selected(a.user);
    await c.cmd('f STORE 2 +FLAGS.SILENT (\\Flagged)');
    const search = async (criteria: string) => (await c.cmd(`s SEARCH ${criteria}`))[0];
    expect(await search('ALL')).toBe('* SEARCH 1 2 3 4');
    expect(await search('FLAGGED')).toBe('* SEARCH 2');
    expect(await search('UNFLAGGED FROM bruna')).toBe('* SEARCH 4');
    expect(await search('SUBJECT fatura')).toBe('* SEARCH 3');
    expect(await search('BODY pauta')).toBe('* SEARCH 1 2');
    expect(await search('TEXT orçamento')).toBe('* SEARCH 1');
    expect(await search('OR FROM alice FROM carla')).toBe('* SEARCH 1 3');
    expect(await search('NOT 2:3')).toBe('* SEARCH 1 4');
    expect(await search('UID 2:* SENTBEFORE 7-Dec-2026')).toBe('* SEARCH 3');
    expect(await search('HEADER Message-ID <4@b>')).toBe('* SEARCH 4');
    expect(await search('LARGER 100000')).toBe('* SEARCH');
    expect(await search('5:9')).toBe('* SEARCH');
    expect(await c.cmd('u UID SEARCH CHARSET UTF-8 SUBJECT reunião')).toEqual(['* SEARCH 1 2 4', 'u OK UID SEARCH completed']);
    expect(await c.cmd('b SEARCH CHARSET KOI8-R ALL')).toEqual(['b NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset']);
    const modseq = await c.cmd('m SEARCH MODSEQ 1 FLAGGED');
    expect(modseq[0]).toMatch(/^\* SEARCH 2 \(MODSEQ \d+\)$/);
    await c.cmd('z LOGOUT');
  });

  it('ESEARCH RETURN (MIN MAX COUNT ALL), UID ESEARCH, SAVE and "$"', async () => {
    const a = await account();
    const c = await selected(a.user);
    expect(await c.cmd('e1 SEARCH RETURN (MIN MAX COUNT) FROM bruna')).toEqual([
      '* ESEARCH (TAG "e1") MIN 2 MAX 4 COUNT 2',
      'e1 OK SEARCH completed',
    ]);
    expect(await c.cmd('e2 UID SEARCH RETURN () ALL')).toEqual(['* ESEARCH (TAG "e2") UID ALL 1:4', 'e2 OK UID SEARCH completed']);
    expect(await c.cmd('e3 SEARCH RETURN (COUNT) LARGER 100000')).toEqual(['* ESEARCH (TAG "e3") COUNT 0', 'e3 OK SEARCH completed']);
    // SAVE alone: no ESEARCH response (RFC 5182 §2.4); "$" then names the result.
    expect(await c.cmd('e4 SEARCH RETURN (SAVE) OR FROM alice FROM carla')).toEqual(['e4 OK SEARCH completed']);
    expect(await c.cmd('e5 FETCH $ (UID)')).toEqual(['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)', 'e5 OK FETCH completed']);
    expect(await c.cmd('e6 UID SEARCH UID $ SUBJECT fatura')).toEqual(['* SEARCH 3', 'e6 OK UID SEARCH completed']);
    // SAVE with MIN keeps only the minimum.
    await c.cmd('e7 SEARCH RETURN (SAVE MIN) FROM bruna');
    expect(await c.cmd('e8 UID STORE $ +FLAGS (\\Seen)')).toEqual(['* 2 FETCH (UID 2 FLAGS (\\Seen))', 'e8 OK STORE completed']);
    await c.cmd('z LOGOUT');
  });

  it('SORT and THREAD (REFERENCES, ORDEREDSUBJECT)', async () => {
    const a = await account();
    const c = await selected(a.user);
    expect(await c.cmd('s1 SORT (DATE) UTF-8 ALL')).toEqual(['* SORT 3 1 2 4', 's1 OK SORT completed']);
    expect(await c.cmd('s2 SORT (REVERSE FROM) UTF-8 ALL')).toEqual(['* SORT 1 2 4 3', 's2 OK SORT completed']);
    expect(await c.cmd('s3 UID SORT (SUBJECT DATE) UTF-8 NOT FROM alice')).toEqual(['* SORT 1 2 4', 's3 OK UID SORT completed']);
    // ESORT (RFC 5267): MIN/MAX are the first/last in sort order, ALL keeps the order.
    expect(await c.cmd('s5 SORT RETURN (MIN MAX ALL COUNT) (DATE) UTF-8 ALL')).toEqual([
      '* ESEARCH (TAG "s5") MIN 3 MAX 4 ALL 3,1:2,4 COUNT 4',
      's5 OK SORT completed',
    ]);
    expect(await c.cmd('s4 SORT (ARRIVAL) KOI8-R ALL')).toEqual(['s4 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset']);
    expect(await c.cmd('t1 THREAD REFERENCES UTF-8 ALL')).toEqual(['* THREAD (3)(1 2 4)', 't1 OK THREAD completed']);
    expect(await c.cmd('t2 UID THREAD ORDEREDSUBJECT UTF-8 ALL')).toEqual(['* THREAD (3)(1 (2)(4))', 't2 OK UID THREAD completed']);
    await c.cmd('z LOGOUT');
  });

  it('COPY and MOVE answer COPYUID; MOVE expunges at once; a missing target is TRYCREATE', async () => {
    const a = await account();
    const c = await selected(a.user);
    expect(await c.cmd('c1 COPY 2:3 Archive')).toEqual([expect.stringMatching(/^c1 OK \[COPYUID \d+ 2:3 1:2\] COPY completed$/)]);
    expect(await c.cmd('c2 COPY 1 Nowhere')).toEqual(['c2 NO [TRYCREATE] No such mailbox']);
    expect(await c.cmd('c3 UID COPY 99 Archive')).toEqual(['c3 OK UID COPY completed, no messages']);
    const moved = await c.cmd('m1 MOVE 1,4 Archive');
    expect(moved).toEqual([
      expect.stringMatching(/^\* OK \[COPYUID \d+ 1,4 3:4\] Moved$/),
      '* 4 EXPUNGE',
      '* 1 EXPUNGE',
      'm1 OK MOVE completed',
    ]);
    expect(await c.cmd('f FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 2)', '* 2 FETCH (UID 3)', 'f OK FETCH completed']);
    expect(await c.cmd('m2 UID MOVE 3 Trash')).toEqual([
      expect.stringMatching(/^\* OK \[COPYUID \d+ 3 1\] Moved$/),
      '* 2 EXPUNGE',
      'm2 OK UID MOVE completed',
    ]);
    expect(await c.cmd('x EXAMINE Archive')).toContain('* 4 EXISTS');
    await c.cmd('z LOGOUT');
  });

  it('APPEND: APPENDUID, flags and date kept, MULTIAPPEND, TRYCREATE, TOOBIG; EXISTS for the selected mailbox', async () => {
    const a = await account();
    const c = await selected(a.user);
    const msg = 'Subject: appended\r\n\r\nhello\r\n';
    const appended = await c.cmd(`a1 APPEND INBOX (\\Seen $Label) "01-Feb-2026 10:00:00 +0000" {${msg.length}+}\r\n${msg}`);
    expect(appended).toEqual(['* 5 EXISTS', expect.stringMatching(/^a1 OK \[APPENDUID \d+ 5\] APPEND completed$/)]);
    // $Label is new to this session: FLAGS/PERMANENTFLAGS announce it before the FETCH that shows it.
    expect(await c.cmd('f FETCH 5 (FLAGS INTERNALDATE)')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label \\*)] Flags permitted',
      '* 5 FETCH (FLAGS (\\Seen $Label) INTERNALDATE " 1-Feb-2026 10:00:00 +0000")',
      'f OK FETCH completed',
    ]);
    const multi = await c.cmd(`a2 APPEND Drafts {${msg.length}+}\r\n${msg} (\\Draft) {${msg.length}+}\r\n${msg}`);
    expect(multi).toEqual([expect.stringMatching(/^a2 OK \[APPENDUID \d+ 1:2\] APPEND completed$/)]);
    expect(await c.cmd(`a3 APPEND Nowhere {${msg.length}+}\r\n${msg}`)).toEqual(['a3 NO [TRYCREATE] No such mailbox']);
    // Refused by the receiver as a LITERAL+ too large (RFC 7888 §4) or by APPEND itself (RFC 7889): TOOBIG either way.
    const big = `Subject: big\r\n\r\n${'x'.repeat(5000)}\r\n`;
    expect((await c.cmd(`a4 APPEND INBOX {${big.length}+}\r\n${big}`)).at(-1)).toMatch(/^a4 (NO|BAD) \[TOOBIG\] /);
    // APPEND in the authenticated state too.
    await c.cmd('u UNSELECT');
    expect((await c.cmd(`a5 APPEND Archive {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^a5 OK \[APPENDUID \d+ 1\] /);
    await c.cmd('z LOGOUT');
  });

  it('APPEND, MULTIAPPEND and COPY past the account quota: NO [OVERQUOTA], nothing stored', async () => {
    const user = `quota${++n}@ifsc.edu`;
    await t.directory.addAccount({ address: user, password: 'joel-password', quotaBytes: 1500n });
    const c = await selected(user);
    const msg = `Subject: fits\r\n\r\n${'z'.repeat(900)}\r\n`;
    // MULTIAPPEND is all or nothing (RFC 3502): the first message fits, the second does not, neither is stored (one transaction: not even a UID is used).
    expect((await c.cmd(`m APPEND INBOX {${msg.length}+}\r\n${msg} {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^m NO \[OVERQUOTA\] /);
    expect(await c.cmd('e UID FETCH 1:* (UID)')).toEqual(['e OK UID FETCH completed']);
    expect((await c.cmd(`a1 APPEND INBOX {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^a1 OK \[APPENDUID \d+ 1\] /);
    expect((await c.cmd(`a2 APPEND INBOX {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^a2 NO \[OVERQUOTA\] /);
    expect((await c.cmd('c1 COPY 1 Archive')).at(-1)).toMatch(/^c1 NO \[OVERQUOTA\] /);
    expect(await c.cmd('f UID FETCH 1:* (UID)')).toEqual(['* 1 FETCH (UID 1)', 'f OK UID FETCH completed']);
    expect((await c.cmd('x EXAMINE Archive')).filter((l) => l.endsWith(' EXISTS'))).toEqual(['* 0 EXISTS']);
    await c.cmd('z LOGOUT');
  });
});
