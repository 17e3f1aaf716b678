import { describe, expect, it } from 'vitest';
import type { ImapCommand } from './command-types';
import { parseCommand } from './parse-command';

// Wire input → typed command (session, mailbox and simple commands); other parse-*.test.ts files
// cover FETCH, SEARCH, LIST, STORE, SELECT, APPEND, SORT/THREAD.
const accepted: [string, ImapCommand][] = [
  ['a CAPABILITY', { name: 'CAPABILITY' }],
  ['a capability', { name: 'CAPABILITY' }],
  ['a1 NOOP', { name: 'NOOP' }],
  ['z LOGOUT', { name: 'LOGOUT' }],
  ['a STARTTLS', { name: 'STARTTLS' }],
  ['a NAMESPACE', { name: 'NAMESPACE' }],
  ['a IDLE', { name: 'IDLE' }],
  ['a CHECK', { name: 'CHECK' }],
  ['a CLOSE', { name: 'CLOSE' }],
  ['a UNSELECT', { name: 'UNSELECT' }],
  ['a EXPUNGE', { name: 'EXPUNGE' }],
  [
    'a UID EXPUNGE 3:5,9',
    {
      name: 'UID EXPUNGE',
      uids: {
        kind: 'ranges',
        ranges: [
          { start: 3, end: 5 },
          { start: 9, end: 9 },
        ],
      },
    },
  ],
  ['a LOGIN joel secret', { name: 'LOGIN', user: 'joel', password: 'secret' }],
  ['a LOGIN "joel@ifsc.edu" "pa ss\\"w\\\\d"', { name: 'LOGIN', user: 'joel@ifsc.edu', password: 'pa ss"w\\d' }],
  ['a LOGIN {4}\r\njoel {6}\r\nse cr\n', { name: 'LOGIN', user: 'joel', password: 'se cr\n' }],
  ['a LOGIN {4+}\r\njoel {2+}\r\npw', { name: 'LOGIN', user: 'joel', password: 'pw' }],
  ['a LOGIN joel ""', { name: 'LOGIN', user: 'joel', password: '' }],
  ['a LOGIN x] y]', { name: 'LOGIN', user: 'x]', password: 'y]' }],
  ['a AUTHENTICATE PLAIN', { name: 'AUTHENTICATE', mechanism: 'PLAIN' }],
  ['a authenticate plain AGpvZWwAcHc=', { name: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: 'AGpvZWwAcHc=' }],
  ['a AUTHENTICATE PLAIN =', { name: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: '' }],
  ['a ENABLE QRESYNC condstore', { name: 'ENABLE', capabilities: ['QRESYNC', 'CONDSTORE'] }],
  ['a ENABLE UTF8=ACCEPT', { name: 'ENABLE', capabilities: ['UTF8=ACCEPT'] }],
  ['a ID NIL', { name: 'ID', params: null }],
  ['a ID ("Name" "Thunderbird" "version" "115.0" "os" NIL)', { name: 'ID', params: { name: 'Thunderbird', version: '115.0', os: null } }],
  ['a ID ()', { name: 'ID', params: {} }],
  ['a COMPRESS DEFLATE', { name: 'COMPRESS', mechanism: 'DEFLATE' }],
  ['a CREATE Archive/2024', { name: 'CREATE', mailbox: 'Archive/2024', specialUse: [] }],
  ['a CREATE "My Archive" (USE (\\archive))', { name: 'CREATE', mailbox: 'My Archive', specialUse: ['\\Archive'] }],
  ['a CREATE X (USE (\\Sent \\Drafts))', { name: 'CREATE', mailbox: 'X', specialUse: ['\\Sent', '\\Drafts'] }],
  ['a CREATE &ZeVnLIqe-', { name: 'CREATE', mailbox: '日本語', specialUse: [] }],
  ['a DELETE "Old stuff"', { name: 'DELETE', mailbox: 'Old stuff' }],
  ['a DELETE inbox', { name: 'DELETE', mailbox: 'INBOX' }],
  ['a RENAME InBoX Archive', { name: 'RENAME', from: 'INBOX', to: 'Archive' }],
  ['a RENAME {4}\r\nA&-B "Caf&AOk-"', { name: 'RENAME', from: 'A&B', to: 'Café' }],
  ['a SUBSCRIBE Sent', { name: 'SUBSCRIBE', mailbox: 'Sent' }],
  ['a UNSUBSCRIBE Sent', { name: 'UNSUBSCRIBE', mailbox: 'Sent' }],
  [
    'a STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)',
    { name: 'STATUS', mailbox: 'INBOX', items: ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'] },
  ],
  [
    'a STATUS Sent (SIZE DELETED HIGHESTMODSEQ APPENDLIMIT RECENT)',
    { name: 'STATUS', mailbox: 'Sent', items: ['SIZE', 'DELETED', 'HIGHESTMODSEQ', 'APPENDLIMIT', 'RECENT'] },
  ],
  ['a COPY 1:3 Trash', { name: 'COPY', uid: false, set: { kind: 'ranges', ranges: [{ start: 1, end: 3 }] }, mailbox: 'Trash' }],
  [
    'a UID MOVE 4,6 "Deleted Items"',
    {
      name: 'MOVE',
      uid: true,
      set: {
        kind: 'ranges',
        ranges: [
          { start: 4, end: 4 },
          { start: 6, end: 6 },
        ],
      },
      mailbox: 'Deleted Items',
    },
  ],
  ['a UID COPY $ Archive', { name: 'COPY', uid: true, set: { kind: 'saved' }, mailbox: 'Archive' }],
  ['a GETQUOTAROOT INBOX', { name: 'GETQUOTAROOT', mailbox: 'INBOX' }],
  ['a GETQUOTA ""', { name: 'GETQUOTA', root: '' }],
  ['a SETQUOTA "" (STORAGE 512)', { name: 'SETQUOTA', root: '' }],
  ['a NOTIFY NONE', { name: 'NOTIFY' }],
];

// Wire input → the BAD text, and whether the BAD is tagged.
const refused: [string, string, string | undefined][] = [
  ['', 'Missing tag', undefined],
  ['a', 'Missing command', 'a'],
  ['+ NOOP', 'Invalid tag', undefined],
  ['a+b NOOP', 'Invalid tag', undefined],
  ['"a" NOOP', 'Invalid tag', undefined],
  ['a FOO', 'Unknown command FOO', 'a'],
  ['a UID NOOP', 'UID NOOP is not a command', 'a'],
  ['a NOOP now', 'NOOP takes no arguments', 'a'],
  ['a  NOOP', 'Invalid command', 'a'],
  ['a LOGIN joel', 'Missing arguments', 'a'],
  ['a LOGIN joel pw extra', 'Unexpected extra arguments', 'a'],
  ['a LOGIN "joel pw', 'Unterminated quoted string', 'a'],
  ['a LOGIN "jo\\el" pw', 'Invalid escape in quoted string', 'a'],
  ['a LOGIN (joel) pw', 'Invalid user name', 'a'],
  ['a LOGIN {4}\r\nj\0el pw', 'NUL in a literal', 'a'],
  ['a LOGIN ~{4}\r\njoel pw', 'literal8 is only allowed for APPEND data', 'a'],
  ['a AUTHENTICATE', 'Missing arguments', 'a'],
  ['a AUTHENTICATE PLAIN AGpvZWwAcHc', 'Invalid base64 in initial response', 'a'],
  ['a ENABLE', 'Missing arguments', 'a'],
  ['a ID', 'Missing arguments', 'a'],
  ['a ID ("name")', 'Expected a space', 'a'],
  [`a ID ("${'k'.repeat(31)}" "v")`, 'ID parameters too long (RFC 2971 §3.3)', 'a'],
  ['a CREATE', 'Missing arguments', 'a'],
  ['a CREATE X (USE (Archive))', 'Invalid special-use attribute', 'a'],
  ['a CREATE X (FOO (\\Archive))', 'Unknown CREATE parameter FOO', 'a'],
  ['a CREATE A&B', 'Mailbox name is not valid modified UTF-7', 'a'],
  ['a CREATE &AGE-', 'Mailbox name is not valid modified UTF-7', 'a'],
  ['a CREATE Café', 'Mailbox name is not valid modified UTF-7', 'a'],
  ['a DELETE', 'Missing arguments', 'a'],
  ['a RENAME A', 'Missing arguments', 'a'],
  ['a STATUS INBOX', 'Missing arguments', 'a'],
  ['a STATUS INBOX ()', 'Empty list', 'a'],
  ['a STATUS INBOX (MESSAGES FOO)', 'Unknown STATUS item FOO', 'a'],
  ['a STATUS INBOX (MESSAGES', 'Missing ")"', 'a'],
  ['a COPY 0 Trash', 'Invalid sequence set', 'a'],
  ['a COPY 1:2:3 Trash', 'Invalid sequence set', 'a'],
  ['a COPY 1', 'Missing arguments', 'a'],
  ['a UID EXPUNGE', 'Missing arguments', 'a'],
  ['a SETQUOTA "" (STORAGE)', 'Expected a space', 'a'],
];

describe('parseCommand', () => {
  it.each(accepted)('%j', (wire, command) => {
    const result = parseCommand(wire);
    expect(result).toEqual({ ok: true, value: { tag: wire.split(' ')[0], command } });
  });

  it.each(refused)('%j → BAD %j', (wire, text, tag) => {
    const result = parseCommand(wire);
    expect(result).toEqual({ ok: false, ...(tag ? { tag } : {}), text });
  });

  it('keeps UTF-8 mailbox names raw after UTF8=ACCEPT, and does not decode modified UTF-7 then', () => {
    expect(parseCommand('a CREATE Café', { isUtf8: true })).toMatchObject({ ok: true, value: { command: { mailbox: 'Café' } } });
    expect(parseCommand('a CREATE "&AOk-"', { isUtf8: true })).toMatchObject({ ok: true, value: { command: { mailbox: '&AOk-' } } });
    expect(parseCommand('a DELETE "Inbox"', { isUtf8: true })).toMatchObject({ ok: true, value: { command: { mailbox: 'INBOX' } } });
  });

  it('takes a tag with "]" and other ASTRING-CHARs', () => {
    expect(parseCommand('A0001] NOOP')).toEqual({ ok: true, value: { tag: 'A0001]', command: { name: 'NOOP' } } });
    expect(parseCommand('*tag NOOP')).toMatchObject({ ok: false });
  });

  it('never throws, whatever the bytes', () => {
    const samples = ['a FETCH', 'a SEARCH NOT', 'a (((', 'a APPEND x (', 'a SELECT x (QRESYNC (1', '\0\0\0', 'a LIST ( "" x'];
    for (let i = 0; i < 300; i++) {
      const base = samples[i % samples.length] as string;
      const bytes = Buffer.from(base + String.fromCharCode(...Array.from({ length: i % 7 }, (_, j) => (i * 31 + j * 17) % 128)));
      expect(() => parseCommand(bytes)).not.toThrow();
    }
  });
});
