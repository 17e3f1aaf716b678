import { describe, expect, it } from 'vitest';
import { feedDataStream } from './smtp-data-feed.js';

type Stream = import('node:stream').Writable & {
  oncommand(cmd: Buffer, cb: () => void): void;
  startDataMode(max?: number): import('node:stream').PassThrough & { byteLength: number };
  continue(): void;
  _feedDataStream: typeof feedDataStream;
};

/**
 * Runs one DATA transaction through smtp-server's own SMTPStream (upstream's seek, or ours), the
 * input cut into the given chunks: what the message stream carries, its byte count, and the
 * commands the parser sees after the end of data.
 */
async function transact(chunks: Buffer[], ours: boolean): Promise<{ message: string; bytes: number; after: string[] }> {
  const { SMTPStream } = (await import('smtp-server/lib/smtp-stream.js' as string)) as { SMTPStream: new () => Stream };
  const parser = new SMTPStream();
  if (ours) parser._feedDataStream = feedDataStream;
  const after: string[] = [];
  parser.oncommand = (cmd, cb) => {
    after.push(cmd.toString('latin1'));
    cb();
  };
  const data = parser.startDataMode();
  const parts: Buffer[] = [];
  data.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise<void>((resolve) => data.on('end', resolve));
  for (const c of chunks) parser.write(c);
  await ended;
  parser.continue();
  await new Promise((r) => setTimeout(r, 1));
  return { message: Buffer.concat(parts).toString('latin1'), bytes: data.byteLength, after };
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Lines that stress the seek: stuffed dots, lone dots, dots after bare LF or CR, terminators inside.
const LINES = ['a line', '..stuffed', '...', '.', '..', '', ' .', '.x', 'x.', '\n.', '\r.', '.\r\n.', 'tail\n.\r\n'];

function transcript(rnd: () => number): Buffer {
  let text = '';
  const n = 1 + Math.floor(rnd() * 30);
  for (let i = 0; i < n; i++) text += `${LINES[Math.floor(rnd() * LINES.length)]}\r\n`;
  return Buffer.from(`${text}.\r\nQUIT\r\n`, 'latin1');
}

function cut(buf: Buffer, rnd: () => number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const len = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 4 : 64));
    out.push(buf.subarray(at, at + len));
    at += len;
  }
  return out;
}

describe('feedDataStream (the DATA seek with indexOf) against smtp-server’s own', () => {
  it.each([
    ['the terminator as the first line', ['.\r\nQUIT\r\n']],
    ['a stuffed first line in its own chunk', ['..', '\r\n.\r\nQUIT\r\n']],
    ['a terminator split over chunks', ['body\r', '\n', '.', '\r', '\nQUIT\r\n']],
    ['stuffed dots mid-message', ['x\r\n..y\r\n...\r\n.\r\nQUIT\r\n']],
    ['a bare-LF dot line is content', ['x\n.\r\ny\r\n.\r\nQUIT\r\n']],
  ])('%s', async (_name, chunks) => {
    const input = chunks.map((c) => Buffer.from(c, 'latin1'));
    expect(await transact(input, true)).toEqual(await transact(input, false));
  });

  it('agrees on 400 generated transcripts cut at random', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = random(seed);
      const chunks = cut(transcript(rnd), rnd);
      const [ours, upstream] = [await transact(chunks, true), await transact(chunks, false)];
      expect(ours, `seed ${seed}`).toEqual(upstream);
    }
  });
});
