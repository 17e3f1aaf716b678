import { createHash } from 'node:crypto';
import { SmtpTranscript, code, originalBytes, splitTrace } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Transcript tests of the MX over a real socket (RFC 5321), against a real database.
describe('SMTP MX ingress', () => {
  let t: TestApp;
  let joelId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    joelId = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
  });
  afterAll(() => t.close());

  async function inbox(accountId: string) {
    const boxes = await t.store.listMailboxes(accountId);
    const inboxRow = boxes.find((b) => b.specialUse === 'inbox')!;
    return t.store.listMessages(accountId, inboxRow.id, 100);
  }

  it('answers the lecture dialogue (HELO) with 220/250/250/250/354/250/221 and stores the bytes exactly', async () => {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    const codes = [code(await s.read())];
    codes.push(code(await s.command('HELO paulolopes.fr')));
    codes.push(code(await s.command('MAIL FROM: <bruna@paulolopes.fr>')));
    codes.push(code(await s.command('RCPT TO: <joel@ifsc.edu>')));
    codes.push(code(await s.command('DATA')));
    const body = 'Joel você consegue me ajudar?\r\nMinha linha é discada.\r\n';
    s.write(body);
    codes.push(code(await s.command('.')));
    codes.push(code(await s.command('QUIT')));
    s.close();
    expect(codes).toEqual([220, 250, 250, 250, 354, 250, 221]);

    const [msg] = await inbox(joelId);
    expect(msg).toBeDefined();
    const { raw } = await t.store.getRaw(joelId, msg!.id);
    // Stored: our trace headers, the empty line a headerless message needs, then the exact bytes sent.
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect(sha(originalBytes(raw, false))).toBe(sha(body));
    const { trace } = splitTrace(raw);
    expect(trace.map((h) => h.split(':')[0]!.toLowerCase())).toEqual(expect.arrayContaining(['received', 'authentication-results']));
    expect(trace.find((h) => h.startsWith('Received:'))).toMatch(/^Received: from paulolopes\.fr \(\[127\.0\.0\.1\]\)\r\n\tby \S+ \(Correio\)\r\n\twith SMTP id [0-9A-F]+\r\n\tfor <joel@ifsc\.edu>;\r\n\t\w{3}, /);
    // A message without a header section is shown as body text, from the envelope sender.
    expect(msg!.fromAddress).toBe('bruna@paulolopes.fr');
    expect(msg!.snippet).toBe('Joel você consegue me ajudar? Minha linha é discada.');
  });

  it('refuses an unknown local user with 550 5.1.1 and a foreign domain with 550 5.7.1 (no open relay)', async () => {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO client.example');
    expect(await s.command('MAIL FROM:<x@example.org>')).toMatch(/^250/);
    expect(await s.command('RCPT TO:<nobody@ifsc.edu>')).toMatch(/^550 5\.1\.1 /);
    expect(await s.command('RCPT TO:<someone@gmail.com>')).toMatch(/^550 5\.7\.1 /);
    expect(await s.command('DATA')).toMatch(/^503/); // RFC 5321 §3.3: no valid recipients
    s.close();
  });

  it('stores one message for several local recipients, once per account, and undots lines', async () => {
    const ana = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
    await t.aliases.addAlias('team@ifsc.edu', 'ana@ifsc.edu');
    await t.aliases.addAlias('team@ifsc.edu', 'joel@ifsc.edu');
    const before = (await inbox(joelId)).length;
    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO client.example');
    await s.command('MAIL FROM:<x@example.org>');
    expect(await s.command('RCPT TO:<team@ifsc.edu>')).toMatch(/^250/);
    expect(await s.command('RCPT TO:<ana@ifsc.edu>')).toMatch(/^250/);
    await s.command('DATA');
    s.write('Subject: team news\r\nMessage-ID: <n1@example.org>\r\n\r\n..a line starting with a dot\r\n');
    expect(await s.command('.')).toMatch(/^250/);
    s.close();
    const anaInbox = await inbox(ana);
    expect(anaInbox).toHaveLength(1); // alias and direct address collapse to one copy
    expect(await inbox(joelId)).toHaveLength(before + 1);
    const { raw } = await t.store.getRaw(ana, anaInbox[0]!.id);
    expect(raw.toString()).toContain('\r\n.a line starting with a dot\r\n');
  });

  it('forgets the recipients of a transaction that RSET ended (RFC 5321 §4.1.1.5): they get nothing', async () => {
    const rita = (await t.directory.addAccount({ address: 'rita@ifsc.edu', password: 'rita-password' })).id;
    const before = (await inbox(joelId)).length;
    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO client.example');
    await s.command('MAIL FROM:<x@example.org>');
    expect(await s.command('RCPT TO:<rita@ifsc.edu>')).toMatch(/^250/);
    expect(await s.command('RSET')).toMatch(/^250/);
    await s.command('MAIL FROM:<x@example.org>');
    expect(await s.command('RCPT TO:<joel@ifsc.edu>')).toMatch(/^250/);
    await s.command('DATA');
    s.write('Subject: after RSET\r\n\r\nonly for joel\r\n');
    expect(await s.command('.')).toMatch(/^250/);
    s.close();
    expect(await inbox(joelId)).toHaveLength(before + 1);
    expect(await inbox(rita)).toHaveLength(0);
  });

  it('rejects a message over SIZE with 552 and stores nothing', async () => {
    const small = await startTestApp({ CORREIO_MAX_MESSAGE_BYTES: '2048' });
    try {
      const id = (await small.directory.addAccount({ address: 'x@correio.test', password: 'x-password' })).id;
      const s = await SmtpTranscript.connect(small.smtpPort!);
      await s.read();
      expect(await s.command('EHLO c.example')).toContain('SIZE 2048');
      await s.command('MAIL FROM:<a@example.org>');
      await s.command('RCPT TO:<x@correio.test>');
      await s.command('DATA');
      s.write(`Subject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(60));
      expect(await s.command('.')).toMatch(/^552 5\.3\.4/);
      s.close();
      const boxes = await small.store.listMailboxes(id);
      expect(boxes.reduce((n, b) => n + b.total, 0)).toBe(0);
    } finally {
      await small.close();
    }
  });
});
