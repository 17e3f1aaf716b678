import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { Pop3Wire } from '@correio/testing';
import { startPop3 } from '../testing/pop3-test-server.js';

// The maildrop is read ahead of RETR (maildrop-prefetch.ts): a client that downloads message after
// message costs a few queries, not one or two per message, and still gets exact bytes and -ERR for
// a message deleted meanwhile.

describe('POP3 read-ahead', () => {
  let t: TestApp;
  let pop: Awaited<ReturnType<typeof startPop3>>;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    pop = await startPop3(t);
  });
  afterAll(async () => {
    await pop?.close();
    await t?.close();
  });

  async function account(raws: Buffer[]): Promise<{ id: string; user: string; ids: string[] }> {
    const user = `reader${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'reader-password' });
    for (const raw of raws) {
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: id, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'x@example.org' });
    }
    const inboxId = (await t.store.listMailboxes(id)).find((b) => b.specialUse === 'inbox')!.id;
    const ids = (await t.store.listMessages(id, inboxId, 1000)).sort((a, b) => a.uid - b.uid).map((m) => m.id);
    return { id, user, ids };
  }

  async function login(user: string): Promise<Pop3Wire> {
    const c = await Pop3Wire.connect(pop.ports.plain);
    await c.reply();
    expect(await c.cmd(`USER ${user}`)).toBe('+OK Send PASS');
    expect(await c.cmd('PASS reader-password')).toMatch(/^\+OK Maildrop has/);
    return c;
  }

  /** Records the ids of each read-ahead batch and of each direct read (one message). */
  function spyOnReads(): { batches: string[][]; direct: string[]; restore(): void } {
    const store = pop.ctx.get(MailboxStoreService);
    const batches: string[][] = [];
    const direct: string[] = [];
    const ahead = vi.spyOn(store, 'readRawInto');
    const single = vi.spyOn(store, 'getRaw');
    ahead.mockImplementation(function (this: MailboxStoreService, accountId, requests, into) {
      batches.push(requests.map((r) => r.id));
      return MailboxStoreService.prototype.readRawInto.call(this, accountId, requests, into);
    });
    single.mockImplementation(function (this: MailboxStoreService, accountId, id) {
      direct.push(id);
      return MailboxStoreService.prototype.getRaw.call(this, accountId, id);
    });
    return {
      batches,
      direct,
      restore() {
        ahead.mockRestore();
        single.mockRestore();
      },
    };
  }

  /** The bytes between "+OK" and the terminator, un-stuffed. */
  function unstuff(body: Buffer): Buffer {
    return Buffer.from(body.toString('latin1').slice(0, -3).replace(/(^|\r\n)\./g, '$1'), 'latin1');
  }

  it('200 RETRs in a row: byte-exact, and far fewer database queries than messages', async () => {
    const raws = Array.from({ length: 200 }, (_, i) =>
      Buffer.concat([
        Buffer.from(`Subject: m${i}\r\n\r\n.dot line ${i}\r\n`),
        Buffer.from([0xe9, 0x00, 0x2e, 0x0d, 0x0a, 0x2e, 0x2e, 0x0d, 0x0a]),
        Buffer.from('x'.repeat(i * 37)),
      ]),
    );
    const a = await account(raws);
    const c = await login(a.user);
    const { batches, direct, restore } = spyOnReads();
    try {
      for (let i = 0; i < raws.length; i++) {
        c.send(`RETR ${i + 1}\r\n`);
        expect(await c.line()).toBe(`+OK ${raws[i]!.length} octets`);
        const got = unstuff(await c.multiRaw());
        // multiRaw ends with the CRLF the server adds when the message lacks one.
        const expected = raws[i]!.subarray(-2).equals(Buffer.from('\r\n')) ? raws[i]! : Buffer.concat([raws[i]!, Buffer.from('\r\n')]);
        expect(got.equals(expected), `message ${i + 1}`).toBe(true);
      }
      // Without read-ahead: one read per RETR, 200 in all.
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.length).toBeLessThan(30);
      expect(direct.length).toBeLessThan(5);
    } finally {
      restore();
    }
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('UTF-8, 8-bit and NUL bytes in one maildrop: all byte-exact from the read-ahead', async () => {
    const utf8 = (i: number) => Buffer.from(`\uFEFFSubject: Olá ${i}\r\n\r\nJoão 😀 ação\r\nbare\rCR\nLF\r\n${'€'.repeat(i)}`);
    const raws = [...Array.from({ length: 40 }, (_, i) => utf8(i)), Buffer.from([0x53, 0x3a, 0x20, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a, 0xc3, 0x28, 0x0d, 0x0a]), ...Array.from({ length: 5 }, (_, i) => utf8(100 + i))];
    const a = await account(raws);
    const c = await login(a.user);
    const { batches, direct, restore } = spyOnReads();
    try {
      for (let i = 0; i < raws.length; i++) {
        c.send(`RETR ${i + 1}\r\n`);
        expect(await c.line()).toBe(`+OK ${raws[i]!.length} octets`);
        const got = unstuff(await c.multiRaw());
        const expected = raws[i]!.subarray(-2).equals(Buffer.from('\r\n')) ? raws[i]! : Buffer.concat([raws[i]!, Buffer.from('\r\n')]);
        expect(got.equals(expected), `message ${i + 1}`).toBe(true);
      }
      expect(batches.length).toBeLessThan(12);
      expect(direct).toEqual([]); // every message came from the read-ahead (started at login)
    } finally {
      restore();
    }
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });

  it('a message deleted by the webmail after it was read ahead: RETR -ERR, the rest unchanged', async () => {
    const a = await account([1, 2, 3, 4].map((i) => Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`)));
    const c = await login(a.user);
    expect(await c.cmd('RETR 1', true)).toContain('body 1');
    // Messages 2-4 are read ahead now (one query, right after RETR 1).
    await sleep(200);
    // The webmail in the same process: the change bus tells the session (published after COMMIT).
    await pop.ctx.get(MailboxStoreService).expunge(a.id, a.ids[1]!);
    expect(await c.cmd('RETR 2')).toBe('-ERR No such message');
    expect(await c.cmd('TOP 2 0')).toBe('-ERR No such message');
    expect(await c.cmd('RETR 3', true)).toContain('body 3');
    expect(await c.cmd('TOP 4 0', true)).toBe('+OK\nSubject: m4\n\n.');
    expect(await c.cmd('RETR 4', true)).toContain('body 4');
    expect(await c.cmd('QUIT')).toMatch(/^\+OK .*\(0 messages deleted\)$/);
  });

  it('a large maildrop is not read whole: the read-ahead stays within its window', async () => {
    const raws = Array.from({ length: 120 }, (_, i) => Buffer.from(`Subject: m${i}\r\n\r\n${'y'.repeat(60 * 1024)}\r\n`));
    const a = await account(raws);
    const c = await login(a.user);
    const { batches, restore } = spyOnReads();
    try {
      expect(await c.cmd('RETR 1', true)).toContain('Subject: m0');
      await sleep(500);
      // 4 MiB of 60 KiB messages: about 68 ahead of message 1 at most, never the 120.
      const read = new Set(batches.flat());
      expect(read.size).toBeGreaterThan(10);
      expect(read.size).toBeLessThanOrEqual(Math.floor((4 * 1024 * 1024) / (60 * 1024)));
      expect(read.has(a.ids[119]!)).toBe(false);
    } finally {
      restore();
    }
    expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  });
});
