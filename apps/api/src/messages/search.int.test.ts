import type { MailboxList, MailboxView, SearchResult } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSearchService } from '../mailbox-store/search/message-search.service.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// GET /api/v1/messages?q= over real HTTP against a real database (PostgreSQL, or PGlite without
// DATABASE_URL): every operator of the webmail's search syntax against a seeded mailbox, with the
// expected hits; paging by cursor; highlights; 400 with the position; another account sees nothing.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const PDF = Buffer.from('%PDF-1.4 fake').toString('base64');

interface Seed {
  key: string;
  from: string;
  to: string;
  cc?: string;
  subject: string;
  body: string;
  /** Days before 2026-12-01T12:00Z. */
  daysAgo: number;
  box?: 'inbox' | 'sent' | 'trash' | 'junk' | 'archive' | 'Projects';
  seen?: boolean;
  attachment?: string;
  padding?: number;
  keywords?: string[];
  flagged?: boolean;
}

const SEEDS: Seed[] = [
  {
    key: 'invoice',
    from: 'Bruna Lopes <bruna@paulolopes.fr>',
    to: 'ana@ifsc.edu',
    subject: 'Invoice March',
    body: 'Please pay the invoice by Friday.',
    daysAgo: 1,
    attachment: 'invoice-march.pdf',
  },
  {
    key: 'report',
    from: 'joel@ifsc.edu',
    to: 'ana@ifsc.edu',
    cc: 'Carlos <carlos@ifsc.edu>',
    subject: 'Quarterly report',
    body: 'The quarterly report is attached and ready.',
    daysAgo: 2,
    seen: true,
    attachment: 'q3-report.xlsx',
  },
  {
    key: 'dinner',
    from: 'amy@example.org',
    to: 'ana@ifsc.edu',
    subject: 'Dinner on Saturday',
    body: 'Shall we have dinner at eight?',
    daysAgo: 3,
    flagged: true,
  },
  {
    key: 'movie',
    from: 'david@example.org',
    to: 'ana@ifsc.edu',
    subject: 'Movie night',
    body: 'A big deal of a movie, and dinner after.',
    daysAgo: 4,
    seen: true,
  },
  {
    key: 'sent',
    from: 'ana@ifsc.edu',
    to: 'Joel <joel@ifsc.edu>',
    subject: 'Re: Quarterly report',
    body: 'Thanks, looks good.',
    daysAgo: 5,
    box: 'sent',
    seen: true,
  },
  {
    key: 'trashed',
    from: 'bruna@paulolopes.fr',
    to: 'ana@ifsc.edu',
    subject: 'Old invoice',
    body: 'An invoice you deleted.',
    daysAgo: 6,
    box: 'trash',
  },
  {
    key: 'spam',
    from: 'winner@lottery.example',
    to: 'ana@ifsc.edu',
    subject: 'You won',
    body: 'Claim your invoice prize.',
    daysAgo: 7,
    box: 'junk',
  },
  {
    key: 'project',
    from: 'carlos@ifsc.edu',
    to: 'ana@ifsc.edu',
    subject: 'Kickoff',
    body: 'The project kickoff is on Monday.',
    daysAgo: 31,
    box: 'Projects',
    keywords: ['Work'],
  },
  {
    key: 'big',
    from: 'backup@ifsc.edu',
    to: 'ana@ifsc.edu',
    subject: 'Nightly dump',
    body: 'Dump attached inline.',
    daysAgo: 60,
    box: 'archive',
    padding: 40_000,
    seen: true,
  },
  {
    key: 'encoded',
    from: '=?UTF-8?Q?C=C3=A9u_Azul?= <ceu@ifsc.edu>',
    to: 'ana@ifsc.edu',
    subject: '=?UTF-8?Q?Relat=C3=B3rio_mensal?=',
    body: 'Segue o relatório.',
    daysAgo: 90,
  },
];

const BASE = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

function raw(s: Seed): Buffer {
  const head =
    `From: ${s.from}\nTo: ${s.to}\n${s.cc ? `Cc: ${s.cc}\n` : ''}Subject: ${s.subject}\nMessage-ID: <${s.key}@test>\n` +
    `Date: ${new Date(BASE - s.daysAgo * DAY).toUTCString()}\nMIME-Version: 1.0\n`;
  const text = s.body + (s.padding ? `\n${'x'.repeat(76)}\n`.repeat(Math.ceil(s.padding / 78)) : '');
  if (!s.attachment) return crlf(`${head}Content-Type: text/plain; charset=utf-8\n\n${text}\n`);
  return crlf(
    `${head}Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain; charset=utf-8\n\n${text}\n` +
      `--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="${s.attachment}"\nContent-Transfer-Encoding: base64\n\n${PDF}\n--B--\n`,
  );
}

describe('GET /api/v1/messages?q= (search)', () => {
  let t: TestApp;
  let ana: HttpClient;
  let boxes: MailboxView[];
  let anaId: string;
  const idOf = new Map<string, string>(); // seed key → message id
  const keyOf = new Map<string, string>(); // message id → seed key

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    anaId = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
    const biaId = (await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' })).id;
    ana = new HttpClient(t.baseUrl);
    expect((await ana.login('ana@ifsc.edu', 'ana-password')).status).toBe(200);
    expect((await ana.request('POST', '/api/v1/mailboxes', { name: 'Projects' })).status).toBe(201);
    boxes = (await ana.json<MailboxList>('GET', '/api/v1/mailboxes')).items;
    const boxId = (b: Seed['box']) => boxes.find((m) => (b === 'Projects' ? m.name === 'Projects' : m.specialUse === (b ?? 'inbox')))!.id;
    for (const s of SEEDS) {
      const bytes = raw(s);
      const [copy] = await t.store.deliver({
        raw: bytes,
        summary: await summarizeMessage(bytes),
        targets: [{ accountId: anaId, mailbox: { id: boxId(s.box) } }],
        envelopeFrom: 'x@example.org',
        internalDate: new Date(BASE - s.daysAgo * DAY),
        flags: { seen: s.seen ?? false },
      });
      idOf.set(s.key, copy!.messageId);
      keyOf.set(copy!.messageId, s.key);
      if (s.keywords || s.flagged) {
        const res = await ana.request('PATCH', `/api/v1/messages/${copy!.messageId}`, { addKeywords: s.keywords, flagged: s.flagged });
        expect(res.status).toBe(200);
      }
    }
    // Another account's mail with the same words must never show.
    const other = raw({ ...SEEDS[0]!, key: 'bia-invoice' });
    await t.store.deliver({
      raw: other,
      summary: await summarizeMessage(other),
      targets: [{ accountId: biaId, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: 'x@example.org',
    });
  });
  afterAll(() => t?.close());

  async function search(q: string, extra = ''): Promise<SearchResult> {
    return ana.json<SearchResult>('GET', `/api/v1/messages?q=${encodeURIComponent(q)}${extra}`);
  }
  const hits = async (q: string) => (await search(q)).items.map((m) => keyOf.get(m.id) ?? `?${m.id}`);

  // Expected hits newest first (daysAgo ascending). Trash and Junk only when in: asks for them.
  const cases: [string, string[]][] = [
    ['', ['invoice', 'report', 'dinner', 'movie', 'sent', 'project', 'big', 'encoded']],
    ['invoice', ['invoice']],
    ['INVOICE', ['invoice']],
    ['quarterly report', ['report', 'sent']],
    ['"report is attached"', ['report']],
    ['"attached report"', []],
    ['from:bruna', ['invoice']],
    ['from:"Bruna Lopes"', ['invoice']],
    ['from:amy OR from:david', ['dinner', 'movie']],
    ['from:amy OR from:david subject:movie', ['movie']],
    ['to:joel', ['sent']],
    ['cc:carlos', ['report']],
    ['subject:dinner', ['dinner']],
    ['dinner', ['dinner', 'movie']],
    ['dinner -subject:dinner', ['movie']],
    ['subject:relatório', ['encoded']],
    ['from:"céu azul"', ['encoded']],
    ['has:attachment', ['invoice', 'report']],
    ['filename:pdf', ['invoice']],
    ['filename:q3-report', ['report']],
    ['is:unread', ['invoice', 'dinner', 'project', 'encoded']],
    ['is:read', ['report', 'movie', 'sent', 'big']],
    ['is:starred', ['dinner']],
    ['-is:starred is:unread', ['invoice', 'project', 'encoded']],
    ['in:inbox', ['invoice', 'report', 'dinner', 'movie', 'encoded']],
    ['in:sent', ['sent']],
    ['in:archive', ['big']],
    ['in:trash', ['trashed']],
    ['in:spam', ['spam']],
    ['in:junk invoice', ['spam']],
    ['in:Projects', ['project']],
    ['in:projects', ['project']],
    ['in:nosuchfolder', []],
    ['in:anywhere invoice', ['invoice', 'trashed', 'spam']],
    ['invoice -in:trash', ['invoice']],
    ['label:work', ['project']],
    ['label:Projects', ['project']],
    ['label:nosuchlabel', []],
    ['after:2026/11/29', ['invoice', 'report']],
    ['after:2026-11-29 before:2026-11-30', ['report']],
    ['before:2026/11/01', ['project', 'big', 'encoded']],
    ['larger:30K', ['big']],
    ['smaller:1K -has:attachment', ['dinner', 'movie', 'sent', 'project', 'encoded']],
    ['(from:amy OR from:joel) -has:attachment', ['dinner']],
    ['-(is:read OR is:starred) -in:inbox', ['project']],
    // 1–2 characters: no trigram, the candidates are one pass over the account's text (same substring meaning).
    ['zq', []],
    ['xx', ['big']],
    ['ó', ['encoded']],
    ['subject:mo', ['movie']],
    ['xx OR zq', ['big']],
    ['e-mail', []],
    ['100%', []],
    ['under_score', []],
  ];
  it.each(cases)('%j', async (q, expected) => {
    expect(await hits(q)).toEqual(expected);
  });

  // The same table through each plan of the statement alone — both must give the same answers.
  describe('through the index-driven plan (every text term taken for a rare one)', () => {
    beforeAll(() => {
      t.app.get(MessageSearchService).commonAfterSampleHits = 1e9;
    });
    afterAll(() => {
      t.app.get(MessageSearchService).commonAfterSampleHits = 3;
    });
    it.each(cases)('%j', async (q, expected) => {
      expect(await hits(q)).toEqual(expected);
    });
  });

  describe('through the ordered plan (mail walked newest first per mailbox, text probed per row)', () => {
    beforeAll(() => {
      t.app.get(MessageSearchService).candidatesMax = 0;
    });
    afterAll(() => {
      t.app.get(MessageSearchService).candidatesMax = 5000;
    });
    it.each(cases)('%j', async (q, expected) => {
      expect(await hits(q)).toEqual(expected);
    });
    it('pages by cursor the same way', async () => {
      const first = await search('', '&limit=3');
      const second = await search('', `&limit=3&cursor=${first.nextCursor}`);
      expect([...first.items, ...second.items].map((m) => keyOf.get(m.id))).toEqual([
        'invoice',
        'report',
        'dinner',
        'movie',
        'sent',
        'project',
      ]);
    });
  });

  it('pages by cursor, newest first, with no repeats or gaps (keyset, not OFFSET)', async () => {
    const all = await hits('');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchResult = await search('', `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((m) => keyOf.get(m.id)!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('highlights the searched words in subject, snippet and sender as ranges, case-insensitively', async () => {
    const [hit] = (await search('invoice from:bruna')).items;
    expect(hit!.subject).toBe('Invoice March');
    expect(hit!.highlights.subject).toEqual([{ start: 0, end: 7 }]);
    const s = hit!.snippet;
    expect(hit!.highlights.snippet.map((r) => s.slice(r.start, r.end).toLowerCase())).toEqual(['invoice']);
    expect(hit!.highlights.fromAddress).toEqual([{ start: 0, end: 5 }]);
    expect(hit!.highlights.fromName.map((r) => hit!.from.name.slice(r.start, r.end))).toEqual(['Bruna']);
    expect(hit!.keywords).toEqual([]);
    const [project] = (await search('label:work')).items;
    expect(project!.keywords).toEqual(['Work']);
  });

  it('label:"<name>" finds a label by its name as well as by its keyword (the webmail names label views so)', async () => {
    const label = await ana.json<{ keyword: string }>('POST', '/api/v1/labels', { name: 'Trabalho 2026' });
    expect(label.keyword).not.toBe('Trabalho 2026');
    await ana.json('PATCH', `/api/v1/messages/${idOf.get('invoice')}`, { addKeywords: [label.keyword] });
    const keys = async (q: string) => (await search(q)).items.map((m) => keyOf.get(m.id));
    expect(await keys('label:"Trabalho 2026"')).toEqual(['invoice']);
    expect(await keys('label:"trabalho 2026"')).toEqual(['invoice']);
    expect(await keys(`label:${label.keyword}`)).toEqual(['invoice']);
    expect(await keys('invoice -label:"Trabalho 2026"')).not.toContain('invoice');
    await ana.json('PATCH', `/api/v1/messages/${idOf.get('invoice')}`, { removeKeywords: [label.keyword] });
  });

  it('mailboxId limits the search to one mailbox (Trash too, when named); another account’s mailbox is 404', async () => {
    const trash = boxes.find((b) => b.specialUse === 'trash')!.id;
    expect((await search('invoice', `&mailboxId=${trash}`)).items.map((m) => keyOf.get(m.id))).toEqual(['trashed']);
    const bia = new HttpClient(t.baseUrl);
    await bia.login('bia@ifsc.edu', 'bia-password');
    const res = await bia.request('GET', `/api/v1/messages?q=invoice&mailboxId=${trash}`);
    expect(res.status).toBe(404);
    // Bia's own search never sees Ana's mail.
    const mine = (await bia.json<SearchResult>('GET', '/api/v1/messages?q=invoice')).items;
    expect(mine.map((m) => m.subject)).toEqual(['Invoice March']);
    expect(mine.some((m) => idOf.get('invoice') === m.id)).toBe(false);
  });

  it('answers 400 with the position for malformed queries and bad parameters', async () => {
    for (const [q, position] of [
      ['subject:"open', 8],
      ['is:important', 3],
      ['before:tomorrow', 7],
      ['a OR', 2],
      ['(a b', 0],
      ['larger:huge', 7],
    ] as const) {
      const res = await ana.request('GET', `/api/v1/messages?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { code: string; details: { position: number }; message: string };
      expect(body.code).toBe('invalid_input');
      expect(body.details.position, q).toBe(position);
      expect(body.message).toMatch(/search query/);
    }
    expect((await ana.request('GET', '/api/v1/messages?cursor=bogus')).status).toBe(400);
    expect((await ana.request('GET', '/api/v1/messages?limit=0')).status).toBe(400);
    expect((await ana.request('GET', '/api/v1/messages?limit=101')).status).toBe(400);
    expect((await ana.request('GET', `/api/v1/messages?q=${'x'.repeat(1001)}`)).status).toBe(400);
    expect((await new HttpClient(t.baseUrl).request('GET', '/api/v1/messages?q=x')).status).toBe(401);
  });

  it('finds mail delivered a moment ago whose text is not complete yet (HTML only, still pending)', async () => {
    const html = crlf(
      'From: zed@example.org\nTo: ana@ifsc.edu\nSubject: Html only\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<p>The <b>zanzibar</b> plan</p>\n',
    );
    await t.store.deliver({
      raw: html,
      summary: await summarizeMessage(html),
      targets: [{ accountId: anaId, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: 'x@example.org',
    });
    expect((await search('zanzibar')).items.map((m) => m.subject)).toEqual(['Html only']);
  });
});
