import { describe, expect, it } from 'vitest';
import { chunksLength, dotStuff, dotStuffChunks, isDotStuffFree, multiLineEnd } from './dot-stuff';

/** The byte-by-byte definition (the implementation before dotStuffChunks): the reference. */
function reference(data: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if ((i === 0 || data[i - 1] === 0x0a) && data[i] === 0x2e) out.push(0x2e);
    out.push(data[i]!);
  }
  const endsWithCrlf = data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a;
  if (data.length > 0 && !endsWithCrlf) out.push(0x0d, 0x0a);
  out.push(0x2e, 0x0d, 0x0a);
  return Buffer.from(out);
}

describe('dotStuffChunks', () => {
  it('equals the byte-by-byte definition on random dot/CR/LF-heavy input', () => {
    let x = 12345;
    const rnd = () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return (x >>> 16) % 6;
    };
    const alphabet = [0x2e, 0x2e, 0x0d, 0x0a, 0x61, 0xff];
    for (let n = 0; n < 2000; n++) {
      const data = Buffer.from(Array.from({ length: n % 40 }, () => alphabet[rnd()]!));
      const chunks = dotStuffChunks(data);
      expect(Buffer.concat(chunks).equals(reference(data)), JSON.stringify(data.toString('latin1'))).toBe(true);
      expect(chunksLength(chunks)).toBe(reference(data).length);
      expect(dotStuff(data).equals(reference(data))).toBe(true);
    }
  });

  it('does not copy a message without leading dots: one view of it plus the terminator', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const chunks = dotStuffChunks(raw);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.buffer).toBe(raw.buffer);
    expect(chunks[0]!.byteOffset).toBe(raw.byteOffset);
    expect(chunks[1]!.toString()).toBe('.\r\n');
  });

  it('stuffs every line of a 100 KiB message of dots in one copy, not a chunk per line', () => {
    const raw = Buffer.from('.x\r\n'.repeat(25_600));
    const chunks = dotStuffChunks(raw);
    expect(chunks.length).toBeLessThanOrEqual(3);
    const out = Buffer.concat(chunks);
    expect(out.length).toBe(raw.length + 25_600 + 3);
    expect(out.equals(reference(raw))).toBe(true);
  });

  it('views up to the limit, one copy past it: both equal the definition', () => {
    for (const n of [255, 256, 257, 1000]) {
      const raw = Buffer.from(`.a\r\nb\n${'..c\r\n'.repeat(n - 1)}end`);
      const out = Buffer.concat(dotStuffChunks(raw));
      expect(out.equals(reference(raw)), String(n)).toBe(true);
    }
  });
});

describe('isDotStuffFree / multiLineEnd (a response framed without stuffing)', () => {
  const cases = ['', 'a\r\nb\r\n', '.a\r\n', 'a\r\n.b\r\n', 'a\r\n..\r\n', 'no end', 'a\n.b', 'x.y\r\n'];
  it('frame + data + end equals dotStuff exactly when no line starts with "."', () => {
    for (const c of cases) {
      const data = Buffer.from(c);
      const free = isDotStuffFree(data);
      expect(free, JSON.stringify(c)).toBe(!/(^|\n)\./.test(c));
      if (free) expect(Buffer.concat([data, multiLineEnd(data)]).equals(dotStuff(data)), JSON.stringify(c)).toBe(true);
    }
  });
});
