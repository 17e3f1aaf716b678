import { createHash } from 'node:crypto';
import { DraftView, type MessageDetail, SaveDraftResult, UploadView } from '@correio/contracts';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, fileForm } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// Drafts over real HTTP: real MIME messages in Drafts with \Draft, replaced in place (never a pile
// of copies), resumed with their attachments, discarded; another account's draft is missing.
describe('drafts', () => {
  let t: TestApp;
  let bruna: HttpClient;
  let brunaId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr' });
    brunaId = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password', displayName: 'Bruna Lopes' })).id;
    await t.directory.addAccount({ address: 'joel@paulolopes.fr', password: 'joel-password' });
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  async function draftsBox() {
    const id = await t.store.mailboxIdBySpecialUse(brunaId, 'drafts');
    return t.store.listMessages(brunaId, id!, 50);
  }

  it('save, replace three times: exactly one \\Draft message in Drafts; GET resumes it with its attachment', async () => {
    const pdf = Buffer.from('%PDF-1.4 rascunho \u00ff', 'latin1');
    const up = (await (await bruna.upload('/api/v1/uploads', fileForm('plano.pdf', 'application/pdf', pdf))).json()) as UploadView;
    const body = {
      to: [{ name: 'Joel', address: 'joel@paulolopes.fr' }, { address: 'incompleto@' }],
      cc: [],
      bcc: [{ address: 'carlos@ifsc.edu' }],
      subject: 'Plano v1',
      html: '<p>Oi <b>Joel</b><script>alert(1)</script></p>',
      inReplyTo: '<q-9@paulolopes.fr>',
      references: ['<q-9@paulolopes.fr>'],
      attachments: [{ source: 'upload', uploadId: up.id }],
    };
    let saved = await bruna.json<SaveDraftResult>('PUT', '/api/v1/drafts', body);
    for (let v = 2; v <= 4; v++) {
      const view = await bruna.json<DraftView>('GET', `/api/v1/drafts/${saved.id}`);
      // The editor sends back what it resumed: the attachment now by reference to the previous draft.
      const next = await bruna.json<SaveDraftResult>('PUT', `/api/v1/drafts/${saved.id}`, { ...body, subject: `Plano v${v}`, attachments: view.attachments.map((a) => a.ref) });
      expect(next.id).not.toBe(saved.id);
      expect((await bruna.request('GET', `/api/v1/drafts/${saved.id}`)).status).toBe(404);
      saved = next;
    }
    const box = await draftsBox();
    expect(box.map((m) => [m.id, m.subject, m.draft, m.seen])).toEqual([[saved.id, 'Plano v4', true, true]]);

    const view = await bruna.json<DraftView>('GET', `/api/v1/drafts/${saved.id}`);
    // What the web client validates its responses with.
    expect(DraftView.parse(view)).toEqual(view);
    expect(SaveDraftResult.parse(saved)).toEqual(saved);
    expect(UploadView.parse(up)).toEqual(up);
    expect(view).toMatchObject({
      id: saved.id,
      from: 'bruna@paulolopes.fr',
      to: [{ name: 'Joel', address: 'joel@paulolopes.fr' }, expect.anything()],
      bcc: [{ name: '', address: 'carlos@ifsc.edu' }],
      subject: 'Plano v4',
      html: '<p>Oi <b>Joel</b></p>',
      inReplyTo: '<q-9@paulolopes.fr>',
      references: ['<q-9@paulolopes.fr>'],
      attachments: [{ ref: { source: 'message', messageId: saved.id, index: 0, inline: false }, filename: 'plano.pdf', contentType: 'application/pdf', size: pdf.length }],
    });
    // A real MIME message, as an IMAP client would read it.
    const raw = (await t.store.getRaw(brunaId, saved.id)).raw;
    const parsed = await simpleParser(raw);
    expect(sha256(parsed.attachments[0]!.content)).toBe(sha256(pdf));
    expect(raw.toString()).toMatch(/^Bcc: carlos@ifsc\.edu\r$/m);
    const detail = await bruna.json<MessageDetail>('GET', `/api/v1/messages/${saved.id}`);
    expect(detail.draft).toBe(true);
  });

  it('replacing a draft that is gone is 404 and stores nothing; a received message is no draft', async () => {
    const saved = await bruna.json<SaveDraftResult>('PUT', '/api/v1/drafts', { subject: 'efêmero' });
    expect((await bruna.request('DELETE', `/api/v1/drafts/${saved.id}`)).status).toBe(204);
    const before = (await draftsBox()).length;
    expect((await bruna.request('PUT', `/api/v1/drafts/${saved.id}`, { subject: 'de novo' })).status).toBe(404);
    expect((await draftsBox()).length).toBe(before);
    expect((await bruna.request('DELETE', `/api/v1/drafts/${saved.id}`)).status).toBe(404);

    const sent = await bruna.json<{ sentId: string }>('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], text: 'oi' });
    expect((await bruna.request('GET', `/api/v1/drafts/${sent.sentId}`)).status).toBe(404);
    expect((await bruna.request('DELETE', `/api/v1/drafts/${sent.sentId}`)).status).toBe(404);
    expect((await bruna.request('PUT', `/api/v1/drafts/${sent.sentId}`, { subject: 'x' })).status).toBe(404);
    expect((await t.store.getMessage(brunaId, sent.sentId)).id).toBe(sent.sentId);
  });

  it("another account's draft is 404 to every draft route", async () => {
    const saved = await bruna.json<SaveDraftResult>('PUT', '/api/v1/drafts', { subject: 'meu' });
    const joel = new HttpClient(t.baseUrl);
    await joel.login('joel@paulolopes.fr', 'joel-password');
    expect((await joel.request('GET', `/api/v1/drafts/${saved.id}`)).status).toBe(404);
    expect((await joel.request('PUT', `/api/v1/drafts/${saved.id}`, { subject: 'roubado' })).status).toBe(404);
    expect((await joel.request('DELETE', `/api/v1/drafts/${saved.id}`)).status).toBe(404);
    expect((await joel.request('PUT', '/api/v1/drafts', { subject: 'x', attachments: [{ source: 'message', messageId: saved.id, index: 0 }] })).status).toBe(400);
    expect((await bruna.request('GET', `/api/v1/drafts/${saved.id}`)).status).toBe(200);
  });
});
