import { describe, expect, it } from 'vitest';
import { decodedSize, decodeStream } from './fetch-binary.js';
import { formatSection } from './fetch-message.js';
import { formatSet } from './uid-set.js';

async function* chunks(text: string, size: number): AsyncIterable<Buffer> {
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(iter: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of iter) out.push(c);
  return Buffer.concat(out).toString('latin1');
}

describe('fetch helpers', () => {
  it('echoes sections as RFC 9051 §7.5.2 spells them', () => {
    expect(formatSection({ part: [] })).toBe('');
    expect(formatSection({ part: [1, 2] })).toBe('1.2');
    expect(formatSection({ part: [3], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] })).toBe('3.HEADER.FIELDS (DATE FROM)');
    expect(formatSection({ part: [], text: 'TEXT' })).toBe('TEXT');
  });

  it('decodes base64 and quoted-printable across any chunk boundary', async () => {
    const plain = 'Olá \u0000 mundo, isto é um teste de BINARY.\r\n'.repeat(3);
    const b64 = Buffer.from(plain, 'latin1')
      .toString('base64')
      .replace(/(.{20})/g, '$1\r\n');
    const qp = 'Ol=E1 =00 mundo, isto =\r\n=E9 um teste';
    for (const size of [1, 2, 3, 5, 64]) {
      expect(await collect(decodeStream(chunks(b64, size), 'base64', 0, 10_000))).toBe(plain);
      expect(await decodedSize(chunks(b64, size), 'base64')).toBe(plain.length);
      expect(await collect(decodeStream(chunks(qp, size), 'quoted-printable', 0, 10_000))).toBe('Olá \u0000 mundo, isto é um teste');
      expect(await collect(decodeStream(chunks(b64, size), 'base64', 4, 9))).toBe(plain.slice(4, 9));
    }
  });

  it('formats sets keeping the given order (COPYUID pairs by position)', () => {
    expect(formatSet([1, 2, 3, 7, 9, 10])).toBe('1:3,7,9:10');
    expect(formatSet([5])).toBe('5');
    expect(formatSet([])).toBe('');
  });
});
