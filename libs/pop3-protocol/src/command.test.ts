import { describe, expect, it } from 'vitest';
import { parseCommand } from './command';

// Wire input → typed command, or the error text the session sends after -ERR.
const accepted: [string, unknown][] = [
  ['USER joel@ifsc.edu', { name: 'USER', user: 'joel@ifsc.edu' }],
  ['user joel', { name: 'USER', user: 'joel' }],
  ['PASS secret', { name: 'PASS', password: 'secret' }],
  ['PASS with spaces  inside', { name: 'PASS', password: 'with spaces  inside' }],
  ['STAT', { name: 'STAT' }],
  ['stat', { name: 'STAT' }],
  ['LIST', { name: 'LIST' }],
  ['LIST 2', { name: 'LIST', msg: 2 }],
  ['RETR 1', { name: 'RETR', msg: 1 }],
  ['DELE 10', { name: 'DELE', msg: 10 }],
  ['NOOP', { name: 'NOOP' }],
  ['RSET', { name: 'RSET' }],
  ['QUIT', { name: 'QUIT' }],
  ['TOP 1 0', { name: 'TOP', msg: 1, lines: 0 }],
  ['top 3 10', { name: 'TOP', msg: 3, lines: 10 }],
  ['UIDL', { name: 'UIDL' }],
  ['UIDL 4', { name: 'UIDL', msg: 4 }],
  ['CAPA', { name: 'CAPA' }],
  ['STLS', { name: 'STLS' }],
  ['AUTH', { name: 'AUTH' }],
  ['AUTH PLAIN', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: undefined }],
  ['auth plain AGpvZWwAcHc=', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGpvZWwAcHc=' }],
  ['AUTH PLAIN =', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: '=' }],
];

const refused: [string, string][] = [
  ['', 'Unknown command'],
  ['XYZZY', 'Unknown command'],
  ['APOP joel 0123', 'Unknown command'],
  ['LAST', 'Unknown command'],
  ['STAT 1', 'STAT takes no arguments'],
  ['QUIT now', 'QUIT takes no arguments'],
  ['USER', 'USER takes one argument'],
  ['USER a b', 'USER takes one argument'],
  ['PASS', 'Missing password'],
  ['RETR', 'Invalid message number'],
  ['RETR 0', 'Invalid message number'],
  ['RETR -1', 'Invalid message number'],
  ['RETR x', 'Invalid message number'],
  ['RETR 1 2', 'Invalid message number'],
  ['RETR 9999999999', 'Invalid message number'],
  ['DELE', 'Invalid message number'],
  ['LIST 0', 'Invalid message number'],
  ['UIDL a', 'Invalid message number'],
  ['TOP 1', 'Usage: TOP msg n'],
  ['TOP 1 -1', 'Usage: TOP msg n'],
  ['LIST  1', 'Malformed arguments'],
  ['AUTH PL@IN', 'Invalid AUTH arguments'],
  ['NOOP\0', 'Invalid characters in command'],
  [`USER ${'a'.repeat(250)}`, 'Line too long'],
];

describe('parseCommand', () => {
  it.each(accepted)('%j', (line, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, command });
  });
  it.each(refused)('%j → -ERR %s', (line, error) => {
    expect(parseCommand(line)).toEqual({ ok: false, error });
  });
  it('accepts exactly 255 octets with CRLF and refuses 256 (RFC 2449 §4)', () => {
    expect(parseCommand(`USER ${'a'.repeat(248)}`).ok).toBe(true);
    expect(parseCommand(`USER ${'a'.repeat(249)}`)).toEqual({ ok: false, error: 'Line too long' });
  });
});
