import type { MessageDetail, SendMessageResult } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The REST send path over real HTTP against a real database: local recipients at once, remote ones
// queued, the Sent copy, Bcc never in the message, and the refusals a form needs.
describe('POST /api/v1/messages/send', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let bruna: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_HOSTNAME: 'mail.paulolopes.fr' });
    for (const a of ['bruna', 'joel', 'carlos']) {
      ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    }
    await t.aliases.addAlias('contato@paulolopes.fr', 'bruna@paulolopes.fr');
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  async function mailbox(accountId: string, use: 'inbox' | 'sent') {
    const box = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === use)!;
    return t.store.listMessages(accountId, box.id, 50);
  }

  /** Queue entries whose bytes contain `needle` (a Subject or Message-ID header line). */
  async function queued(needle: string): Promise<{ address: string; envelope_from: string }[]> {
    const { rows } = await t.db.pool.query(
      `SELECT r.address, m.envelope_from FROM outbound_recipients r JOIN outbound_messages m ON m.id = r.message_id
        JOIN blobs b ON b.id = m.blob_id WHERE position($1 in convert_from(b.data, 'UTF8')) > 0 ORDER BY r.address`,
      [needle],
    );
    return rows;
  }

  it('delivers to local recipients, queues remote ones, files a read copy in Sent, and hides Bcc', async () => {
    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: [{ name: 'Joel', address: 'Joel@PauloLopes.fr' }, 'ana@gmail.example'],
      bcc: ['carlos@paulolopes.fr'],
      subject: 'Reunião amanhã',
      text: 'Oi, podemos falar às 10h?\n.\nBruna',
    });
    expect(res.status).toBe(201);
    const result = (await res.json()) as SendMessageResult;
    expect(result).toMatchObject({ delivered: 2, queued: 1, messageId: expect.stringMatching(/^<.+@mail\.paulolopes\.fr>$/) });

    const [atJoel] = (await mailbox(ids.joel!, 'inbox')).filter((m) => m.subject === 'Reunião amanhã');
    expect(atJoel).toMatchObject({ fromAddress: 'bruna@paulolopes.fr', seen: false });
    expect((await mailbox(ids.carlos!, 'inbox')).filter((m) => m.subject === 'Reunião amanhã')).toHaveLength(1);
    const raw = (await t.store.getRaw(ids.joel!, atJoel!.id)).raw.toString('utf8');
    expect(raw).not.toMatch(/carlos/i); // Bcc is envelope only
    expect(raw).toContain(`Message-ID: ${result.messageId}\r\n`);
    expect(raw).not.toMatch(/(?<!\r)\n/);

    const sent = await bruna.json<MessageDetail>('GET', `/api/v1/messages/${result.sentId}`);
    expect(sent).toMatchObject({ subject: 'Reunião amanhã', seen: true, text: 'Oi, podemos falar às 10h?\n.\nBruna\n' });
    expect((await mailbox(ids.bruna!, 'sent')).map((m) => m.id)).toContain(result.sentId);
    expect(await queued(`Message-ID: ${result.messageId}`)).toEqual([{ address: 'ana@gmail.example', envelope_from: 'bruna@paulolopes.fr' }]);
  });

  it('queues remote recipients with the From address as envelope sender; sends as an alias it owns', async () => {
    const res = await bruna.request('POST', '/api/v1/messages/send', { from: 'contato@paulolopes.fr', to: ['ana@gmail.example', 'beto@outlook.example'], subject: 'orcamento', html: '<p>Segue o <b>orçamento</b></p>' });
    expect(res.status).toBe(201);
    expect(await queued('Subject: orcamento')).toEqual([
      { address: 'ana@gmail.example', envelope_from: 'contato@paulolopes.fr' },
      { address: 'beto@outlook.example', envelope_from: 'contato@paulolopes.fr' },
    ]);
    const [copy] = (await mailbox(ids.bruna!, 'sent')).filter((m) => m.subject === 'orcamento');
    expect(copy).toBeDefined();
  });

  it('sending to oneself: one copy in INBOX, and sentId names the one in Sent', async () => {
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['bruna@paulolopes.fr'], subject: 'nota para mim', text: 'lembrete' });
    const result = (await res.json()) as SendMessageResult;
    expect((await mailbox(ids.bruna!, 'inbox')).filter((m) => m.subject === 'nota para mim')).toHaveLength(1);
    const sentCopies = (await mailbox(ids.bruna!, 'sent')).filter((m) => m.subject === 'nota para mim');
    expect(sentCopies.map((m) => m.id)).toEqual([result.sentId]);
  });

  it('refuses what a form must not send, and stores nothing', async () => {
    const before = (await mailbox(ids.joel!, 'inbox')).length;
    const cases: [unknown, number, RegExp][] = [
      [{ to: [], subject: 'x', text: 'x' }, 400, /at least one recipient/],
      [{ to: ['not an address'], text: 'x' }, 400, /email/i],
      [{ to: ['joel@paulolopes.fr', 'ninguem@paulolopes.fr'], text: 'x' }, 400, /no such local recipient/],
      [{ from: 'joel@paulolopes.fr', to: ['joel@paulolopes.fr'], text: 'x' }, 403, /not an address this account can send as/],
      [{ to: ['joel@paulolopes.fr'], attachments: [{ filename: 'a.bin', content: '***' }] }, 400, /base64/],
    ];
    for (const [body, status, message] of cases) {
      const res = await bruna.request('POST', '/api/v1/messages/send', body);
      expect([res.status, await res.text()]).toEqual([status, expect.stringMatching(message)]);
    }
    expect((await mailbox(ids.joel!, 'inbox')).length).toBe(before);
    // Without the CSRF token (a cross-site form post) nothing is sent either.
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], text: 'x' }, { 'x-csrf-token': 'wrong' });
    expect(res.status).toBe(403);
    expect((await mailbox(ids.joel!, 'inbox')).length).toBe(before);
  });

  it('needs a session', async () => {
    const anonymous = new HttpClient(t.baseUrl);
    expect((await anonymous.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], text: 'x' })).status).toBe(401);
  });
});
