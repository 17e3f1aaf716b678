import type { CancelSendResult, DraftView, MessageDeliveryStatus, SendMessageResult } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The sender's view of what it sent (delivery status, undo/cancel) never shows what is not the
// sender's: an alias's private forward target (DESIGN invariant 4). No delivery worker runs, so every queued recipient stays cancellable.
describe('send, delivery status and cancel: only what the sender wrote', () => {
  let t: TestApp;
  let bruna: HttpClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_HOSTNAME: 'mail.paulolopes.fr' });
    for (const a of ['bruna', 'joel']) ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    // joel's private forwarding: mail to equipe@ also goes to his address elsewhere.
    await t.directory.addAlias('equipe@paulolopes.fr', 'joel@paulolopes.fr');
    await t.directory.addAlias('equipe@paulolopes.fr', 'joel.private@elsewhere.example');
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
