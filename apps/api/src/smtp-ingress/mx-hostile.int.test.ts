import { SmtpTranscript, code } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Hostile input at the MX, over real sockets: SMTP smuggling (CVE-2023-51764 class), bare line
// ends in commands, open-relay address forms, and the limits. Nothing may be stored that should
// not be, and the process must keep serving.

describe('MX against hostile input', () => {
  let t: TestApp;
  let joel: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_SMTP_MAX_CONNECTIONS_PER_IP: '30' });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
  });
  afterAll(() => t.close());

  const stored = async () => (await t.store.listMailboxes(joel)).reduce((n, b) => n + b.total, 0);

  async function session(): Promise<SmtpTranscript> {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    expect(code(await s.read())).toBe(220);
    expect(code(await s.command('EHLO attacker.example'))).toBe(250);
    return s;
  }

  // Each variant tries to end the message early and smuggle a second transaction behind it.
  const variants: [string, string][] = [
    ['\\n.\\n', '\n.\n'],
    ['\\r.\\r', '\r.\r'],
    ['\\n.\\r\\n', '\n.\r\n'],
    ['\\r\\n.\\n', '\r\n.\n'],
    ['\\r\\n.\\r', '\r\n.\r'],
    ['\\n.\\r', '\n.\r'],
    ['\\r.\\n', '\r.\n'],
    ['\\r.\\r\\n', '\r.\r\n'],
    ['\\r\\n.\\r\\r\\n', '\r\n.\r\r\n'],
  ];

  it.each(variants)('refuses a message whose body ends early with %s and never splits it', async (_name, fakeEnd) => {
    const before = await stored();
    const s = await session();
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    await s.command('RCPT TO:<joel@ifsc.edu>');
    expect(code(await s.command('DATA'))).toBe(354);
    s.write(
      `Subject: first\r\n\r\nbody${fakeEnd}MAIL FROM:<admin@ifsc.edu>\r\nRCPT TO:<joel@ifsc.edu>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n`,
    );
    const reply = await s.command('.');
    expect(reply).toMatch(/^550 5\.5\.2 /);
    // The session is still in a sane state: the smuggled commands were never executed.
    expect(code(await s.command('RSET'))).toBe(250);
    expect(code(await s.command('QUIT'))).toBe(221);
    s.close();
    expect(await stored()).toBe(before);
  });

  it('answers a command line with a bare LF with 550 5.5.2 and closes', async () => {
    const s = await session();
    s.write('MAIL FROM:<bruna@paulolopes.fr>\nRCPT TO:<joel@ifsc.edu>\r\n');
    expect(await s.read()).toMatch(/^550 5\.5\.2 /);
    expect(await s.read()).toBe('(closed)');
  });

  it('answers a command line with a bare CR with 550 5.5.2 and closes', async () => {
    const s = await session();
    s.write('NOOP\rMAIL FROM:<x@y.example>\r\n');
    expect(await s.read()).toMatch(/^550 5\.5\.2 /);
    expect(await s.read()).toBe('(closed)');
  });

  it('still runs the complete commands that came before a bare LF, in order', async () => {
    const s = await session();
    s.write('NOOP\r\nNOOP\nQUIT\r\n');
    expect(code(await s.read())).toBe(250);
    expect(await s.read()).toMatch(/^550 5\.5\.2 /);
    expect(await s.read()).toBe('(closed)');
  });

  it('answers an over-long command line 500 5.5.2 (RFC 5321 §4.5.3.1.4) and closes', async () => {
    const s = await session();
    s.write(`MAIL FROM:<${'a'.repeat(3000)}@example.org>\r\n`);
    expect(await s.read()).toMatch(/^500 5\.5\.2 /);
    expect(await s.read()).toBe('(closed)');
    const again = await session(); // the server goes on serving others
    expect(code(await again.command('QUIT'))).toBe(221);
  });

  // Classic open-relay tests (the forms relay-testers try): none may be accepted.
  const relayForms = [
    'user%gmail.com@ifsc.edu', // percent hack
    '"user@gmail.com"@ifsc.edu', // quoted local part with @
    'gmail.com!user@ifsc.edu', // bang path
    '@ifsc.edu:user@gmail.com', // source route (RFC 5321 §4.1.1.3: ignore the route)
    'user', // unqualified
    'user@[127.0.0.1]', // IP literal
    'user@gmail.com', // plain remote
    'user@ifsc.edu.gmail.com', // local domain as a prefix of a remote one
  ];

  it.each(relayForms)('does not relay to <%s>', async (form) => {
    const s = await session();
    await s.command('MAIL FROM:<spammer@example.org>');
    const reply = await s.command(`RCPT TO:<${form}>`);
    expect(code(reply)).toBeGreaterThanOrEqual(500);
    expect(reply).toMatch(/^5\d\d (5\.7\.1|5\.1\.1|5\.1\.3|5\.5\.\d) /);
    expect(await s.command('DATA')).toMatch(/^503/);
    s.close();
  });

  it('answers 452 4.5.3 past the recipient limit and delivers to those accepted', async () => {
    const before = await stored();
    const s = await session();
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    // 100 recipients (plus-addresses of joel, one copy), then one too many.
    const replies: number[] = [];
    for (let i = 0; i < 100; i++) replies.push(code(await s.command(`RCPT TO:<joel+${i}@ifsc.edu>`)));
    expect(replies.every((c) => c === 250)).toBe(true);
    expect(await s.command('RCPT TO:<joel+100@ifsc.edu>')).toMatch(/^452 4\.5\.3 /);
    await s.command('DATA');
    s.write('Subject: many\r\n\r\nhello\r\n');
    expect(code(await s.command('.'))).toBe(250);
    s.close();
    expect(await stored()).toBe(before + 1); // one copy per account, whatever the RCPT count
  });

  it('answers 452 4.2.2 at RCPT for an account over its quota', async () => {
    const full = await t.directory.addAccount({ address: 'full@ifsc.edu', password: 'full-password', quotaBytes: 10n });
    await t.db.pool.query('UPDATE accounts SET used_bytes = 10 WHERE id = $1', [full.id]);
    const s = await session();
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    expect(await s.command('RCPT TO:<full@ifsc.edu>')).toMatch(/^452 4\.2\.2 /);
    expect(code(await s.command('RCPT TO:<joel@ifsc.edu>'))).toBe(250);
    s.close();
  });

  it('delivers plus-addresses and catch-all mail to the right account', async () => {
    const before = await stored();
    await t.directory.setCatchAll('ifsc.edu', 'joel@ifsc.edu');
    const s = await session();
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    expect(code(await s.command('RCPT TO:<joel+news@ifsc.edu>'))).toBe(250);
    expect(code(await s.command('RCPT TO:<whoever@ifsc.edu>'))).toBe(250);
    await s.command('DATA');
    s.write('Subject: catch\r\n\r\nhello\r\n');
    expect(code(await s.command('.'))).toBe(250);
    s.close();
    await t.directory.setCatchAll('ifsc.edu', null);
    expect(await stored()).toBe(before + 1);
  });

  it('refuses a message with a MIME structure past the limits permanently', async () => {
    const before = await stored();
    let nested = '';
    for (let i = 0; i < 40; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    const s = await session();
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    await s.command('RCPT TO:<joel@ifsc.edu>');
    await s.command('DATA');
    s.write(`Subject: deep\r\n${nested}Content-Type: text/plain\r\n\r\nhi\r\n`);
    expect(await s.command('.')).toMatch(/^554 5\.6\.0 /);
    s.close();
    expect(await stored()).toBe(before);
  });

  it('refuses connections past the per-address limit with 421 4.7.0 and keeps serving', async () => {
    const open: SmtpTranscript[] = [];
    for (let i = 0; i < 30; i++) {
      const s = await SmtpTranscript.connect(t.smtpPort!);
      expect(code(await s.read())).toBe(220);
      open.push(s);
    }
    const extra = await SmtpTranscript.connect(t.smtpPort!);
    expect(await extra.read()).toMatch(/^421 4\.7\.0 /);
    extra.close();
    for (const s of open) s.close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await session();
    expect(code(await again.command('QUIT'))).toBe(221);
  });

  it('discards commands pipelined behind STARTTLS (CVE-2011-0411 class)', async () => {
    const s = await session();
    // The injected NOOP must not be answered in plaintext nor executed after the handshake.
    s.write('STARTTLS\r\nNOOP\r\n');
    expect(code(await s.read())).toBe(220);
    await expect(s.read(1_000)).rejects.toThrow(/no SMTP reply/);
    s.close();
  });
});
