import type { BulkResult, LabelView, MailboxList, MessagePage } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { BULK_QUERY_RESOLVER } from './bulk-query.resolver.js';
import type { SearchQueryResolver } from './search-query.resolver.js';

// "Select all N matching the search" (issue 12 item 4): ONE POST /api/v1/bulk naming the query, not
// ids, resolved on the server by the same search as GET /api/v1/messages?q= — across search pages
// (the resolver's page is set to 4 here so 15 matches take four statements), Trash left out as the
// search leaves it out, a label view's `label:"<name>"` finding the label's keyword, undo restoring
// exactly what changed. Real HTTP, real database (PostgreSQL or PGlite).

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('bulk actions on everything matching a search', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };
  let boxes: Record<string, string>;
  const fatura: string[] = [];
  const other: string[] = [];

  const bulk = (http: HttpClient, body: unknown) => http.json<BulkResult>('POST', '/api/v1/bulk', body);
  const inbox = async () => (await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes.inbox}/page?limit=200`)).items;
  const seenOf = async (ids: string[]) => {
    const byId = new Map((await inbox()).map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id)?.seen);
  };

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    (t.app.get(BULK_QUERY_RESOLVER) as SearchQueryResolver).pageSize = 4;
    const account = async (address: string) => {
      const id = (await t.directory.addAccount({ address, password: `${address}-pw` })).id;
      const http = new HttpClient(t.baseUrl);
      expect((await http.login(address, `${address}-pw`)).status).toBe(200);
      return { id, http };
    };
    ana = await account('ana@ifsc.edu');
    bia = await account('bia@ifsc.edu');
    boxes = Object.fromEntries(
      (await ana.http.json<MailboxList>('GET', '/api/v1/mailboxes')).items.map((m) => [m.specialUse ?? m.name, m.id]),
    );
    for (let n = 1; n <= 20; n++) {
      const isFatura = n % 4 !== 0; // 15 of 20
      const raw = crlf(
        `From: ${isFatura ? 'cobranca@loja.example' : 'amigo@example.org'}\nTo: ana@ifsc.edu\nSubject: ${isFatura ? `Fatura ${n}` : `Oi ${n}`}\nMessage-ID: <q${n}@example.org>\n\nTexto ${n}\n`,
      );
      const [c] = await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: ana.id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'x@example.org',
        internalDate: new Date(Date.parse('2026-12-01T10:00:00Z') + n * 60_000),
      });
      (isFatura ? fatura : other).push(c!.messageId);
    }
    // A matching message in Trash: the search (so "all matching") leaves Trash out.
    const raw = crlf('From: cobranca@loja.example\nTo: ana@ifsc.edu\nSubject: Fatura velha\nMessage-ID: <qt@example.org>\n\nx\n');
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: ana.id, mailbox: { specialUse: 'trash' } }],
      envelopeFrom: 'x@example.org',
    });
  });
  afterAll(() => t?.close());

  it('marks every match read in one request (across search pages), leaves the rest and Trash alone, and undoes it', async () => {
    const res = await bulk(ana.http, { target: { query: 'subject:fatura' }, action: { type: 'markRead' } });
    expect(res.affected).toBe(15);
    expect(await seenOf(fatura)).toEqual(fatura.map(() => true));
    expect(await seenOf(other)).toEqual(other.map(() => false));
    const trash = (await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes.trash}/page?limit=10`)).items;
    expect(trash.map((m) => [m.subject, m.seen])).toEqual([['Fatura velha', false]]);
    expect((await ana.http.json<{ restored: number }>('POST', '/api/v1/bulk/undo', { token: res.undo!.token })).restored).toBe(15);
    expect(await seenOf(fatura)).toEqual(fatura.map(() => false));
  });

  it('combines operators and a mailbox, and names labels by their name (a label view)', async () => {
    const label = await ana.http.json<LabelView>('POST', '/api/v1/labels', { name: 'Contas a pagar' });
    expect(label.keyword).not.toBe('Contas a pagar');
    const labelled = await bulk(ana.http, {
      target: { query: 'from:cobranca -subject:"Fatura 1"', mailboxId: boxes.inbox },
      action: { type: 'addLabel', labelId: label.id },
    });
    // Of the 15 Faturas, 1, 10, 11, 13, 14, 15, 17, 18 and 19 contain "fatura 1": 6 are left.
    const expected = fatura.length - [1, 10, 11, 13, 14, 15, 17, 18, 19].length;
    expect(labelled.affected).toBe(expected);
    const starred = await bulk(ana.http, { target: { query: `label:"Contas a pagar"` }, action: { type: 'star' } });
    expect(starred.affected).toBe(expected);
    const flagged = (await inbox()).filter((m) => m.flagged).map((m) => m.subject);
    expect(flagged).toHaveLength(expected);
    expect(flagged.every((s) => s.startsWith('Fatura ') && !s.startsWith('Fatura 1'))).toBe(true);
  });

  it("answers 400 with the position for a malformed query, and never reaches another account's mail", async () => {
    const bad = await ana.http.request('POST', '/api/v1/bulk', { target: { query: '(fatura' }, action: { type: 'markRead' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/without a matching/);
    const theirs = await bulk(bia.http, { target: { query: 'fatura' }, action: { type: 'markRead' } });
    expect(theirs.affected).toBe(0);
    expect(await seenOf(fatura)).toEqual(fatura.map(() => false));
  });
});
