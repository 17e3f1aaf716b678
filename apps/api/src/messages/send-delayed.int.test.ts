import type { CancelSendResult, SendMessageResult } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Undo send and scheduled send over REST, with the delivery worker running: every recipient (local
// ones too) waits in the queue until the time, the worker stores local ones straight into their
// INBOX (no SMTP), and a cancel before then takes it all back and returns the Sent copy to Drafts.
describe('delayed sends (undo, scheduled)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let bruna: HttpClient;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_ROLES: 'http,smtp,delivery' });
    for (const a of ['bruna', 'joel']) ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  async function subjects(accountId: string, use: 'inbox' | 'sent' | 'drafts'): Promise<string[]> {
    const box = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === use)!;
    return (await t.store.listMessages(accountId, box.id, 50)).map((m) => m.subject);
  }

  async function until(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await check()) return true;
    return false;
  }

  it('undo: nothing reaches the local recipient, and the Sent copy comes back as a draft', async () => {
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], subject: 'ops, errei', text: 'rascunho', undoSeconds: 2 });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as SendMessageResult;
    expect(sent).toMatchObject({ delivered: 0, queued: 1, queueId: expect.any(String), scheduledFor: expect.any(String) });
    expect(await subjects(ids.joel!, 'inbox')).not.toContain('ops, errei');

    const cancel = await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, { sentId: sent.sentId });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as CancelSendResult).draftId).toBe(sent.sentId);
    expect(await subjects(ids.bruna!, 'drafts')).toContain('ops, errei');
    expect(await subjects(ids.bruna!, 'sent')).not.toContain('ops, errei');
    await sleep(3_000);
    expect(await subjects(ids.joel!, 'inbox')).not.toContain('ops, errei');
    // Gone from the queue: a second cancel finds nothing.
    expect((await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, {})).status).toBe(404);
  });

  it('scheduled: delivered into the local INBOX by the worker when the time comes; too late to cancel after', async () => {
    const sendAt = new Date(Date.now() + 1_500).toISOString();
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], subject: 'agendada', text: 'bom dia', sendAt });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as SendMessageResult;
    expect(sent.scheduledFor).toBe(sendAt);
    expect(await subjects(ids.joel!, 'inbox')).not.toContain('agendada');
    expect(await until(async () => (await subjects(ids.joel!, 'inbox')).includes('agendada'))).toBe(true);
    expect((await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, {})).status).toBe(409);
    // Exactly one copy, and the queue says delivered.
    expect((await subjects(ids.joel!, 'inbox')).filter((s) => s === 'agendada')).toHaveLength(1);
    const { rows } = await t.db.pool.query('SELECT state FROM outbound_recipients WHERE message_id = $1', [sent.queueId]);
    expect(rows).toEqual([{ state: 'delivered' }]);
  });

  it("another account cannot cancel someone's send", async () => {
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], subject: 'minha', text: 'x', undoSeconds: 30 });
    const sent = (await res.json()) as SendMessageResult;
    const joel = new HttpClient(t.baseUrl);
    await joel.login('joel@paulolopes.fr', 'joel-password');
    expect((await joel.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, {})).status).toBe(404);
    expect((await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, {})).status).toBe(200);
  });
});
