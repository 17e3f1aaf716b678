import { describe, expect, test } from 'vitest';
import type { EnvelopeAddress } from '../message-types';
import { MISSING_HOST, parseAddressList } from './address';

const a = (name: string | null, mailbox: string | null, host: string | null, adl: string | null = null): EnvelopeAddress => ({
  name,
  adl,
  mailbox,
  host,
});
const groupEnd = a(null, null, null);

describe('parseAddressList (RFC 5322 §3.4 → RFC 9051 envelope addresses)', () => {
  test.each([
    ['joe@example.com', [a(null, 'joe', 'example.com')]],
    ['Joe Q. Public <john.q.public@example.com>', [a('Joe Q. Public', 'john.q.public', 'example.com')]],
    ['"Doe, Jane" <jane@x.test>, bob@y.test', [a('Doe, Jane', 'jane', 'x.test'), a(null, 'bob', 'y.test')]],
    ['"Giant; \\"Big\\" Box" <sysservices@example.net>', [a('Giant; "Big" Box', 'sysservices', 'example.net')]],
    ['jdoe@example.org (John Doe)', [a('John Doe', 'jdoe', 'example.org')]],
    ['Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>', [a('Pete', 'pete', 'silly.test')]],
    ['=?utf-8?q?Jos=C3=A9?= <jose@x.test>', [a('=?utf-8?q?Jos=C3=A9?=', 'jose', 'x.test')]],
    [
      'A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;',
      [a(null, 'A Group', null), a('Ed Jones', 'c', 'a.test'), a(null, 'joe', 'where.test'), a('John', 'jdoe', 'one.test'), groupEnd],
    ],
    ['undisclosed-recipients:;', [a(null, 'undisclosed-recipients', null), groupEnd]],
    ['team: a@b.test', [a(null, 'team', null), a(null, 'a', 'b.test'), groupEnd]],
    ['<@relay.test,@other.test:user@host.test>', [a(null, 'user', 'host.test', '@relay.test,@other.test')]],
    ['"john doe"@example.com', [a(null, 'john doe', 'example.com')]],
    ['user@[192.0.2.1]', [a(null, 'user', '[192.0.2.1]')]],
    ['localonly', [a(null, 'localonly', MISSING_HOST)]],
    ['José <josé@exemplo.br>', [a('José', 'josé', 'exemplo.br')]],
    ['a@b.test,,  , c@d.test', [a(null, 'a', 'b.test'), a(null, 'c', 'd.test')]],
    ['Broken <no-close@x.test', [a('Broken', 'no-close', 'x.test')]],
  ] as [string, EnvelopeAddress[]][])('%s', (input, expected) => {
    expect(parseAddressList(input)).toEqual(expected);
  });

  test.each(['', '   ', ',', '()', '<>'])('%j holds no address: NIL', (input) => {
    expect(parseAddressList(input)).toBeNull();
  });

  test('hostile input: a stray ")" or unbalanced quotes end, never loop', () => {
    expect(parseAddressList(')))a@b')).not.toBeNull();
    // The quoted string runs to the end: one local part, no host.
    expect(parseAddressList('"unterminated <a@b>')).toEqual([a(null, 'unterminated <a@b>', MISSING_HOST)]);
    expect(parseAddressList('(((((')).toBeNull();
  });
});

describe('hostile address headers stay linear', () => {
  test.each([
    ['a@b', ':@'.repeat(80_000)],
    ['<', '<'.repeat(200_000)],
    ['"', `"${'x'.repeat(200_000)}`],
    ['(', '('.repeat(200_000)],
    [',', 'a@b,'.repeat(50_000)],
  ])('%s…', (_label, input) => {
    const start = Date.now();
    parseAddressList(input);
    expect(Date.now() - start).toBeLessThan(5000); // quadratic would take minutes
  });
});
