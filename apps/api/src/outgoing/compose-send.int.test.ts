import { createHash } from 'node:crypto';
import type { MessageDetail, SaveDraftResult, SendMessageResult, UploadView } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, fileForm } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff]);
const PDF = Buffer.from('%PDF-1.4\n\u0000\u00ff relatório', 'latin1');

// The webmail's send path over real HTTP: attachments by reference (an upload, a pasted inline
// image, a forwarded message's attachment), HTML sanitized on the server with a derived plain-text
// alternative, \Answered on the original after a reply, and the uploads it used removed.
describe('sending from the compose window', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let bruna: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_HOSTNAME: 'mail.paulolopes.fr' });
    for (const a of ['bruna', 'joel']) ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  /** The bytes queued for remote delivery of the message with this Message-ID. */
  async function queuedRaw(messageId: string): Promise<Buffer> {
    const { rows } = await t.db.pool.query<{ data: Buffer }>(
      `SELECT b.data FROM outbound_messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
        WHERE position($1 in convert_from(b.data, 'UTF8')) > 0`,
      [`Message-ID: ${messageId}`],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.data;
  }

  async function upload(name: string, type: string, content: Buffer): Promise<UploadView> {
    const res = await bruna.upload('/api/v1/uploads', fileForm(name, type, content));
    expect(res.status).toBe(201);
    return (await res.json()) as UploadView;
  }

  it('sends an upload, an inline cid: image and a forwarded attachment; HTML sanitized; text derived', async () => {
    // A message Bruna received with a PDF, to forward.
    const received = Buffer.from(
      'From: ana@ifsc.edu\r\nTo: bruna@paulolopes.fr\r\nSubject: relatorio\r\nMessage-ID: <orig-1@ifsc.edu>\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsegue\r\n--B\r\n' +
        'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="relatorio.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        `${PDF.toString('base64')}\r\n--B--\r\n`,
    );
    const [orig] = await t.store.deliver({ raw: received, summary: await summarizeMessage(received), envelopeFrom: 'ana@ifsc.edu', targets: [{ accountId: ids.bruna!, mailbox: { specialUse: 'inbox' } }] });
    const doc = Buffer.from('planilha,1,2\n');
    const sheet = await upload('dados.csv', 'text/csv', doc);
    const logo = await upload('logo.png', 'image/png', PNG);

    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: ['ana@ifsc.edu'],
      subject: 'Fwd: relatorio',
      html:
        '<p onclick="steal()">Veja <a href="https://ifsc.edu/x">o link</a><script>alert(1)</script></p><ul><li>um</li></ul>' +
        '<blockquote><p>citado</p></blockquote><img src="cid:logo@paulolopes.fr"><img src="https://tracker.example/p.gif">',
      attachmentRefs: [
        { source: 'upload', uploadId: sheet.id },
        { source: 'upload', uploadId: logo.id, inline: true, contentId: 'logo@paulolopes.fr' },
        { source: 'message', messageId: orig!.messageId, index: 0 },
      ],
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as SendMessageResult;
    const raw = await queuedRaw(sent.messageId);
    const text = raw.toString();
    expect(text).toMatch(/multipart\/alternative/);
    expect(text).toMatch(/multipart\/related/);
    expect(text).not.toMatch(/<script|onclick|tracker\.example/);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe('Veja o link [https://ifsc.edu/x]\n\n* um\n\n> citado');
    expect(parsed.html).toContain('<a href="https://ifsc.edu/x">o link</a>');
    // The inline image lives in multipart/related with the HTML, so it comes first in the MIME tree.
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, sha256(a.content), a.contentId ?? null])).toEqual([
      ['logo.png', 'image/png', sha256(PNG), '<logo@paulolopes.fr>'],
      ['dados.csv', 'text/csv', sha256(doc), null],
      ['relatorio.pdf', 'application/pdf', sha256(PDF), null],
    ]);
    // The Sent copy is the same message; the uploads are gone (their bytes are in the message).
    expect((await t.store.getRaw(ids.bruna!, sent.sentId)).raw.toString()).toContain(sent.messageId);
    expect((await bruna.request('DELETE', `/api/v1/uploads/${sheet.id}`)).status).toBe(404);
  });

  it('a reply marks the original \\Answered (new modseq) and MessageDetail carries the threading headers', async () => {
    const raw = Buffer.from('From: joel@paulolopes.fr\r\nTo: bruna@paulolopes.fr\r\nSubject: pergunta\r\nMessage-ID: <q-1@paulolopes.fr>\r\n\r\noi?\r\n');
    const [copy] = await t.store.deliver({ raw, summary: await summarizeMessage(raw), envelopeFrom: 'joel@paulolopes.fr', targets: [{ accountId: ids.bruna!, mailbox: { specialUse: 'inbox' } }] });
    const before = await t.store.getMessage(ids.bruna!, copy!.messageId);
    expect(before.answered).toBe(false);
    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: ['joel@paulolopes.fr'],
      subject: 'Re: pergunta',
      text: 'sim',
      inReplyTo: '<q-1@paulolopes.fr>',
      references: ['<q-1@paulolopes.fr>'],
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as SendMessageResult;
    const after = await t.store.getMessage(ids.bruna!, copy!.messageId);
    expect(after.answered).toBe(true);
    expect(BigInt(after.modseq)).toBeGreaterThan(BigInt(before.modseq));
    const detail = await bruna.json<MessageDetail>('GET', `/api/v1/messages/${sent.sentId}`);
    expect(detail).toMatchObject({ inReplyTo: '<q-1@paulolopes.fr>', references: ['<q-1@paulolopes.fr>'], draft: false, answered: false });
  });

  it('a send from a draft removes the draft in the same transaction; a second send of it is 404', async () => {
    const saved = await bruna.json<SaveDraftResult>('PUT', '/api/v1/drafts', { to: [{ address: 'joel@paulolopes.fr' }], subject: 'rascunho', html: '<p>oi</p>' });
    const send = { to: ['joel@paulolopes.fr'], subject: 'rascunho', html: '<p>oi</p>', draftId: saved.id };
    expect((await bruna.request('POST', '/api/v1/messages/send', send)).status).toBe(201);
    const drafts = await t.store.mailboxIdBySpecialUse(ids.bruna!, 'drafts');
    expect(await t.store.listMessages(ids.bruna!, drafts!, 50)).toEqual([]);
    const again = await bruna.request('POST', '/api/v1/messages/send', send);
    expect(again.status).toBe(404);
    // Nothing was stored by the refused send.
    const inbox = await t.store.mailboxIdBySpecialUse(ids.joel!, 'inbox');
    expect((await t.store.listMessages(ids.joel!, inbox!, 50)).filter((m) => m.subject === 'rascunho')).toHaveLength(1);
  });

  it('a draftId naming a received message is refused (404) and removes nothing', async () => {
    const inbox = await t.store.mailboxIdBySpecialUse(ids.bruna!, 'inbox');
    const [first] = await t.store.listMessages(ids.bruna!, inbox!, 1);
    const res = await bruna.request('POST', '/api/v1/messages/send', { to: ['joel@paulolopes.fr'], text: 'x', draftId: first!.id });
    expect(res.status).toBe(404);
    expect((await t.store.getMessage(ids.bruna!, first!.id)).id).toBe(first!.id);
  });
});
