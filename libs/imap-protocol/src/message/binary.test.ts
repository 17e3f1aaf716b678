import { describe, expect, test } from 'vitest';
import { binarySize, decodeBinary, decodeQuotedPrintable } from './binary';

const qp = (text: string) => decodeQuotedPrintable(Buffer.from(text, 'latin1')).toString('latin1');

describe('decodeQuotedPrintable (RFC 2045 §6.7)', () => {
  test.each([
    ['plain', 'plain'],
    ['a=3Db', 'a=b'],
    ['caf=C3=A9', 'caf\xc3\xa9'],
    ['lower =c3=a9', 'lower \xc3\xa9'],
    ['soft=\r\nbreak', 'softbreak'],
    ['soft=\nbreak', 'softbreak'],
    ['soft=  \r\nbreak', 'softbreak'],
    ['trailing   \r\nspace\t\r\n', 'trailing\r\nspace\r\n'],
    ['inner  space', 'inner  space'],
    ['bad=ZZ and =4', 'bad=ZZ and =4'],
    ['ends=', 'ends'],
  ])('%j → %j', (input, output) => {
    expect(qp(input)).toBe(output);
  });
});

describe('decodeBinary / binarySize (RFC 3516)', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 13, 10, 255]);
  const b64 = Buffer.from(`${bytes.toString('base64')}\r\n`);

  test('base64 is decoded, and its size counted without decoding', () => {
    expect(decodeBinary(b64, 'BASE64')).toEqual({ ok: true, data: bytes });
    expect(binarySize(b64, 'base64')).toEqual({ ok: true, size: bytes.length });
    const wrapped = Buffer.from('AAEC\r\n+g0K\r\n/w==\r\n');
    expect(decodeBinary(wrapped, 'base64')).toEqual({ ok: true, data: bytes });
    expect(binarySize(wrapped, 'base64')).toEqual({ ok: true, size: 7 });
  });

  test('base64 size equals the decoded length for every padding', () => {
    for (let n = 0; n < 40; n++) {
      const data = Buffer.alloc(n, 0xab);
      const encoded = Buffer.from(data.toString('base64').replace(/(.{8})/g, '$1\r\n'));
      expect(binarySize(encoded, 'base64')).toEqual({ ok: true, size: n });
    }
  });

  test('identity encodings pass through; quoted-printable is decoded', () => {
    expect(decodeBinary(bytes, '8bit')).toEqual({ ok: true, data: bytes });
    expect(decodeBinary(bytes, 'binary')).toEqual({ ok: true, data: bytes });
    expect(decodeBinary(Buffer.from('a=3Db'), 'quoted-printable')).toEqual({ ok: true, data: Buffer.from('a=b') });
    expect(binarySize(Buffer.from('a=3Db'), 'Quoted-Printable')).toEqual({ ok: true, size: 3 });
  });

  test('an unknown transfer encoding is UNKNOWN-CTE', () => {
    expect(decodeBinary(bytes, 'x-uuencode')).toEqual({ ok: false, code: 'UNKNOWN-CTE' });
    expect(binarySize(bytes, 'x-uuencode')).toEqual({ ok: false, code: 'UNKNOWN-CTE' });
  });
});
