import { ImapWire } from '@correio/testing';
import net from 'node:net';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// FETCH BODY.PEEK[]'s body path (fetch-bodies.ts: rows of a binary COPY written to the client as
// they arrive, as views of the database socket's reads) must put on the wire exactly the bytes the
// general path does (RFC 9051 §7.5.2: a literal of the stored message), compared here on the raw
// socket, whatever the message: 8-bit and binary, tiny, 300 KB (many socket reads), over 1 MiB
// (streamed from the blob store), beside other items; and a client that stops reading must not hold
// the database connections.

type Imap = Awaited<ReturnType<typeof startImap>>;

/** Every byte value but NUL and bare CR/LF in a body, and invalid UTF-8 (RFC 9051 allows 8-bit in literals). */
function eightBit(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const b = i < 256 ? i : x >>> 24;
    out[i] = b === 0 || b === 10 || b === 13 ? 0x80 : b;
  }
  return out;
}

function message(i: number, body: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`From: a${i}@b.c\r\nSubject: m${i}\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(body),
  ]);
}

const CORPUS: Buffer[] = [
  Buffer.from('Subject: tiny\r\n\r\nx'),
  message(1, eightBit(2_000, 1)),
  message(2, `Ol\u00e1 Jo\u00ebl \u2014 caf\u00e9\r\n`),
  message(3, eightBit(300_000, 3)), // many socket reads; inline (≤ 1 MiB)
  ...Array.from({ length: 20 }, (_, i) => message(10 + i, eightBit(100 + i * 997, 10 + i))),
  message(4, eightBit(1_200_000, 4)), // streamed from the blob store (> 1 MiB)
  message(5, `${'0123456789abcdef\r\n'.repeat(20_000)}`),
  Buffer.from('Subject: last\r\n\r\n'),
];

/** Sends one command on a raw socket and returns every byte up to and including its tagged answer. */
async function raw(socket: net.Socket, tag: string, command: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const all = Buffer.concat(chunks, length);
      const end = all.lastIndexOf('\r\n', all.length - 3);
      const lastLine = all.subarray(end < 0 ? 0 : end + 2).toString('latin1');
      if (all.subarray(-2).toString() === '\r\n' && lastLine.startsWith(`${tag} `)) {
        socket.off('data', onData);
        resolve(all);
      }
    };
    socket.on('data', onData);
    socket.write(`${tag} ${command}\r\n`);
  });
}

/** Delivers each message to the account's INBOX through the store, in order. */
async function deliverAll(t: TestApp, accountId: string, messages: readonly Buffer[]): Promise<void> {
  for (const m of messages) {
    await t.store.deliver({ raw: m, summary: await summarizeMessage(m), targets: [{ accountId, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'a@b.c' });
  }
}

describe('FETCH BODY.PEEK[] body path, bytes on the wire', () => {
  let t: TestApp;
  let imap: Imap;
  const user = 'bodies@ifsc.edu';

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
    const { id: accountId } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    await deliverAll(t, accountId, CORPUS);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function examined(): Promise<net.Socket> {
    const socket = net.connect(imap.ports.plain, '127.0.0.1');
    await new Promise((r) => socket.once('data', r));
    expect((await raw(socket, 'L', `LOGIN ${user} joel-password`)).toString()).toMatch(/L OK /);
    // EXAMINE: read-only, so the general path's BODY[] sets no \Seen and adds no FLAGS (RFC 9051 §6.3.3).
    expect((await raw(socket, 'S', 'EXAMINE INBOX')).toString()).toMatch(/S OK /);
    return socket;
  }

  it('answers byte for byte what the general path answers, and the stored messages', async () => {
    const s = await examined();
    const tagged = (b: Buffer, tag: string) => b.subarray(0, b.lastIndexOf(`\r\n${tag} `) + 2);
    for (const items of ['BODY.PEEK[]', 'UID BODY.PEEK[] RFC822.SIZE', 'RFC822.SIZE INTERNALDATE BODY.PEEK[] ENVELOPE UID']) {
      const body = tagged(await raw(s, 'B1', `FETCH 1:* (${items})`), 'B1');
      const general = tagged(await raw(s, 'G1', `FETCH 1:* (${items.replace('BODY.PEEK[]', 'BODY[]')})`), 'G1');
      expect(body.length).toBeGreaterThan(CORPUS.reduce((n, m) => n + m.length, 0));
      expect(body.equals(general)).toBe(true);
    }
    // The plain form against the stored bytes themselves.
    const plain = tagged(await raw(s, 'P1', 'FETCH 1:* BODY.PEEK[]'), 'P1');
    const expected = Buffer.concat(
      CORPUS.flatMap((m, i) => [Buffer.from(`* ${i + 1} FETCH (BODY[] {${m.length}}\r\n`), m, Buffer.from(')\r\n')]),
    );
    expect(plain.equals(expected)).toBe(true);
    // A partial fetch and BINARY go through the general path: the stored bytes still.
    const partial = tagged(await raw(s, 'Q1', 'FETCH 4 (BODY.PEEK[]<0.100> BINARY.PEEK[])'), 'Q1');
    const m = CORPUS[3] as Buffer;
    expect(partial.includes(Buffer.concat([Buffer.from('BODY[]<0> {100}\r\n'), m.subarray(0, 100)]))).toBe(true);
    s.destroy();
  });

  it('a row whose kept ENVELOPE is missing mid-batch: the general path answers the rest, the same bytes', async () => {
    const s = await examined();
    const tagged = (b: Buffer, tag: string) => b.subarray(0, b.lastIndexOf(`\r\n${tag} `) + 2);
    const before = tagged(await raw(s, 'G0', 'FETCH 1:* (UID BODY[] ENVELOPE)'), 'G0');
    await t.db.pool.query(
      `UPDATE messages SET envelope_imap = NULL, envelope_imap_utf8 = NULL WHERE uid % 3 = 2 AND account_id = (SELECT id FROM accounts WHERE address = $1)`,
      [user],
    );
    const body = tagged(await raw(s, 'B2', 'FETCH 1:* (UID BODY.PEEK[] ENVELOPE)'), 'B2');
    expect(body.equals(before)).toBe(true);
    s.destroy();
  });

  it('a client that stops reading holds no database connection while the server waits for it', async () => {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    await c.cmd(`L LOGIN ${user} joel-password`);
    await c.cmd('S EXAMINE INBOX');
    c.pause();
    c.send('f FETCH 1:* BODY.PEEK[]\r\n');
    await new Promise((r) => setTimeout(r, 1000));
    // The app's background work (indexer, reaper) may hold a connection for a moment: what must not
    // happen is a connection held all along for the paused FETCH, so wait for one free moment.
    const pool = t.db.pool;
    let busy = pool.totalCount - pool.idleCount;
    for (let i = 0; i < 60 && busy > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      busy = pool.totalCount - pool.idleCount;
    }
    expect(busy).toBe(0);
    c.resume();
    const lines = await c.until('f');
    expect(lines.at(-1)).toBe('f OK FETCH completed');
    await c.cmd('z LOGOUT');
  });
});

describe('FETCH BODY.PEEK[] body path when the database connection is lost mid-COPY', () => {
  let t: TestApp;
  let imap: Imap;
  const user = 'cut@ifsc.edu';
  const big = Array.from({ length: 60 }, (_, i) => message(100 + i, eightBit(300_000, 100 + i)));

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' }, { dbProxy: true });
    imap = await startImap(t);
    const { id: accountId } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    await deliverAll(t, accountId, big);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  it('answers NO [UNAVAILABLE] after the responses already sent, the session and the pool recover (RFC 9051 §7.1)', async () => {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    await c.cmd(`L LOGIN ${user} joel-password`);
    await c.cmd('S EXAMINE INBOX');
    c.send('f FETCH 1:* BODY.PEEK[]\r\n');
    // 18 MB in five batches: cut every database connection once the first response has arrived.
    expect(await c.line()).toMatch(/^\* 1 FETCH \(BODY\[\] \{/);
    await t.dbProxy?.cut();
    try {
      const rest = await c.until('f');
      expect(rest.at(-1)).toMatch(/^f NO \[UNAVAILABLE\] /);
      expect(rest.length).toBeLessThan(big.length);
      expect(await c.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
    } finally {
      await t.dbProxy?.restore();
    }
    const again = await c.cmd('g FETCH 1:* BODY.PEEK[]');
    expect(again.at(-1)).toBe('g OK FETCH completed');
    expect(again.slice(0, -1).map((l) => l.slice(0, l.indexOf('}') + 1))).toEqual(
      big.map((m, i) => `* ${i + 1} FETCH (BODY[] {${m.length}}`),
    );
    await c.cmd('z LOGOUT');
  });
});
