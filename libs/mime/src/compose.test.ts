import { describe, expect, it } from 'vitest';
import { composeMessage } from './compose';
import { summarizeMessage } from './summarize';

describe('composeMessage', () => {
  it('builds a text message with encoded headers, CRLF lines, no Bcc header, and a Message-ID of our host', async () => {
    const { raw, messageId } = await composeMessage({
      from: { name: 'Bruna Lopes', address: 'bruna@paulolopes.fr' },
      to: [{ address: 'joel@ifsc.edu' }],
      bcc: [{ address: 'segredo@ifsc.edu' }],
      subject: 'Olá, linha discada',
      text: 'Joel, você consegue me ajudar?\n.\nObrigada',
      inReplyTo: '<abc@ifsc.edu>',
      references: ['<abc@ifsc.edu>'],
      messageIdDomain: 'mail.paulolopes.fr',
    });
    const text = raw.toString('latin1');
    expect(messageId).toMatch(/^<[\w.-]+@mail\.paulolopes\.fr>$/);
    expect(text).toContain(`Message-ID: ${messageId}\r\n`);
    expect(text).not.toMatch(/^bcc:/im);
    expect(text).not.toMatch(/segredo/);
    expect(text).not.toMatch(/(?<!\r)\n/); // every line ends in CRLF
    const s = await summarizeMessage(raw);
    expect(s).toMatchObject({ subject: 'Olá, linha discada', from: { name: 'Bruna Lopes', address: 'bruna@paulolopes.fr' }, inReplyTo: '<abc@ifsc.edu>' });
    expect(s.snippet).toBe('Joel, você consegue me ajudar? . Obrigada');
  });

  it('makes text + HTML alternatives and lists attachments', async () => {
    const { raw } = await composeMessage({
      from: { address: 'a@b.example' },
      to: [{ address: 'c@d.example' }],
      subject: 'report',
      text: 'see attached',
      html: '<p>see <b>attached</b></p>',
      attachments: [{ filename: 'relatório.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 …') }],
      messageIdDomain: 'b.example',
    });
    expect(raw.toString()).toMatch(/Content-Type: multipart\/mixed/);
    expect(raw.toString()).toMatch(/Content-Type: multipart\/alternative/);
    const s = await summarizeMessage(raw);
    expect(s.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([['relatório.pdf', 'application/pdf', 12]]);
  });
});
