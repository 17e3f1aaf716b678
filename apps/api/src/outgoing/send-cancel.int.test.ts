import type { CancelSendResult, DraftView, MessageDeliveryStatus, SendMessageResult } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The sender's view of what it sent (delivery status, undo/cancel) never shows what is not the
// sender's: an alias's private forward target (DESIGN invariant 4) or a message the queue entry was
// not made for. No delivery worker runs, so every queued recipient stays cancellable.
describe('send, delivery status and cancel: only what the sender wrote', () => {
  let t: TestApp;
  let bruna: HttpClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_HOSTNAME: 'mail.paulolopes.fr' });
    for (const a of ['bruna', 'joel']) ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    // joel's private forwarding: mail to equipe@ also goes to his address elsewhere.
    await t.aliases.addAlias('equipe@paulolopes.fr', 'joel@paulolopes.fr');
    await t.aliases.addAlias('equipe@paulolopes.fr', 'joel.private@elsewhere.example');
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  it("an alias's external forward is neither in the sender's delivery status nor in the cancelled send's draft", async () => {
    const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', {
      to: ['ana@ifsc.edu'],
      cc: ['equipe@paulolopes.fr'],
      bcc: ['hidden@ifsc.edu'],
      subject: 'para a equipe',
      text: 'x',
    });
    expect(sent.queueId).not.toBeNull();
    // The forward is queued (the alias owner gets the mail)...
    const { rows } = await t.db.pool.query<{ address: string }>('SELECT address FROM outbound_recipients WHERE message_id = $1 ORDER BY id', [sent.queueId]);
    expect(rows.map((r) => r.address).sort()).toEqual(['ana@ifsc.edu', 'hidden@ifsc.edu', 'joel.private@elsewhere.example']);
    // ...but the sender never sees where.
    const status = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${sent.sentId}/delivery`);
    expect(JSON.stringify(status)).not.toContain('elsewhere.example');
    expect(status.recipients.map((r) => [r.address, r.state]).sort()).toEqual([
      ['ana@ifsc.edu', 'queued'],
      ['equipe@paulolopes.fr', 'delivered'],
      ['hidden@ifsc.edu', 'queued'],
    ]);

    const cancelled = await bruna.json<CancelSendResult>('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, { sentId: sent.sentId });
    expect(cancelled.draftId).not.toBeNull();
    const draft = await bruna.json<DraftView>('GET', `/api/v1/drafts/${cancelled.draftId}`);
    expect(JSON.stringify(draft)).not.toContain('elsewhere.example');
    expect(draft.bcc.map((a) => a.address)).toEqual(['hidden@ifsc.edu']);
    const after = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${cancelled.draftId}/delivery`);
    expect(JSON.stringify(after)).not.toContain('elsewhere.example');
  });

  it('cancel with the sentId of another message (an INBOX one) cancels its own entry and leaves that message alone', async () => {
    const raw = Buffer.from('From: ana@ifsc.edu\r\nTo: bruna@paulolopes.fr\r\nSubject: recebida\r\nMessage-ID: <recebida-1@ifsc.edu>\r\n\r\nx\r\n');
    const [received] = await t.store.deliver({ raw, summary: await summarizeMessage(raw), envelopeFrom: 'ana@ifsc.edu', targets: [{ accountId: ids.bruna!, mailbox: { specialUse: 'inbox' } }] });
    const before = await t.store.getMessage(ids.bruna!, received!.messageId);
    const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', { to: ['ana@ifsc.edu'], subject: 'desfazer', text: 'x', undoSeconds: 60 });
    const res = await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, { sentId: received!.messageId });
    expect(res.status).toBe(200);
    // The entry's own Sent copy came back as the draft; the INBOX message is untouched.
    expect(((await res.json()) as CancelSendResult).draftId).toBe(sent.sentId);
    const still = await t.store.getMessage(ids.bruna!, received!.messageId);
    expect(still).toMatchObject({ mailboxId: before.mailboxId, draft: false, modseq: before.modseq });
    expect((await t.store.getMessage(ids.bruna!, sent.sentId)).draft).toBe(true);
  });

  it('a cancel whose Sent copy was deleted still cancels and answers draftId null', async () => {
    const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', { to: ['ana@ifsc.edu'], subject: 'apagada', text: 'x', undoSeconds: 60 });
    await t.db.pool.query('DELETE FROM messages WHERE account_id = $1 AND id = $2', [ids.bruna, sent.sentId]);
    const res = await bruna.request('POST', `/api/v1/messages/send/${sent.queueId}/cancel`, { sentId: sent.sentId });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ draftId: null });
    const { rows } = await t.db.pool.query<{ state: string }>('SELECT state FROM outbound_recipients WHERE message_id = $1', [sent.queueId]);
    expect(rows.map((r) => r.state)).toEqual(['cancelled']);
  });

  it('a failure after COMMIT (marking the original \\Answered) does not turn the send into an error', async () => {
    const spy = vi.spyOn(t.store, 'markAnswered').mockRejectedValueOnce(new Error('database went away'));
    try {
      const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['ana@ifsc.edu'], subject: 'Re: x', text: 'x', inReplyTo: '<recebida-1@ifsc.edu>' });
      expect(res.status).toBe(201);
      expect(spy).toHaveBeenCalledOnce();
      const sent = (await res.json()) as SendMessageResult;
      expect((await t.store.getMessage(ids.bruna!, sent.sentId)).subject).toBe('Re: x');
    } finally {
      spy.mockRestore();
    }
  });
});
