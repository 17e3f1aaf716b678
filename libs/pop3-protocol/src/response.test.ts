import { describe, expect, it } from 'vitest';
import { decodeSaslPlain } from './sasl';
import { dotStuff, topOf } from './dot-stuff';
import { continuationLine, errLine, multiLine, okLine } from './response';

describe('responses', () => {
  it.each([
    [okLine(), '+OK\r\n'],
    [okLine('2 320'), '+OK 2 320\r\n'],
    [errLine('no such message'), '-ERR no such message\r\n'],
    [errLine('invalid credentials', 'AUTH'), '-ERR [AUTH] invalid credentials\r\n'],
    [errLine('try later', 'SYS/TEMP'), '-ERR [SYS/TEMP] try later\r\n'],
    [errLine('locked', 'IN-USE'), '-ERR [IN-USE] locked\r\n'],
    [errLine('gone', 'SYS/PERM'), '-ERR [SYS/PERM] gone\r\n'],
    [continuationLine(), '+ \r\n'],
    [multiLine('2 messages', ['1 120', '2 200']), '+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n'],
    [multiLine('', ['.hidden']), '+OK\r\n..hidden\r\n.\r\n'],
    [multiLine('none', []), '+OK none\r\n.\r\n'],
  ])('%j', (got, wire) => expect(got).toBe(wire));
});

describe('dotStuff (RFC 1939 §3)', () => {
  it.each([
    ['a\r\nb\r\n', 'a\r\nb\r\n.\r\n'],
    ['.\r\n', '..\r\n.\r\n'],
    ['a\r\n.b\r\n..c\r\n', 'a\r\n..b\r\n...c\r\n.\r\n'],
    ['.start', '..start\r\n.\r\n'],
    ['no final newline', 'no final newline\r\n.\r\n'],
    ['a.b\r\n', 'a.b\r\n.\r\n'],
    ['', '.\r\n'],
    ['bare\n.lf\n', 'bare\n..lf\n\r\n.\r\n'],
  ])('%j', (input, wire) => expect(dotStuff(Buffer.from(input)).toString()).toBe(wire));

  it('keeps every other byte exactly (binary, 8-bit)', () => {
    const raw = Buffer.from([0xff, 0x00, 0x0d, 0x0a, 0x2e, 0x80, 0x0d, 0x0a]);
    expect([...dotStuff(raw)]).toEqual([0xff, 0x00, 0x0d, 0x0a, 0x2e, 0x2e, 0x80, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a]);
  });
});

describe('topOf (RFC 1939 §7)', () => {
  const msg = 'Subject: x\r\nFrom: a@b\r\n\r\nline1\r\nline2\r\nline3\r\n';
  it.each([
    [0, 'Subject: x\r\nFrom: a@b\r\n\r\n'],
    [2, 'Subject: x\r\nFrom: a@b\r\n\r\nline1\r\nline2\r\n'],
    [99, msg],
  ])('%i body lines', (n, out) => expect(topOf(Buffer.from(msg), n).toString()).toBe(out));
  it('a message without a body separator is all header', () => {
    expect(topOf(Buffer.from('Subject: only\r\n'), 0).toString()).toBe('Subject: only\r\n');
  });
  it('LF-only header ends too', () => {
    expect(topOf(Buffer.from('A: 1\n\nbody\n'), 0).toString()).toBe('A: 1\n\n');
  });
});

describe('decodeSaslPlain (RFC 4616)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it.each([
    [b64('\0joel@ifsc.edu\0pw'), { user: 'joel@ifsc.edu', password: 'pw' }],
    [b64('joel@ifsc.edu\0joel@ifsc.edu\0p w'), { user: 'joel@ifsc.edu', password: 'p w' }],
    [b64('admin\0joel\0pw'), undefined],
    [b64('\0joel\0'), undefined],
    [b64('joel\0pw'), undefined],
    ['not base64!', undefined],
    ['=', undefined],
    ['abc', undefined],
  ])('%j', (input, out) => expect(decodeSaslPlain(input)).toEqual(out));
});
