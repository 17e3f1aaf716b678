import { createHash } from 'node:crypto';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { Pop3Wire } from '@correio/testing';
import { startPop3 } from '../testing/pop3-test-server.js';
import { Pop3Service } from './pop3.service.js';

// Transcripts over real sockets (RFC 1939, 2449, 2595, 3206, 5034): every command in every state,
// wrong-state commands, STLS, AUTH PLAIN, the maildrop lock, and a dropped connection.

type Pop3 = Awaited<ReturnType<typeof startPop3>>;

describe('POP3 server', () => {
  let t: TestApp;
  let pop: Pop3;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    pop = await startPop3(t);
  });
  afterAll(async () => {
    await pop?.close();
    await t?.close();
  });

  const messages = [
    'From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: one\r\n\r\nOlá Joel\r\n',
    'Subject: two\r\n\r\n.leading dot\r\n..two dots\r\nend\r\n.\r\n',
    Buffer.concat([Buffer.from('Subject: three\r\nContent-Type: text/plain; charset=latin1\r\n\r\n'), Buffer.from([0xe9, 0xe0, 0x0d, 0x0a])]),
  ];

  /** A fresh account whose INBOX holds `raws`, in order. */
  async function account(raws: (string | Buffer)[] = messages): Promise<{ id: string; user: string; raws: Buffer[] }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    const bufs = raws.map((r) => (typeof r === 'string' ? Buffer.from(r) : r));
    for (const raw of bufs) await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'bruna@paulolopes.fr' });
    return { id, user, raws: bufs };
  }

  async function inbox(accountId: string) {
    const box = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === 'inbox')!;
    return { box, messages: await t.store.listMessages(accountId, box.id, 100) };
  }

  async function login(user: string, port = pop.ports.plain, tls = false): Promise<Pop3Wire> {
    const c = await Pop3Wire.connect(port, { tls });
    expect(await c.reply()).toMatch(/^\+OK \S+ Correio POP3 server ready$/);
    expect(await c.cmd(`USER ${user}`)).toBe('+OK Send PASS');
    expect(await c.cmd('PASS joel-password')).toMatch(/^\+OK Maildrop has \d+ messages \(\d+ octets\)$/);
    return c;
  }

  const stuffed = (raw: Buffer) => raw.toString('latin1').replace(/\r\n$/, '').split('\r\n').map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\n');

  it('AUTHORIZATION: CAPA, wrong-state commands, USER/PASS order, bad password, then login', async () => {
    const a = await account();
    const c = await Pop3Wire.connect(pop.ports.plain);
    expect(await c.reply()).toMatch(/^\+OK /);
    expect(await c.cmd('CAPA', true)).toBe(
      '+OK Capability list follows\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nPIPELINING\nSTLS\nUSER\nSASL PLAIN\nIMPLEMENTATION Correio\n.',
    );
    for (const cmd of ['STAT', 'LIST', 'LIST 1', 'RETR 1', 'DELE 1', 'NOOP', 'RSET', 'TOP 1 0', 'UIDL', 'UIDL 1']) {
      expect(await c.cmd(cmd), cmd).toBe(`-ERR ${cmd.split(' ')[0]} not valid in this state`);
    }
    expect(await c.cmd('PASS joel-password')).toBe('-ERR USER first');
    expect(await c.cmd('XYZ')).toBe('-ERR Unknown command');
    expect(await c.cmd('APOP joel 00')).toBe('-ERR Unknown command');
    expect(await c.cmd('RETR')).toBe('-ERR Invalid message number');
    expect(await c.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
    expect(await c.cmd('PASS wrong')).toBe('-ERR [AUTH] Invalid credentials');
    // A failed PASS starts AUTHORIZATION over (RFC 1939 §7).
    expect(await c.cmd('PASS joel-password')).toBe('-ERR USER first');
    expect(await c.cmd(`user ${a.user.toUpperCase()}`)).toBe('+OK Send PASS');
    const total = a.raws.reduce((s, r) => s + r.length, 0);
    expect(await c.cmd('pass joel-password')).toBe(`+OK Maildrop has 3 messages (${total} octets)`);
    expect(await c.cmd('QUIT')).toBe('+OK Correio POP3 server signing off (0 messages deleted)');
    await c.waitClosed();
  });

  it('TRANSACTION: STAT LIST UIDL RETR TOP DELE RSET NOOP CAPA, wrong-state commands, QUIT expunges the marked ones', async () => {
    const a = await account();
    const { box, messages: before } = await inbox(a.id);
    const [s1, s2, s3] = a.raws.map((r) => r.length);
    const c = await login(a.user);
    expect(await c.cmd('STAT')).toBe(`+OK 3 ${s1! + s2! + s3!}`);
    expect(await c.cmd('LIST', true)).toBe(`+OK 3 messages (${s1! + s2! + s3!} octets)\n1 ${s1}\n2 ${s2}\n3 ${s3}\n.`);
    expect(await c.cmd('LIST 2')).toBe(`+OK 2 ${s2}`);
    expect(await c.cmd('LIST 4')).toBe('-ERR No such message');
    expect(await c.cmd('UIDL', true)).toBe(`+OK Unique-ID listing follows\n1 ${box.uidValidity}.1\n2 ${box.uidValidity}.2\n3 ${box.uidValidity}.3\n.`);
    expect(await c.cmd('UIDL 3')).toBe(`+OK 3 ${box.uidValidity}.3`);
    // RETR: the stored bytes, dot-stuffed (RFC 1939 §3); the size announced is LIST's.
    for (const [i, raw] of a.raws.entries()) {
      expect(await c.cmd(`RETR ${i + 1}`, true)).toBe(`+OK ${raw.length} octets\n${stuffed(raw)}\n.`);
    }
    expect(await c.cmd('RETR 2', true)).toContain('\n..leading dot\n...two dots\nend\n..\n.');
    expect(await c.cmd('TOP 1 0', true)).toBe('+OK\nFrom: bruna@paulolopes.fr\nTo: joel@ifsc.edu\nSubject: one\n\n.');
    expect(await c.cmd('TOP 2 1', true)).toBe('+OK\nSubject: two\n\n..leading dot\n.');
    expect(await c.cmd('TOP 9 1')).toBe('-ERR No such message');
    expect(await c.cmd('DELE 2')).toBe('+OK Message 2 deleted');
    expect(await c.cmd('DELE 2')).toBe('-ERR Message 2 already deleted');
    expect(await c.cmd('DELE 7')).toBe('-ERR No such message');
    for (const cmd of ['LIST 2', 'RETR 2', 'TOP 2 0', 'UIDL 2']) expect(await c.cmd(cmd), cmd).toBe('-ERR No such message');
    expect(await c.cmd('STAT')).toBe(`+OK 2 ${s1! + s3!}`);
    expect(await c.cmd('LIST', true)).toBe(`+OK 2 messages (${s1! + s3!} octets)\n1 ${s1}\n3 ${s3}\n.`);
    expect(await c.cmd('RSET')).toBe(`+OK Maildrop has 3 messages (${s1! + s2! + s3!} octets)`);
    expect(await c.cmd('LIST 2')).toBe(`+OK 2 ${s2}`);
    expect(await c.cmd('DELE 1')).toBe('+OK Message 1 deleted');
    expect(await c.cmd('DELE 3')).toBe('+OK Message 3 deleted');
    expect(await c.cmd('NOOP')).toBe('+OK');
    for (const cmd of ['USER x', 'PASS y', 'AUTH PLAIN', 'STLS']) expect(await c.cmd(cmd), cmd).toBe(`-ERR ${cmd.split(' ')[0]} not valid in this state`);
    expect(await c.cmd('CAPA', true)).toBe('+OK Capability list follows\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nPIPELINING\nIMPLEMENTATION Correio\n.');
    // Nothing is gone before UPDATE: the webmail still sees all three, unread.
    expect((await inbox(a.id)).messages).toHaveLength(3);
    expect(await c.cmd('QUIT')).toBe('+OK Correio POP3 server signing off (2 messages deleted)');
    await c.waitClosed();
    const after = (await inbox(a.id)).messages;
    expect(after.map((m) => m.subject)).toEqual(['two']);
    // POP3 marks nothing read (RETR and TOP leave \Seen alone).
    expect(after[0]!.seen).toBe(false);
    expect(before.every((m) => !m.seen)).toBe(true);
    const { rows } = await t.db.pool.query<{ uid: number }>('SELECT uid FROM expunged WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid', [a.id, box.id]);
    expect(rows.map((r) => r.uid)).toEqual([1, 3]);
    const acct = await t.directory.getAccount(a.id);
    expect(Number(acct!.usedBytes)).toBe(s2);
  });

  it('a dropped connection (and the idle timeout) deletes nothing and frees the maildrop', async () => {
    const a = await account();
    const c = await login(a.user);
    for (const i of [1, 2, 3]) expect(await c.cmd(`DELE ${i}`)).toBe(`+OK Message ${i} deleted`);
    c.drop();
    await vi.waitUntil(() => pop.ctx.get(Pop3Service).sessionCount === 0, { timeout: 5000, interval: 10 });
    expect((await inbox(a.id)).messages).toHaveLength(3);
    const idle = await startPop3(t, { idleTimeoutMs: 300 });
    try {
      const d = await login(a.user, idle.ports.plain);
      expect(await d.cmd('DELE 1')).toBe('+OK Message 1 deleted');
      // RFC 1939 §3: the autologout timer closes without a response and without UPDATE.
      expect(await d.reply()).toBe('(closed)');
    } finally {
      await idle.close();
    }
    expect((await inbox(a.id)).messages).toHaveLength(3);
    const e = await login(a.user);
    expect(await e.cmd('STAT')).toMatch(/^\+OK 3 /);
    expect(await e.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('a second session on the same maildrop gets -ERR [IN-USE] until the first QUITs', async () => {
    const a = await account();
    const first = await login(a.user);
    const second = await Pop3Wire.connect(pop.ports.plain);
    await second.reply();
    expect(await second.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
    expect(await second.cmd('PASS joel-password')).toBe('-ERR [IN-USE] Maildrop is in use by another session');
    expect(await first.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await first.cmd('QUIT')).toMatch(/^\+OK .*\(1 messages deleted\)$/);
    await first.waitClosed();
    expect(await second.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
    expect(await second.cmd('PASS joel-password')).toMatch(/^\+OK Maildrop has 2 messages/);
    expect(await second.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('UIDL is stable across sessions and never reused; new mail gets new numbers next session', async () => {
    const a = await account();
    const c = await login(a.user);
    const uidl1 = (await c.cmd('UIDL', true)).split('\n').slice(1, -1).map((l) => l.split(' ')[1]);
    await c.cmd('DELE 3');
    await c.cmd('QUIT');
    await c.waitClosed();
    const raw = Buffer.from('Subject: four\r\n\r\nnew\r\n');
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: a.id, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'x@example.org' });
    const d = await login(a.user);
    const uidl2 = (await d.cmd('UIDL', true)).split('\n').slice(1, -1).map((l) => l.split(' ')[1]);
    expect(uidl2.slice(0, 2)).toEqual(uidl1.slice(0, 2));
    expect(uidl2[2]).not.toBe(uidl1[2]);
    expect(uidl2[2]).toMatch(/\.4$/);
    await d.cmd('QUIT');
  });

  it('AUTH PLAIN: initial response (SASL-IR), continuation, cancel, unknown mechanism, bad response', async () => {
    const a = await account([]);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const c = await Pop3Wire.connect(pop.ports.plain);
    await c.reply();
    expect(await c.cmd('AUTH', true)).toBe('+OK Mechanisms follow\nPLAIN\n.');
    expect(await c.cmd('AUTH CRAM-MD5')).toBe('-ERR Unsupported authentication mechanism');
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd('*')).toBe('-ERR Authentication cancelled');
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd('!!!')).toBe('-ERR Invalid SASL PLAIN response');
    expect(await c.cmd(`AUTH PLAIN ${b64(`\0${a.user}\0nope`)}`)).toBe('-ERR [AUTH] Invalid credentials');
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd(b64(`\0${a.user}\0joel-password`))).toBe('+OK Maildrop has 0 messages (0 octets)');
    expect(await c.cmd('LIST', true)).toBe('+OK 0 messages (0 octets)\n.');
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
    const d = await Pop3Wire.connect(pop.ports.plain);
    await d.reply();
    expect(await d.cmd(`AUTH PLAIN ${b64(`${a.user}\0${a.user}\0joel-password`)}`)).toBe('+OK Maildrop has 0 messages (0 octets)');
    expect(await d.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('pipelined commands are answered in order; long lines are refused and the session goes on', async () => {
    const a = await account();
    const c = await login(a.user);
    c.send('STAT\r\nLIST 1\r\nUIDL 1\r\nNOOP\r\n');
    expect(await c.reply()).toMatch(/^\+OK 3 /);
    expect(await c.reply()).toMatch(/^\+OK 1 \d+$/);
    expect(await c.reply()).toMatch(/^\+OK 1 \d+\.1$/);
    expect(await c.reply()).toBe('+OK');
    // RFC 2449 §4: 255 octets with CRLF at most.
    expect(await c.cmd(`NOOP ${'x'.repeat(251)}`)).toBe('-ERR Line too long');
    c.send(`NOOP ${'x'.repeat(5000)}`);
    c.send(`${'y'.repeat(5000)}\r\nNOOP\r\n`);
    expect(await c.reply()).toBe('-ERR Line too long');
    expect(await c.reply()).toBe('+OK');
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('pipelined RETRs of a large message arrive whole and in order (written as the client reads)', async () => {
    const line = `${'x'.repeat(998)}\r\n`;
    const big = Buffer.from(`Subject: big\r\n\r\n${line.repeat(2048)}.dot\r\n`);
    const a = await account([big]);
    const c = await login(a.user);
    c.send('RETR 1\r\n'.repeat(8));
    for (let i = 0; i < 8; i++) {
      expect(await c.line()).toBe(`+OK ${big.length} octets`);
      const body = await c.multiRaw();
      expect(body.length).toBe(big.length + 1 + 3);
    }
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('implicit TLS port: login and RETR', async () => {
    const a = await account();
    const c = await Pop3Wire.connect(pop.ports.tls, { tls: true });
    expect(await c.reply()).toMatch(/^\+OK /);
    expect(await c.cmd('CAPA', true)).not.toContain('STLS');
    expect(await c.cmd('STLS')).toBe('-ERR Command not permitted when TLS active');
    expect(await c.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
    expect(await c.cmd('PASS joel-password')).toMatch(/^\+OK Maildrop has 3 messages/);
    expect(await c.cmd('RETR 1', true)).toBe(`+OK ${a.raws[0]!.length} octets\n${stuffed(a.raws[0]!)}\n.`);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });

  describe('without plaintext logins on loopback', () => {
    let strict: Pop3;
    beforeAll(async () => {
      strict = await startPop3(t, { allowPlainAuthOnLoopback: false });
    });
    afterAll(() => strict?.close());

    it('refuses USER/PASS and AUTH before STLS, discards what was pipelined behind STLS, logs in after', async () => {
      const a = await account();
      const c = await Pop3Wire.connect(strict.ports.plain);
      await c.reply();
      expect(await c.cmd('CAPA', true)).toBe('+OK Capability list follows\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nPIPELINING\nSTLS\nIMPLEMENTATION Correio\n.');
      const refused = '-ERR [AUTH] Plaintext authentication disallowed on non-secure connections; use STLS';
      expect(await c.cmd(`USER ${a.user}`)).toBe(refused);
      expect(await c.cmd(`AUTH PLAIN ${Buffer.from(`\0${a.user}\0joel-password`).toString('base64')}`)).toBe(refused);
      // CVE-2011-0411: a command injected after STLS in the same packet must not run.
      c.send('STLS\r\nCAPA\r\n');
      expect(await c.reply()).toBe('+OK Begin TLS negotiation');
      await c.startTls();
      expect(await c.cmd('NOOP')).toBe('-ERR NOOP not valid in this state');
      expect(await c.cmd('CAPA', true)).toBe('+OK Capability list follows\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nPIPELINING\nUSER\nSASL PLAIN\nIMPLEMENTATION Correio\n.');
      expect(await c.cmd('STLS')).toBe('-ERR Command not permitted when TLS active');
      expect(await c.cmd(`USER ${a.user}`)).toBe('+OK Send PASS');
      expect(await c.cmd('PASS joel-password')).toMatch(/^\+OK Maildrop has 3 messages/);
      expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
    });

    it('slows down repeated failed logins (LoginThrottle: per IP and account)', async () => {
      const a = await account([]);
      const c = await Pop3Wire.connect(strict.ports.tls, { tls: true });
      await c.reply();
      for (let i = 0; i < 3; i++) {
        await c.cmd(`USER ${a.user}`);
        expect(await c.cmd('PASS bad')).toBe('-ERR [AUTH] Invalid credentials');
      }
      await c.cmd(`USER ${a.user}`);
      const started = Date.now();
      expect(await c.cmd('PASS joel-password')).toMatch(/^\+OK /);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
    });
  });

  it('RETR is byte-identical to the store (sha256 after un-stuffing)', async () => {
    const a = await account();
    const c = await login(a.user);
    for (const [i, raw] of a.raws.entries()) {
      c.send(`RETR ${i + 1}\r\n`);
      expect(await c.line()).toBe(`+OK ${raw.length} octets`);
      const body = (await c.multiRaw()).toString('latin1');
      const unstuffed = Buffer.from(body.slice(0, -3).replace(/(^|\r\n)\./g, '$1'), 'latin1');
      const stored = (await t.store.getRaw(a.id, (await inbox(a.id)).messages.find((m) => m.uid === i + 1)!.id)).raw;
      expect(createHash('sha256').update(unstuffed).digest('hex')).toBe(createHash('sha256').update(stored).digest('hex'));
    }
    await c.cmd('QUIT');
  });
});
