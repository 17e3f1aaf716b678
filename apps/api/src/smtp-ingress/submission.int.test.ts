import { SmtpTranscript, code } from '@correio/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Submission as mail clients use it (RFC 6409, RFC 8314): nodemailer as Thunderbird would, with
// STARTTLS + AUTH PLAIN on the STARTTLS port and implicit TLS on the other, plus raw transcripts
// for the refusals.

describe('SMTP submission', () => {
  let t: TestApp;
  let bruna: string;
  let joel: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr' });
    bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    joel = (await t.directory.addAccount({ address: 'joel@paulolopes.fr', password: 'joel-password' })).id;
    await t.aliases.addAlias('contato@paulolopes.fr', 'bruna@paulolopes.fr');
  });
  afterAll(() => t.close());

  const transport = (port: number, secure: boolean, user = 'bruna@paulolopes.fr', pass = 'bruna-password') =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure,
      requireTLS: !secure,
      auth: { user, pass, method: 'PLAIN' },
      tls: { rejectUnauthorized: false }, // the self-signed certificate made at first start
    });

  async function mailbox(accountId: string, specialUse: string) {
    const box = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === specialUse)!;
    return t.store.listMessages(accountId, box.id, 100);
  }

  it('accepts STARTTLS + AUTH PLAIN: local copy, Sent copy (read), remote queued, one transaction', async () => {
    const info = await transport(t.submissionPorts!.starttls, false).sendMail({
      from: 'Bruna <bruna@paulolopes.fr>',
      to: ['joel@paulolopes.fr', 'someone@ifsc.edu'],
      subject: 'Olá Joel',
      text: 'Você consegue me ajudar?',
    });
    expect(info.accepted).toEqual(['joel@paulolopes.fr', 'someone@ifsc.edu']);
    expect(info.response).toMatch(/^250 2\.0\.0 /);
    const [inJoel] = await mailbox(joel, 'inbox');
    expect(inJoel?.subject).toBe('Olá Joel');
    const [sent] = await mailbox(bruna, 'sent');
    expect(sent).toMatchObject({ subject: 'Olá Joel', seen: true });
    const { rows } = await t.db.pool.query<{ address: string; state: string; envelope_from: string }>(
      `SELECT r.address, r.state, m.envelope_from FROM outbound_recipients r JOIN outbound_messages m ON m.id = r.message_id AND m.account_id = r.account_id
        WHERE r.account_id = $1`,
      [bruna],
    );
    expect(rows).toEqual([{ address: 'someone@ifsc.edu', state: 'queued', envelope_from: 'bruna@paulolopes.fr' }]);
    const { raw } = await t.store.getRaw(joel, inJoel!.id);
    expect(raw.toString()).toMatch(/^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\t\(using TLSv1\.[23] with cipher \S+\)\r\n\tby \S+ \(Correio\)\r\n\twith ESMTPSA id /);
  });

  it('accepts implicit TLS, and an alias of the account as sender', async () => {
    const info = await transport(t.submissionPorts!.implicitTls, true).sendMail({
      from: 'contato@paulolopes.fr',
      to: 'joel@paulolopes.fr',
      subject: 'via 465',
      text: 'hi',
    });
    expect(info.response).toMatch(/^250 /);
    expect((await mailbox(joel, 'inbox')).map((m) => m.subject)).toContain('via 465');
  });

  it('adds Date and Message-ID when the client left them out (RFC 6409 §8)', async () => {
    const info = await transport(t.submissionPorts!.implicitTls, true).sendMail({
      envelope: { from: 'bruna@paulolopes.fr', to: ['joel@paulolopes.fr'] },
      raw: 'From: bruna@paulolopes.fr\r\nTo: joel@paulolopes.fr\r\nSubject: bare\r\n\r\nno date, no id\r\n',
    });
    expect(info.response).toMatch(/^250 /);
    const m = (await mailbox(joel, 'inbox')).find((x) => x.subject === 'bare')!;
    const { raw } = await t.store.getRaw(joel, m.id);
    expect(raw.toString()).toMatch(/\r\nDate: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\n/);
    expect(raw.toString()).toMatch(/\r\nMessage-ID: <[^>]+@[^>]+>\r\n/);
    expect(m.messageIdHdr).toMatch(/^<.+@.+>$/);
  });

  it("refuses a MAIL FROM the account does not own with 553 5.7.1", async () => {
    await expect(
      transport(t.submissionPorts!.implicitTls, true).sendMail({ from: 'joel@paulolopes.fr', to: 'joel@paulolopes.fr', subject: 'spoof', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 553, response: expect.stringMatching(/^553 5\.7\.1 /) });
  });

  it('refuses wrong credentials with 535 5.7.8, and AUTH before TLS on the STARTTLS port', async () => {
    await expect(transport(t.submissionPorts!.implicitTls, true, 'bruna@paulolopes.fr', 'wrong-password').verify()).rejects.toMatchObject({
      responseCode: 535,
    });
    const s = await SmtpTranscript.connect(t.submissionPorts!.starttls);
    expect(code(await s.read())).toBe(220);
    const ehlo = await s.command('EHLO client.example');
    expect(ehlo).toContain('STARTTLS');
    expect(ehlo).not.toContain('AUTH'); // offered only after TLS
    expect(await s.command('AUTH PLAIN AGJydW5hQHBhdWxvbG9wZXMuZnIAYnJ1bmEtcGFzc3dvcmQ=')).toMatch(/^5\d\d /);
    expect(await s.command('MAIL FROM:<bruna@paulolopes.fr>')).toMatch(/^530 5\.7\.0 /);
    s.close();
  });

  it('greets at once (no early-talker pause on submission)', async () => {
    const started = Date.now();
    const s = await SmtpTranscript.connect(t.submissionPorts!.starttls);
    expect(code(await s.read())).toBe(220);
    expect(Date.now() - started).toBeLessThan(60);
    s.close();
  });

  it('slows down repeated failed logins', async () => {
    const bad = transport(t.submissionPorts!.implicitTls, true, 'joel@paulolopes.fr', 'guess');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await bad.verify().catch(() => {});
      times.push(Date.now() - started);
    }
    // Three free failures, then 0.5 s, then 1 s.
    expect(times[4]!).toBeGreaterThan(900);
    expect(times[4]!).toBeGreaterThan(times[0]! + 700);
    // The right password still works for the account afterwards (after its delay).
    await expect(transport(t.submissionPorts!.implicitTls, true, 'joel@paulolopes.fr', 'joel-password').verify()).resolves.toBe(true);
  });
});
