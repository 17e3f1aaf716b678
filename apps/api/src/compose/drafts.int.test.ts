import { createHash } from 'node:crypto';
import { type AttachmentRef, DraftView, type MessageDetail, SaveDraftResult, type SendMessageResult, UploadView } from '@correio/contracts';
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
      const next = await bruna.json<SaveDraftResult>('PUT', `/api/v1/drafts/${saved.id}`, {
        ...body,
        subject: `Plano v${v}`,
        attachments: view.attachments.map((a) => a.ref),
      });
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
      attachments: [
        {
          ref: { source: 'message', messageId: saved.id, index: 0, inline: false },
          filename: 'plano.pdf',
          contentType: 'application/pdf',
          size: pdf.length,
        },
      ],
    });
    // A real MIME message, as an IMAP client would read it.
    const raw = (await t.store.getRaw(brunaId, saved.id)).raw;
    const parsed = await simpleParser(raw);
    expect(sha256(parsed.attachments[0]!.content)).toBe(sha256(pdf));
    expect(raw.toString()).toMatch(/^Bcc: carlos@ifsc\.edu\r$/m);
    const detail = await bruna.json<MessageDetail>('GET', `/api/v1/messages/${saved.id}`);
    expect(detail.draft).toBe(true);
  });

  it('a draft saved again with the references each save returns keeps its attachments (inline and not), then sends them intact', async () => {
    const pdf = Buffer.from('%PDF-1.4 anexo \u00ff\u0000\u0001', 'latin1');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const upPdf = (await (await bruna.upload('/api/v1/uploads', fileForm('contrato.pdf', 'application/pdf', pdf))).json()) as UploadView;
    const upPng = (await (await bruna.upload('/api/v1/uploads', fileForm('foto.png', 'image/png', png))).json()) as UploadView;
    const cid = 'foto1@correio';
    // Request order: the file, then the inline image. MIME order differs: the image sits in
    // multipart/related with the HTML, before the file in multipart/mixed.
    const body = {
      to: [{ address: 'joel@paulolopes.fr' }],
      subject: 'Com anexos v1',
      html: `<p>Veja</p><p><img src="cid:${cid}" alt="foto"></p>`,
      attachments: [
        { source: 'upload', uploadId: upPdf.id },
        { source: 'upload', uploadId: upPng.id, inline: true, contentId: cid },
      ] as AttachmentRef[],
    };
    let saved = await bruna.json<SaveDraftResult>('PUT', '/api/v1/drafts', body);
    expect(SaveDraftResult.parse(saved)).toEqual(saved);
    const first = await bruna.json<DraftView>('GET', `/api/v1/drafts/${saved.id}`);
    // The result lists the new draft's attachments as GET does…
    expect(saved.attachments).toEqual(first.attachments);
    expect(saved.attachments.map((a) => a.filename)).toEqual(['foto.png', 'contrato.pdf']);
    // …and says, in request order, which of them each request attachment became.
    expect(saved.refs).toEqual([
      { source: 'message', messageId: saved.id, index: 1, inline: false },
      { source: 'message', messageId: saved.id, index: 0, inline: true, contentId: cid },
    ]);

    let refs = saved.refs;
    for (let v = 2; v <= 3; v++) {
      const res = await bruna.request('PUT', `/api/v1/drafts/${saved.id}`, { ...body, subject: `Com anexos v${v}`, attachments: refs });
      expect(res.status).toBe(200);
      const next = (await res.json()) as SaveDraftResult;
      expect(next.id).not.toBe(saved.id);
      expect(next.refs).toEqual([
        { source: 'message', messageId: next.id, index: 1, inline: false },
        { source: 'message', messageId: next.id, index: 0, inline: true, contentId: cid },
      ]);
      saved = next;
      refs = next.refs;
    }
    const ours = async () => (await draftsBox()).filter((m) => m.subject.startsWith('Com anexos')).map((m) => [m.id, m.subject]);
    expect(await ours()).toEqual([[saved.id, 'Com anexos v3']]);

    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: ['joel@paulolopes.fr'],
      subject: 'Com anexos',
      html: body.html,
      attachmentRefs: refs,
      draftId: saved.id,
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as SendMessageResult;
    expect(await ours()).toEqual([]);
    const parsed = await simpleParser((await t.store.getRaw(brunaId, sent.sentId!)).raw);
    const byName = new Map(parsed.attachments.map((a) => [a.filename, a]));
    expect(sha256(byName.get('contrato.pdf')!.content)).toBe(sha256(pdf));
    expect(sha256(byName.get('foto.png')!.content)).toBe(sha256(png));
    expect(byName.get('foto.png')!.contentId).toBe(`<${cid}>`);
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
    expect(
      (await joel.request('PUT', '/api/v1/drafts', { subject: 'x', attachments: [{ source: 'message', messageId: saved.id, index: 0 }] }))
        .status,
    ).toBe(400);
    expect((await bruna.request('GET', `/api/v1/drafts/${saved.id}`)).status).toBe(200);
  });
});
