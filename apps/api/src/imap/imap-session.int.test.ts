import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { IMAP_SERVER_LIMITS } from './imap-limits.js';
import { startImap } from '../testing/imap-test-server.js';

// Transcripts over real sockets of the session core (RFC 9051 §2–§7): greeting, state table,
// pipelining, framing limits, IDLE (RFC 2177), COMPRESS=DEFLATE (RFC 4978), LOGOUT, and a client
// that stops reading.

type Imap = Awaited<ReturnType<typeof startImap>>;

describe('IMAP session', () => {
  let t: TestApp;
  let imap: Imap;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function account(): Promise<{ id: string; user: string }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    return { id, user };
  }

  async function deliver(accountId: string, subject: string): Promise<void> {
    const raw = Buffer.from(`From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: ${subject}\r\n\r\nOlá\r\n`);
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'bruna@paulolopes.fr' });
  }

  async function login(user: string): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    expect(await c.line()).toMatch(/^\* OK \[CAPABILITY .*\] \S+ Correio IMAP server ready$/);
    expect((await c.cmd(`L1 LOGIN ${user} joel-password`)).at(-1)).toMatch(/^L1 OK \[CAPABILITY IMAP4rev1 .*\] Logged in$/);
    return c;
  }

  it('wrong-state commands get BAD, unknown commands and NOTIFY get BAD, the session goes on', async () => {
    const a = await account();
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    for (const cmd of ['SELECT INBOX', 'LIST "" *', 'STATUS INBOX (MESSAGES)', 'ENABLE IMAP4rev2', 'IDLE', 'FETCH 1 FLAGS', 'CREATE x', 'NAMESPACE']) {
      const name = cmd.split(' ')[0];
      expect(await c.cmd(`w ${cmd}`), cmd).toEqual([`w BAD ${name} not valid in this state`]);
    }
    expect((await c.cmd('u XYZZY'))[0]).toMatch(/^u BAD /);
    expect(await c.cmd('n1 NOOP')).toEqual(['n1 OK NOOP completed']);
    expect((await c.cmd(`L LOGIN ${a.user} joel-password`)).at(-1)).toMatch(/^L OK /);
    expect(await c.cmd(`L2 LOGIN ${a.user} joel-password`)).toEqual(['L2 BAD LOGIN not valid in this state']);
    expect(await c.cmd('s STARTTLS')).toEqual(['s BAD STARTTLS not valid in this state']);
    expect(await c.cmd('f FETCH 1 FLAGS')).toEqual(['f BAD FETCH not valid in this state']);
    expect((await c.cmd('x NOTIFY NONE'))[0]).toMatch(/^x BAD /);
    expect(await c.cmd('o LOGOUT')).toEqual(['* BYE Correio IMAP server logging out', 'o OK LOGOUT completed']);
    await c.waitClosed();
  });

  it('pipelined commands are answered one at a time, in order', async () => {
    const a = await account();
    const c = await login(a.user);
    c.send('p1 NOOP\r\np2 ID NIL\r\np3 NAMESPACE\r\np4 NOOP\r\np5 LOGOUT\r\n');
    expect(await c.until('p5')).toEqual([
      'p1 OK NOOP completed',
      expect.stringMatching(/^\* ID \("name" "Correio" "version" "[\d.]+"\)$/),
      'p2 OK ID completed',
      '* NAMESPACE (("" "/")) NIL NIL',
      'p3 OK NAMESPACE completed',
      'p4 OK NOOP completed',
      '* BYE Correio IMAP server logging out',
      'p5 OK LOGOUT completed',
    ]);
    await c.waitClosed();
  });

  it('a too-long line and a too-big literal get an RFC answer, and the session stays usable', async () => {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    c.send(`t1 NOOP ${'x'.repeat(70_000)}\r\n`);
    expect(await c.line()).toMatch(/^t1 BAD \[TOOBIG\] /);
    expect(await c.cmd('t2 NOOP')).toEqual(['t2 OK NOOP completed']);
    // Before authentication a literal is small (RFC 7888 §4 spirit): a synchronizing one is refused before it is sent.
    expect(await c.cmd('t3 LOGIN {100000}')).toEqual(['t3 NO [TOOBIG] Literal too big']);
    expect(await c.cmd('t4 NOOP')).toEqual(['t4 OK NOOP completed']);
    // A literal within the limit gets "+" and works.
    c.send('t5 ID ("name" {4}\r\n');
    expect(await c.line()).toBe('+ Ready for literal data');
    c.send('mutt)\r\n');
    expect(await c.until('t5')).toEqual([expect.stringMatching(/^\* ID \("name" "Correio"/), 't5 OK ID completed']);
    // A non-synchronizing literal that is too big cannot be skipped before authentication: BYE and close.
    c.send('t6 LOGIN {100000+}\r\n');
    expect(await c.line()).toMatch(/^t6 BAD \[TOOBIG\] /);
    expect(await c.line()).toMatch(/^\* BYE /);
    await c.waitClosed();
  });

  it('hostile input (random bytes, literal announcements, NULs, deep nesting) gets answers or a BYE, never a crash', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = ['{5}\r\n', '{99999999999}\r\n', '{3+}\r\nabc', '~{4}\r\n\0\0\0\0', '((((((((((((((((((((((((((((((((((((', '"\\', '\r\n', ' UID FETCH 1:* ', ' SEARCH OR ', 'A LOGIN ', '* ', '+ ', '\0'];
    for (let conn = 0; conn < 5; conn++) {
      const c = await ImapWire.connect(imap.ports.plain);
      await c.line();
      for (let i = 0; i < 200; i++) {
        const piece = random() < 0.5 ? pieces[Math.floor(random() * pieces.length)]! : Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
        if (!c.closed) c.send(piece);
      }
      c.send('\r\nzz NOOP\r\n');
      const last = await Promise.race([c.until('zz'), new Promise<string[]>((r) => setTimeout(() => r(['(timeout)']), 3000))]);
      expect(last.at(-1)).toMatch(/^(zz OK NOOP completed|\(closed\)|\(timeout\))$/);
      c.drop();
    }
    const d = await ImapWire.connect(imap.ports.plain);
    await d.line();
    expect(await d.cmd('ok NOOP')).toEqual(['ok OK NOOP completed']);
  });

  it('IDLE: "+ idling", an EXISTS from a delivery by someone else arrives at once, DONE ends it', async () => {
    const a = await account();
    await deliver(a.id, 'before');
    const c = await login(a.user);
    const selected = await c.cmd('s SELECT INBOX');
    expect(selected).toContain('* 1 EXISTS');
    expect(selected.at(-1)).toMatch(/^s OK \[READ-WRITE\]/);
    c.send('i IDLE\r\n');
    expect(await c.line()).toBe('+ idling');
    const started = Date.now();
    await deliver(a.id, 'during');
    expect(await c.line()).toBe('* 2 EXISTS');
    expect(Date.now() - started).toBeLessThan(1000);
    c.send('DONE\r\n');
    expect(await c.line()).toBe('i OK IDLE terminated');
    // Outside IDLE, updates wait for a command (RFC 9051 §7.5.1): NOOP brings them.
    await deliver(a.id, 'after');
    expect(await c.cmd('n NOOP')).toEqual(['* 3 EXISTS', 'n OK NOOP completed']);
    c.send('j IDLE\r\n');
    expect(await c.line()).toBe('+ idling');
    c.send('j2 NOOP\r\n');
    expect(await c.line()).toBe('j BAD Expected DONE');
    expect(await c.cmd('k NOOP')).toEqual(['k OK NOOP completed']);
  });

  it('COMPRESS=DEFLATE: everything after the OK is deflated both ways, IDLE pushes are flushed at once', async () => {
    const a = await account();
    const c = await login(a.user);
    expect(await c.cmd('z1 COMPRESS GZIP')).toEqual(['z1 BAD Unknown compression mechanism']);
    expect(await c.cmd('z COMPRESS DEFLATE')).toEqual(['z OK DEFLATE active']);
    c.startCompression();
    expect(await c.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
    const caps = await c.cmd('c CAPABILITY');
    expect(caps[0]).toMatch(/^\* CAPABILITY IMAP4rev1 /);
    expect(caps[0]).not.toContain('COMPRESS=DEFLATE');
    expect(await c.cmd('z2 COMPRESS DEFLATE')).toEqual(['z2 NO [COMPRESSIONACTIVE] DEFLATE is already active']);
    expect((await c.cmd('l LIST "" *')).length).toBe(7);
    expect((await c.cmd('s SELECT INBOX'))[0]).toBe('* 0 EXISTS');
    c.send('i IDLE\r\n');
    expect(await c.line()).toBe('+ idling');
    await deliver(a.id, 'compressed');
    expect(await c.line()).toBe('* 1 EXISTS');
    c.send('DONE\r\n');
    expect(await c.line()).toBe('i OK IDLE terminated');
    expect(await c.cmd('o LOGOUT')).toEqual(['* BYE Correio IMAP server logging out', 'o OK LOGOUT completed']);
    await c.waitClosed();
  });

  it('a client that stops reading: the server stops producing (bounded buffers) and the session is fine once it reads', async () => {
    const a = await account();
    const c = await login(a.user);
    c.pause();
    // 20,000 pipelined CAPABILITY commands ask for about 10 MB of responses.
    const count = 20_000;
    c.send(Array.from({ length: count }, (_, i) => `b${i} CAPABILITY\r\n`).join(''));
    await new Promise((r) => setTimeout(r, 1500));
    const held = imap.service.bufferedBytes();
    // At most the pending-output limit plus one command's responses.
    expect(held.output).toBeLessThan(IMAP_SERVER_LIMITS.maxPendingOutputBytes + 16 * 1024);
    expect(held.input).toBeLessThan(1024 * 1024);
    // The server stopped reading too: part of what the client wrote is still on its side.
    expect(c.rawSocket.writableLength + held.input).toBeGreaterThan(0);
    c.resume();
    const lines = await c.until(`b${count - 1}`);
    expect(lines.filter((l) => / OK CAPABILITY completed$/.test(l))).toHaveLength(count);
    expect(lines.at(-1)).toBe(`b${count - 1} OK CAPABILITY completed`);
    expect(await c.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
  });

  it('autologout after the idle timeout (a client that stops reading included) and BYE on shutdown (RFC 9051 §5.4, §7.1.5)', async () => {
    const a = await account();
    const short = await startImap(t, { limits: { idleTimeoutMs: 300, preAuthIdleTimeoutMs: 300 } });
    const c = await ImapWire.connect(short.ports.plain);
    await c.line();
    expect(await c.line()).toBe('* BYE Autologout; idle for too long');
    await c.waitClosed();
    // After login (its own server: a LOGIN slower than 300 ms on a loaded machine — argon2 — is no
    // traffic either way, and must not be taken for a silent client before authentication).
    const authed = await startImap(t, { limits: { idleTimeoutMs: 300, preAuthIdleTimeoutMs: 30_000 } });
    const d = await ImapWire.connect(authed.ports.plain);
    await d.line();
    expect((await d.cmd(`l LOGIN ${a.user} joel-password`))[0]).toMatch(/^l OK /);
    d.send('i IDLE\r\n');
    expect(await d.line()).toBe('+ idling');
    expect(await d.line()).toBe('* BYE Autologout; idle for too long');
    await d.waitClosed();
    await authed.close();
    // A client that stops reading is no exception: with no traffic either way it is logged out
    // and its socket destroyed, so it holds nothing.
    const f = await ImapWire.connect(short.ports.plain);
    await f.line();
    f.pause();
    f.send(Array.from({ length: 20_000 }, (_, i) => `b${i} CAPABILITY\r\n`).join(''));
    await vi.waitUntil(() => short.service.sessionCount === 0, { timeout: 10_000, interval: 50 });
    f.drop();
    const e = await ImapWire.connect(short.ports.plain);
    await e.line();
    await short.close();
    expect(await e.line()).toBe('* BYE Server shutting down');
    await e.waitClosed();
  });
});
