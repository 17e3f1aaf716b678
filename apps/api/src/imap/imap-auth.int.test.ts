import { ImapWire } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// Logging in (RFC 9051 §6.2, RFC 4616 PLAIN, RFC 4959 SASL-IR, RFC 5530 codes): passwords only after
// TLS (LOGINDISABLED, PRIVACYREQUIRED), STARTTLS dropping pipelined bytes, implicit TLS, failures
// throttled like POP3's, the per-account session limit.

type Imap = Awaited<ReturnType<typeof startImap>>;

const plain = (user: string, password: string, authz = '') => Buffer.from(`${authz}\0${user}\0${password}`).toString('base64');

describe('IMAP authentication', () => {
  let t: TestApp;
  /** Production settings: no plaintext passwords even from loopback. */
  let strict: Imap;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    strict = await startImap(t, { allowPlainAuthOnLoopback: false });
  });
  afterAll(async () => {
    await strict?.close();
    await t?.close();
  });

  async function account(): Promise<string> {
    const user = `joel${++n}@ifsc.edu`;
    await t.directory.addAccount({ address: user, password: 'joel-password' });
    return user;
  }

  it('before TLS: STARTTLS and LOGINDISABLED, no AUTH=PLAIN; LOGIN and AUTHENTICATE answer [PRIVACYREQUIRED]', async () => {
    const user = await account();
    const c = await ImapWire.connect(strict.ports.plain);
    const greeting = await c.line();
    expect(greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 IMAP4rev2 .*STARTTLS LOGINDISABLED\] /);
    expect(greeting).not.toContain('AUTH=PLAIN');
    const caps = await c.cmd('c CAPABILITY');
    expect(caps[0]).toContain(' STARTTLS');
    expect(caps[0]).toContain(' LOGINDISABLED');
    expect(caps[0]).not.toContain('AUTH=PLAIN');
    expect(caps[1]).toBe('c OK CAPABILITY completed');
    expect(await c.cmd(`l LOGIN ${user} joel-password`)).toEqual(['l NO [PRIVACYREQUIRED] Use STARTTLS (or port 993) before sending a password']);
    expect(await c.cmd(`a AUTHENTICATE PLAIN ${plain(user, 'joel-password')}`)).toEqual(['a NO [PRIVACYREQUIRED] Use STARTTLS (or port 993) before sending a password']);
  });

  it('STARTTLS: bytes pipelined behind it are dropped (RFC 9051 §6.2.1); after TLS, AUTH=PLAIN and LOGIN work', async () => {
    const user = await account();
    const c = await ImapWire.connect(strict.ports.plain);
    await c.line();
    // An injected command after STARTTLS in the same packet (CVE-2011-0411) must never run.
    c.send(`s STARTTLS\r\nx LOGIN ${user} joel-password\r\n`);
    expect(await c.line()).toBe('s OK Begin TLS negotiation now');
    await c.startTls();
    const caps = await c.cmd('c CAPABILITY');
    expect(caps[0]).toMatch(/^\* CAPABILITY IMAP4rev1 IMAP4rev2 /);
    expect(caps[0]).toContain(' AUTH=PLAIN');
    expect(caps[0]).not.toContain('STARTTLS');
    expect(caps[0]).not.toContain('LOGINDISABLED');
    expect(caps[1]).toBe('c OK CAPABILITY completed');
    expect(await c.cmd('s2 STARTTLS')).toEqual(['s2 BAD TLS is already active']);
    // Still not authenticated: the injected LOGIN did not run.
    expect(await c.cmd('l0 LIST "" ""')).toEqual(['l0 BAD LIST not valid in this state']);
    const login = await c.cmd(`l LOGIN ${user} joel-password`);
    expect(login).toEqual([expect.stringMatching(/^l OK \[CAPABILITY IMAP4rev1 IMAP4rev2 .* APPENDLIMIT=\d+ COMPRESS=DEFLATE\] Logged in$/)]);
    expect(login[0]).not.toContain('AUTH=');
    expect(await c.cmd('o LOGOUT')).toEqual(['* BYE Correio IMAP server logging out', 'o OK LOGOUT completed']);
  });

  it('implicit TLS (port 993 style): no STARTTLS, AUTH=PLAIN; AUTHENTICATE PLAIN with SASL-IR and with a continuation; "*" cancels', async () => {
    const user = await account();
    const c = await ImapWire.connect(strict.ports.tls, { tls: true });
    const greeting = await c.line();
    expect(greeting).toContain(' AUTH=PLAIN');
    expect(greeting).not.toContain('STARTTLS');
    expect(greeting).not.toContain('LOGINDISABLED');
    c.send('a1 AUTHENTICATE PLAIN\r\n');
    expect(await c.line()).toBe('+ ');
    c.send('*\r\n');
    expect(await c.line()).toBe('a1 BAD Authentication cancelled');
    expect(await c.cmd('a2 AUTHENTICATE PLAIN !!!')).toEqual([expect.stringMatching(/^a2 BAD /)]);
    expect(await c.cmd('a3 AUTHENTICATE CRAM-MD5')).toEqual(['a3 NO [CANNOT] Unsupported authentication mechanism']);
    expect(await c.cmd(`a4 AUTHENTICATE PLAIN ${plain(user, 'wrong')}`)).toEqual(['a4 NO [AUTHENTICATIONFAILED] Invalid credentials']);
    expect(await c.cmd(`a5 AUTHENTICATE PLAIN ${plain(user, 'joel-password', 'admin@ifsc.edu')}`)).toEqual(['a5 NO [AUTHORIZATIONFAILED] Cannot act as another user']);
    c.send('a6 AUTHENTICATE PLAIN\r\n');
    expect(await c.line()).toBe('+ ');
    c.send(`${plain(user.toUpperCase(), 'joel-password')}\r\n`);
    expect(await c.line()).toMatch(/^a6 OK \[CAPABILITY .*\] Logged in$/);
    expect(await c.cmd('n NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'n OK NAMESPACE completed']);
    const d = await ImapWire.connect(strict.ports.tls, { tls: true });
    await d.line();
    expect(await d.cmd(`b AUTHENTICATE PLAIN ${plain(user, 'joel-password')}`)).toEqual([expect.stringMatching(/^b OK \[CAPABILITY /)]);
  });

  it('failed logins: NO [AUTHENTICATIONFAILED], then slowed down (free 3, then 0.5 s doubling), per account', async () => {
    const user = await account();
    const c = await ImapWire.connect(strict.ports.tls, { tls: true });
    await c.line();
    for (const i of [1, 2, 3]) expect(await c.cmd(`f${i} LOGIN ${user} wrong${i}`)).toEqual([`f${i} NO [AUTHENTICATIONFAILED] Invalid credentials`]);
    let started = Date.now();
    expect(await c.cmd(`f4 LOGIN ${user} wrong4`)).toEqual(['f4 NO [AUTHENTICATIONFAILED] Invalid credentials']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    // The right password is also delayed (no oracle), then clears the account's counter.
    started = Date.now();
    expect((await c.cmd(`ok LOGIN "${user}" "joel-password"`))[0]).toMatch(/^ok OK /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await c.cmd('ok2 LOGIN x y')).toEqual(['ok2 BAD LOGIN not valid in this state']);
  });

  it('sessions per account are limited: past the limit LOGIN answers NO [LIMIT]; a closed one frees its slot', async () => {
    const limited = await startImap(t, { limits: { maxConnectionsPerAccount: 2 } });
    try {
      const user = await account();
      const open: ImapWire[] = [];
      for (const i of [1, 2]) {
        const c = await ImapWire.connect(limited.ports.plain);
        await c.line();
        expect((await c.cmd(`l${i} LOGIN ${user} joel-password`))[0]).toMatch(new RegExp(`^l${i} OK `));
        open.push(c);
      }
      const third = await ImapWire.connect(limited.ports.plain);
      await third.line();
      expect(await third.cmd(`l3 LOGIN ${user} joel-password`)).toEqual(['l3 NO [LIMIT] Too many connections for this account']);
      open[0]!.drop();
      await new Promise((r) => setTimeout(r, 100));
      expect((await third.cmd(`l4 LOGIN ${user} joel-password`))[0]).toMatch(/^l4 OK /);
    } finally {
      await limited.close();
    }
  });

  it('connections per IP are limited: the one past the limit is greeted with BYE', async () => {
    const limited = await startImap(t, { limits: { maxConnectionsPerIp: 2 } });
    try {
      const a = await ImapWire.connect(limited.ports.plain);
      const b = await ImapWire.connect(limited.ports.plain);
      expect(await a.line()).toMatch(/^\* OK /);
      expect(await b.line()).toMatch(/^\* OK /);
      const c = await ImapWire.connect(limited.ports.plain);
      expect(await c.line()).toBe('* BYE [UNAVAILABLE] Too many connections from your address');
      await c.waitClosed();
      expect(await a.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
    } finally {
      await limited.close();
    }
  });
});
