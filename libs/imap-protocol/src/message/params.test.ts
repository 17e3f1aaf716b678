import { describe, expect, test } from 'vitest';
import { decodeParameter, parseParameterized } from './params';

describe('parseParameterized (RFC 2045 §5.1, RFC 2231)', () => {
  test.each([
    ['text/plain', 'text/plain', {}],
    ['TEXT/Plain; CharSet="UTF-8"', 'text/plain', { charset: 'UTF-8' }],
    ['text/plain; charset=us-ascii (Plain text)', 'text/plain', { charset: 'us-ascii' }],
    ['multipart/mixed; boundary="a;b=c"; x=y', 'multipart/mixed', { boundary: 'a;b=c', x: 'y' }],
    ['attachment; filename="a \\"quoted\\" name.txt"', 'attachment', { filename: 'a "quoted" name.txt' }],
    ['application/x; name*0="long "; name*1="name.txt"', 'application/x', { name: 'long name.txt' }],
    ['application/x; name*1="b"; name*0="a"', 'application/x', { name: 'ab' }],
    ["attachment; filename*=UTF-8''%E2%82%AC%20rates.txt", 'attachment', { 'filename*': "UTF-8''%E2%82%AC%20rates.txt" }],
    [
      'application/x; title*0*=us-ascii\'en\'This%20is; title*1=" even more "',
      'application/x',
      { 'title*': "us-ascii'en'This%20is%20even%20more%20" },
    ],
    ['application/x; name*0="a"; name*2="c"', 'application/x', { name: 'a' }],
    ['text/plain; ; =bad; good=1; "q"=2', 'text/plain', { good: '1' }],
    ['', '', {}],
    ['text/plain; constructor=1; __proto__=2; __proto__*0=x; toString=3', 'text/plain', { constructor: '1', tostring: '3' }],
  ] as [string, string, Record<string, string>][])('%s', (header, value, params) => {
    expect(parseParameterized(header)).toEqual({ value, params });
  });
});

describe('decodeParameter', () => {
  test('decodes the RFC 2231 form from its charset, else the plain value', () => {
    expect(decodeParameter({ 'filename*': "UTF-8''%E2%82%AC%20rates.txt" }, 'filename')).toBe('€ rates.txt');
    expect(decodeParameter({ 'filename*': "iso-8859-1'pt'rel%E1torio.bin" }, 'filename')).toBe('relátorio.bin');
    expect(decodeParameter({ filename: 'plain.txt' }, 'filename')).toBe('plain.txt');
    expect(decodeParameter({ 'filename*': "x-unknown''%41%42" }, 'filename')).toBe('AB');
    expect(decodeParameter({}, 'filename')).toBeUndefined();
  });
});

describe('hostile parameter lists stay linear', () => {
  test.each([
    ['many', `x/y${'; a=b'.repeat(40_000)}`],
    ['continuations', `x/y${Array.from({ length: 40_000 }, (_, i) => `; n*${i % 1000}*=%41`).join('')}`],
    ['open quote', `x/y; a="${'x;'.repeat(100_000)}`],
    ['comments', `x/y; a=b ${'('.repeat(100_000)}`],
  ])('%s', (_label, header) => {
    const start = Date.now();
    parseParameterized(header);
    expect(Date.now() - start).toBeLessThan(5000); // quadratic would take minutes
  });
});
