import { ContactSuggestions } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ContactsIndexer } from './contacts.indexer.js';
import { ContactsService, addressPrefixPattern, nameQuery } from './contacts.service.js';
import { rankKeySql, suggestSql } from './repositories/contact.repository.js';

// Contact suggestions: folded from stored mail by the indexer (never on the delivery path), matched
// by prefix of the address, the name or a word of it, ranked by frequency and recency; answered
// from indexes with 10,000 correspondents.
describe('contact suggestions', () => {
  let t: TestApp;
  let bruna: HttpClient;
  let brunaId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr' });
    brunaId = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  async function receive(from: string, subject: string, mailbox: 'inbox' | 'junk' = 'inbox') {
    const raw = Buffer.from(`From: ${from}\r\nTo: bruna@paulolopes.fr\r\nSubject: ${subject}\r\n\r\nbody\r\n`);
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), envelopeFrom: 'x@ifsc.edu', targets: [{ accountId: brunaId, mailbox: { specialUse: mailbox } }] });
  }
  const suggest = (q: string, limit = 8) => bruna.json<ContactSuggestions>('GET', `/api/v1/contacts/suggest?q=${encodeURIComponent(q)}&limit=${limit}`);

  it('ranks people written to above people only heard from, matches name words, skips own address, Junk and drafts', async () => {
    for (let i = 0; i < 2; i++) await bruna.json('POST', '/api/v1/messages/send', { to: [{ name: 'Joel Silva', address: 'joel@ifsc.edu' }], cc: ['bruna@paulolopes.fr'], text: 'oi' });
    for (let i = 0; i < 3; i++) await receive('Joana Prado <Joana@ifsc.edu>', `oi ${i}`);
    await receive('"Jorge Spam" <jorge@spam.example>', 'ganhe', 'junk');
    await bruna.json('PUT', '/api/v1/drafts', { to: [{ address: 'jonas@ifsc.edu' }] });
    await receive('Ana Maria Souza <ana@ifsc.edu>', 'reunião');
    expect(await t.app.get(ContactsIndexer).foldAll(0)).toBeGreaterThan(0);

    const jo = await suggest('jo');
    expect(ContactSuggestions.parse(jo)).toEqual(jo);
    expect(jo.items.map((c) => [c.address, c.name, c.sent, c.received])).toEqual([
      ['joel@ifsc.edu', 'Joel Silva', 2, 0],
      ['joana@ifsc.edu', 'Joana Prado', 0, 3],
    ]);
    expect((await suggest('SILV')).items.map((c) => c.address)).toEqual(['joel@ifsc.edu']);
    expect((await suggest('maria so')).items.map((c) => c.address)).toEqual(['ana@ifsc.edu']);
    expect((await suggest('joana@ifsc')).items.map((c) => c.address)).toEqual(['joana@ifsc.edu']);
    expect((await suggest('bruna')).items).toEqual([]);
    expect((await suggest('%')).items).toEqual([]);
    expect((await suggest('')).items[0]?.address).toBe('joel@ifsc.edu');
    // Folding again finds nothing new: nothing is counted twice.
    expect(await t.app.get(ContactsIndexer).foldAll(0)).toBe(0);
    expect((await suggest('joel')).items[0]?.sent).toBe(2);
  });

  it('the indexer runs by itself: a correspondent appears a few seconds after the mail is stored', async () => {
    await receive('Zelia Quintas <zelia@ifsc.edu>', 'oi');
    let found: ContactSuggestions = { items: [] };
    for (const end = Date.now() + 15_000; found.items.length === 0 && Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
      found = await suggest('quint');
    }
    expect(found.items.map((c) => [c.address, c.received])).toEqual([['zelia@ifsc.edu', 1]]);
  });

  it('a message dated in the future (IMAP APPEND) does not hold the indexer back', async () => {
    const raw = Buffer.from('From: Futuro <futuro@ifsc.edu>\r\nTo: bruna@paulolopes.fr\r\nSubject: 2030\r\n\r\nx\r\n');
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), envelopeFrom: 'futuro@ifsc.edu', internalDate: new Date('2030-01-01T00:00:00Z'), targets: [{ accountId: brunaId, mailbox: { specialUse: 'inbox' } }] });
    await receive('Depois <depois@ifsc.edu>', 'normal');
    await t.app.get(ContactsIndexer).foldAll(0);
    const [futuro] = (await suggest('futuro')).items;
    expect(futuro?.address).toBe('futuro@ifsc.edu');
    // Its date counts as now, not 2030: it does not outrank everyone for years.
    expect(Date.parse(futuro!.lastAt)).toBeLessThanOrEqual(Date.now());
    expect((await suggest('depois')).items.map((c) => c.address)).toEqual(['depois@ifsc.edu']);
  });

  it('recency counts: a correspondent of long ago ranks below a recent one with fewer messages', async () => {
    await t.db.pool.query(
      `INSERT INTO contacts (account_id, address, name, sent_count, received_count, last_at, rank_key)
       SELECT $1, a, n, s, 0, at, ${rankKeySql('s', '0', 'at')}
         FROM (VALUES ('carla.antiga@ifsc.edu', 'Carla Antiga', 10, now() - interval '2 years'),
                      ('carla.nova@ifsc.edu', 'Carla Nova', 2, now() - interval '1 day')) v(a, n, s, at)`,
      [brunaId],
    );
    expect((await suggest('carla')).items.map((c) => c.address)).toEqual(['carla.nova@ifsc.edu', 'carla.antiga@ifsc.edu']);
  });

  it('10,000 correspondents: index scans only, every query answers', async () => {
    await t.db.pool.query(
      `INSERT INTO contacts (account_id, address, name, sent_count, received_count, last_at, rank_key)
       SELECT $1, 'pessoa' || g || '@dominio' || (g % 97) || '.example', 'Pessoa ' || g || ' Sobrenome' || (g % 500),
              g % 7, g % 13, now() - make_interval(hours => g), ${rankKeySql('g % 7', 'g % 13', 'now() - make_interval(hours => g)')}
         FROM generate_series(1, 10000) g`,
      [brunaId],
    );
    await t.db.pool.query('ANALYZE contacts');
    // Narrow prefixes combine the prefix indexes; broad ones read the rank index in order.
    const plans: string[] = [];
    for (const q of ['pessoa123', 'sobrenome49', 'pessoa1234@', 'p', '']) {
      const sql = q === '' ? suggestSql(false) : suggestSql(nameQuery(q) !== '');
      const params = q === '' ? [brunaId, '%', 8] : nameQuery(q) ? [brunaId, addressPrefixPattern(q), nameQuery(q), 8] : [brunaId, addressPrefixPattern(q), 8];
      const { rows } = await t.db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan, plan).toMatch(/contacts_(address_prefix|name_words|rank)_idx/);
      expect(plan, plan).not.toMatch(/Seq Scan on contacts/);
      plans.push(plan);
    }
    expect(plans.join('\n')).toMatch(/contacts_name_words_idx/);
    expect(plans.join('\n')).toMatch(/contacts_address_prefix_idx/);
    const service = t.app.get(ContactsService);
    for (let i = 0; i < 10; i++) await service.suggest(brunaId, 'pessoa', 8); // warm-up (plans, caches)
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const q = ['pessoa', 'pessoa1', 'sobrenome4', 'pessoa99', 'p', 'sob'][i % 6]!;
      const start = performance.now();
      const r = await service.suggest(brunaId, q, 8);
      times.push(performance.now() - start);
      expect(r.items.length).toBeGreaterThan(0);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.log(`contacts suggest, 10,000 contacts: p50 ${times[30]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${t.testDb.kind})`);
    // No timing assertion: on a shared 2-core CI machine p95 swings with whatever else runs (seen
    // 57 ms on PostgreSQL under a parallel run, 3–6 ms alone). The plans above are the guard; the
    // speed is measured by bench/compose-ui.mjs (issue 9's 50 ms target).
  });
});
