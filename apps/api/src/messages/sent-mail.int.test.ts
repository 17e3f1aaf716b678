import { type CancelSendResult, type DraftView, MessageDeliveryStatus, ScheduledMessageList, type SendMessageResult } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// What became of sent mail, over real HTTP with the delivery worker and a scripted remote MX (a
// static transport map): scheduled sends listed and cancelled back into Drafts (Bcc kept), and
// each recipient's delivery status from the queue's records, with bounces explained.
describe('scheduled sends and delivery status', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let bruna: HttpClient;
  const ids: Record<string, string> = {};
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('ok@')) return cb();
        const code = address.address.startsWith('nobody@') ? 550 : 451;
        const err = new Error(code === 550 ? '5.1.1 <nobody@remote.example>: Recipient address rejected: User unknown' : '4.3.0 try again later') as Error & {
          responseCode: number;
        };
        err.responseCode = code;
        cb(err);
      },
      onData(stream, _session, cb) {
        stream.on('data', () => undefined);
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${port}`,
      CORREIO_DELIVERY_RETRY_SCHEDULE: '10m',
    });
    for (const a of ['bruna', 'joel']) ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
    let v = await get();
    for (const end = Date.now() + ms; !ok(v) && Date.now() < end; await sleep(150)) v = await get();
    return v;
  }

  it('lists a scheduled send and an undo window; cancel brings the Sent copy back as a \\Draft with its Bcc', async () => {
    const sendAt = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', {
      to: ['ok@remote.example'],
      bcc: ['hidden@remote.example'],
      subject: 'agendada',
      html: '<p>bom dia</p>',
      sendAt,
    });
    const undo = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], subject: 'desfazer', text: 'x', undoSeconds: 60 });
    const list = await bruna.json<ScheduledMessageList>('GET', '/api/v1/messages/scheduled');
    expect(ScheduledMessageList.parse(list)).toEqual(list);
    expect(list.items).toEqual([
      { queueId: undo.queueId, sentId: undo.sentId, subject: 'desfazer', to: ['joel@paulolopes.fr'], sendAt: undo.scheduledFor },
      { queueId: scheduled.queueId, sentId: scheduled.sentId, subject: 'agendada', to: ['ok@remote.example', 'hidden@remote.example'], sendAt },
    ]);
    const status = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${scheduled.sentId}/delivery`);
    expect(status).toEqual({
      queueId: scheduled.queueId,
      recipients: [
        { address: 'ok@remote.example', state: 'scheduled', attempts: 0, lastReply: null, explanation: null, lastAttemptAt: null, nextAttemptAt: sendAt },
        { address: 'hidden@remote.example', state: 'scheduled', attempts: 0, lastReply: null, explanation: null, lastAttemptAt: null, nextAttemptAt: sendAt },
      ],
    });
    // Another account sees none of it.
    const joel = new HttpClient(t.baseUrl);
    await joel.login('joel@paulolopes.fr', 'joel-password');
    expect((await joel.json<ScheduledMessageList>('GET', '/api/v1/messages/scheduled')).items).toEqual([]);
    expect((await joel.request('GET', `/api/v1/messages/${scheduled.sentId}/delivery`)).status).toBe(404);

    const cancelled = await bruna.json<CancelSendResult>('POST', `/api/v1/messages/send/${scheduled.queueId}/cancel`, { sentId: scheduled.sentId });
    const draft = await bruna.json<DraftView>('GET', `/api/v1/drafts/${cancelled.draftId}`);
    expect(draft).toMatchObject({ subject: 'agendada', to: [{ address: 'ok@remote.example' }], bcc: [{ address: 'hidden@remote.example' }], html: '<p>bom dia</p>' });
    expect((await t.store.getMessage(ids.bruna!, cancelled.draftId!)).draft).toBe(true);
    expect((await bruna.request('GET', `/api/v1/messages/${scheduled.sentId}`)).status).toBe(404);
    // The entry stays, cancelled, and the draft (the Sent copy rewritten with its Bcc) still shows it.
    expect((await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${cancelled.draftId}/delivery`)).recipients.map((r) => [r.address, r.state])).toEqual([
      ['ok@remote.example', 'cancelled'],
      ['hidden@remote.example', 'cancelled'],
    ]);
    expect((await bruna.request('POST', `/api/v1/messages/send/${scheduled.queueId}/cancel`, {})).status).toBe(404);

    // Without Bcc the Sent copy itself moves (same id), flagged \Draft.
    const moved = await bruna.json<CancelSendResult>('POST', `/api/v1/messages/send/${undo.queueId}/cancel`, { sentId: undo.sentId });
    expect(moved.draftId).toBe(undo.sentId);
    expect((await bruna.json<DraftView>('GET', `/api/v1/drafts/${undo.sentId}`)).subject).toBe('desfazer');
    expect((await bruna.json<ScheduledMessageList>('GET', '/api/v1/messages/scheduled')).items).toEqual([]);
  });

  it('per recipient: delivered with the remote reply, bounced and deferred explained, local ones delivered at once', async () => {
    const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', {
      to: ['ok@remote.example', 'nobody@remote.example', 'joel@paulolopes.fr'],
      cc: ['later@remote.example'],
      subject: 'status',
      text: 'x',
    });
    const status = await until(
      () => bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${sent.sentId}/delivery`),
      (s) => s.recipients.every((r) => r.state !== 'queued'),
    );
    expect(MessageDeliveryStatus.parse(status)).toEqual(status);
    const by = Object.fromEntries(status.recipients.map((r) => [r.address, r]));
    expect(status.queueId).toBe(sent.queueId);
    expect(by['ok@remote.example']).toMatchObject({ state: 'delivered', attempts: 1, lastReply: expect.stringMatching(/^250/), explanation: null, nextAttemptAt: null });
    expect(by['ok@remote.example']!.lastAttemptAt).toEqual(expect.any(String));
    expect(by['nobody@remote.example']).toMatchObject({
      state: 'bounced',
      lastReply: expect.stringMatching(/^550 5\.1\.1/),
      explanation: "The recipient's server says this address does not exist.",
    });
    expect(by['later@remote.example']).toMatchObject({ state: 'deferred', explanation: expect.stringMatching(/Correio will keep trying/), nextAttemptAt: expect.any(String) });
    expect(by['joel@paulolopes.fr']).toEqual({ address: 'joel@paulolopes.fr', state: 'delivered', attempts: 0, lastReply: null, explanation: null, lastAttemptAt: null, nextAttemptAt: null });
  });

  it('a Sent message with no queue entry (only local recipients, or purged) tells nothing rather than guess; a received message is 404', async () => {
    const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], subject: 'local', text: 'x' });
    expect(await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${sent.sentId}/delivery`)).toEqual({ queueId: null, recipients: [] });
    // An entry purged after it bounced: not "delivered".
    const bounced = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', { to: ['nobody@remote.example', 'joel@paulolopes.fr'], subject: 'purgada', text: 'x' });
    await until(
      () => bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${bounced.sentId}/delivery`),
      (s) => s.recipients.some((r) => r.state === 'bounced'),
    );
    await t.db.pool.query('DELETE FROM outbound_messages WHERE id = $1', [bounced.queueId]);
    expect(await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/${bounced.sentId}/delivery`)).toEqual({ queueId: null, recipients: [] });
    const raw = Buffer.from('From: ana@ifsc.edu\r\nTo: bruna@paulolopes.fr\r\nSubject: recebida\r\n\r\nx\r\n');
    const [copy] = await t.store.deliver({ raw, summary: await summarizeMessage(raw), envelopeFrom: 'ana@ifsc.edu', targets: [{ accountId: ids.bruna!, mailbox: { specialUse: 'inbox' } }] });
    expect((await bruna.request('GET', `/api/v1/messages/${copy!.messageId}/delivery`)).status).toBe(404);
    expect((await bruna.request('GET', '/api/v1/messages/0/delivery')).status).toBe(404);
  });
});
