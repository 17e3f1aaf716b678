import { describe, expect, it } from 'vitest';
import type { FetchItem, ImapCommand, SequenceSet } from './command-types';
import { parseCommand } from './parse-command';

const all: SequenceSet = { kind: 'ranges', ranges: [{ start: 1, end: '*' }] };
const one: SequenceSet = { kind: 'ranges', ranges: [{ start: 1, end: 1 }] };

function fetch(items: FetchItem[], extra: Partial<Extract<ImapCommand, { name: 'FETCH' }>> = {}): ImapCommand {
  return { name: 'FETCH', uid: false, set: one, items, vanished: false, ...extra };
}

// RFC 9051 §6.4.5 FETCH, RFC 3516 BINARY, RFC 7162 modifiers: wire → typed command.
const accepted: [string, ImapCommand][] = [
  [
    'a FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)',
    fetch(
      [
        { type: 'FLAGS' },
        {
          type: 'BODY[]',
          peek: true,
          section: { part: [], text: 'HEADER.FIELDS', fields: ['FROM', 'TO'] },
          partial: { offset: 0, length: 100 },
        },
      ],
      { set: all },
    ),
  ],
  ['a FETCH 1 ALL', fetch([{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }])],
  ['a FETCH 1 fast', fetch([{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }])],
  ['a FETCH 1 FULL', fetch([{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }, { type: 'BODY' }])],
  ['a FETCH 1 FLAGS', fetch([{ type: 'FLAGS' }])],
  ['a FETCH 1 (UID)', fetch([{ type: 'UID' }])],
  [
    'a FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY MODSEQ RFC822 RFC822.HEADER RFC822.TEXT)',
    fetch(
      [
        'UID',
        'FLAGS',
        'INTERNALDATE',
        'RFC822.SIZE',
        'ENVELOPE',
        'BODYSTRUCTURE',
        'BODY',
        'MODSEQ',
        'RFC822',
        'RFC822.HEADER',
        'RFC822.TEXT',
      ].map((type) => ({ type }) as FetchItem),
    ),
  ],
  ['a FETCH 1 BODY[]', fetch([{ type: 'BODY[]', peek: false, section: { part: [] } }])],
  ['a FETCH 1 body.peek[]<10.20>', fetch([{ type: 'BODY[]', peek: true, section: { part: [] }, partial: { offset: 10, length: 20 } }])],
  ['a FETCH 1 BODY[HEADER]', fetch([{ type: 'BODY[]', peek: false, section: { part: [], text: 'HEADER' } }])],
  ['a FETCH 1 BODY[TEXT]', fetch([{ type: 'BODY[]', peek: false, section: { part: [], text: 'TEXT' } }])],
  ['a FETCH 1 BODY[1]', fetch([{ type: 'BODY[]', peek: false, section: { part: [1] } }])],
  ['a FETCH 1 BODY[2.1.3]', fetch([{ type: 'BODY[]', peek: false, section: { part: [2, 1, 3] } }])],
  ['a FETCH 1 BODY[1.2.MIME]', fetch([{ type: 'BODY[]', peek: false, section: { part: [1, 2], text: 'MIME' } }])],
  ['a FETCH 1 BODY[3.HEADER]', fetch([{ type: 'BODY[]', peek: false, section: { part: [3], text: 'HEADER' } }])],
  ['a FETCH 1 BODY[3.text]', fetch([{ type: 'BODY[]', peek: false, section: { part: [3], text: 'TEXT' } }])],
  [
    'a FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Received "X-Spam" {4}\r\nDate)]',
    fetch([{ type: 'BODY[]', peek: true, section: { part: [], text: 'HEADER.FIELDS.NOT', fields: ['RECEIVED', 'X-SPAM', 'DATE'] } }]),
  ],
  ['a FETCH 1 BINARY[]', fetch([{ type: 'BINARY[]', peek: false, part: [] }])],
  ['a FETCH 1 BINARY.PEEK[1.2]<0.1024>', fetch([{ type: 'BINARY[]', peek: true, part: [1, 2], partial: { offset: 0, length: 1024 } }])],
  ['a FETCH 1 BINARY.SIZE[2]', fetch([{ type: 'BINARY.SIZE', part: [2] }])],
  ['a UID FETCH 1:* (FLAGS ENVELOPE)', fetch([{ type: 'FLAGS' }, { type: 'ENVELOPE' }], { uid: true, set: all })],
  [
    'a FETCH 2:4,7 FLAGS (CHANGEDSINCE 12345)',
    fetch([{ type: 'FLAGS' }], {
      set: {
        kind: 'ranges',
        ranges: [
          { start: 2, end: 4 },
          { start: 7, end: 7 },
        ],
      },
      changedSince: 12345n,
    }),
  ],
  [
    'a UID FETCH 1:* FLAGS (CHANGEDSINCE 9223372036854775807 VANISHED)',
    fetch([{ type: 'FLAGS' }], { uid: true, set: all, changedSince: 9223372036854775807n, vanished: true }),
  ],
  [
    'a FETCH 1 ALL (CHANGEDSINCE 0)',
    fetch([{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }], { changedSince: 0n }),
  ],
  ['a FETCH $ FLAGS', fetch([{ type: 'FLAGS' }], { set: { kind: 'saved' } })],
  ['a FETCH *:3 UID', fetch([{ type: 'UID' }], { set: { kind: 'ranges', ranges: [{ start: '*', end: 3 }] } })],
];

const refused: [string, string][] = [
  ['a FETCH', 'Missing arguments'],
  ['a FETCH 1', 'Missing arguments'],
  ['a FETCH 0 FLAGS', 'Invalid sequence set'],
  ['a FETCH 1:0 FLAGS', 'Invalid sequence set'],
  ['a FETCH 1,,2 FLAGS', 'Invalid sequence set'],
  ['a FETCH 4294967296 FLAGS', 'Invalid sequence set'],
  ['a FETCH x FLAGS', 'Invalid sequence set'],
  ['a FETCH 1 FOO', 'Unknown fetch item FOO'],
  ['a FETCH 1 (FLAGS', 'Missing ")"'],
  ['a FETCH 1 (FLAGS))', 'Unexpected extra arguments'],
  ['a FETCH 1 ()', 'Empty list'],
  ['a FETCH 1 (ALL)', 'ALL must be used alone, not in a list'],
  ['a FETCH 1 ALLX', 'Unknown fetch item ALLX'],
  ['a FETCH 1 BODY[', 'Missing section'],
  ['a FETCH 1 BODY[HEADER', 'Expected "]"'],
  ['a FETCH 1 BODY[MIME]', 'Invalid section MIME'],
  ['a FETCH 1 BODY[0]', 'Invalid section part'],
  ['a FETCH 1 BODY[1.]', 'Invalid section'],
  ['a FETCH 1 BODY[1HEADER]', 'Invalid section'],
  ['a FETCH 1 BODY[HEADER.FIELDS]', 'Expected a space'],
  ['a FETCH 1 BODY[HEADER.FIELDS ()]', 'Empty list'],
  ['a FETCH 1 BODY[]<5>', 'Invalid partial'],
  ['a FETCH 1 BODY[]<5.0>', 'Invalid partial length'],
  ['a FETCH 1 BINARY[HEADER]', 'Invalid section part'],
  ['a FETCH 1 RFC822.SIZE[]', 'Invalid fetch item RFC822.SIZE'],
  ['a FETCH 1 FLAGS (VANISHED)', 'VANISHED requires UID FETCH and CHANGEDSINCE'],
  ['a UID FETCH 1 FLAGS (VANISHED)', 'VANISHED requires UID FETCH and CHANGEDSINCE'],
  ['a FETCH 1 FLAGS (CHANGEDSINCE x)', 'Invalid mod-sequence'],
  ['a FETCH 1 FLAGS (CHANGEDSINCE 9223372036854775808)', 'Invalid mod-sequence'],
  ['a FETCH 1 FLAGS (PARTIAL 1:5)', 'Unknown FETCH modifier PARTIAL'],
];

describe('parseCommand FETCH', () => {
  it.each(accepted)('%j', (wire, command) => {
    expect(parseCommand(wire)).toEqual({ ok: true, value: { tag: 'a', command } });
  });

  it.each(refused)('%j → BAD %j', (wire, text) => {
    expect(parseCommand(wire)).toEqual({ ok: false, tag: 'a', text });
  });
});
