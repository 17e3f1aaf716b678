import { describe, expect, it } from 'vitest';
import type { Rule } from './rule-types';
import { exportSieve } from './sieve-export';
import { importSieve } from './sieve-import';

const rules: Rule[] = [
  {
    name: 'Newsletters',
    enabled: true,
    match: 'any',
    conditions: [{ field: 'from', op: 'contains', value: 'news@' }],
    actions: [{ kind: 'move', folder: 'News' }, { kind: 'markRead' }, { kind: 'stop' }],
  },
  {
    name: 'Boss "urgent"',
    enabled: true,
    match: 'all',
    conditions: [
      { field: 'toCc', op: 'is', value: 'me@example.com' },
      { field: 'subject', op: 'matches', value: '*urgent\\*?' },
      { field: 'header', name: 'X-Priority', op: 'is', value: '1' },
      { field: 'size', op: 'over', value: 102400 },
      { field: 'size', op: 'under', value: 5 * 1024 * 1024 },
      { field: 'hasAttachment' },
    ],
    actions: [{ kind: 'star' }, { kind: 'label', label: '$label_work' }, { kind: 'forward', address: 'me@elsewhere.example' }],
  },
  {
    name: 'Old rule',
    enabled: false,
    match: 'all',
    conditions: [{ field: 'from', op: 'is', value: 'spam@x.example' }],
    actions: [{ kind: 'delete' }],
  },
  { name: 'Everything', enabled: true, match: 'all', conditions: [], actions: [{ kind: 'label', label: 'seen-by-filter' }] },
  {
    name: 'Back\\slash',
    enabled: true,
    match: 'all',
    conditions: [{ field: 'subject', op: 'contains', value: 'a "quoted" \\ thing' }],
    actions: [{ kind: 'move', folder: 'Pasta/Sub pasta' }],
  },
];

describe('Sieve round trip', () => {
  it.each(rules.map((r) => [r.name, r] as const))('%s: export then import gives the same filter', (_n, rule) => {
    expect(importSieve(exportSieve([rule])).rules).toEqual([rule]);
  });

  it('the whole set, with the vacation responder, comes back the same', () => {
    const vacation = { enabled: true, days: 3, subject: 'Away', message: 'I am away.\nBack on Monday.', startsAt: null, endsAt: null };
    const script = exportSieve(rules, vacation);
    expect(script).toMatch(/^require \["fileinto", "imap4flags", "copy", "mime", "vacation"\];/);
    const back = importSieve(script);
    expect(back.rules).toEqual(rules);
    expect(back.vacation).toEqual({ enabled: true, days: 3, subject: 'Away', message: 'I am away.\nBack on Monday.' });
  });

  it('an empty set exports an empty script that imports to nothing', () => {
    expect(importSieve(exportSieve([]))).toEqual({ rules: [] });
  });
});

describe('Sieve import (Pigeonhole test-suite style, supported extensions only)', () => {
  it('reads a hand-written script into the expected filters', () => {
    const script = [
      'require ["fileinto", "imap4flags", "copy", "vacation"];',
      '/* Sort list traffic */',
      'if header :contains "List-Id" "<dev.lists.example.org>" {',
      '  fileinto "Lists";',
      '  stop;',
      '}',
      '# rule: From the boss',
      'if anyof (address :is "from" ["boss@example.org", "ceo@example.org"], header :matches "subject" "URGENT*") {',
      '  addflag ["\\\\Flagged", "\\\\Seen"];',
      '  redirect :copy "me@mobile.example";',
      '}',
      'if size :over 10M { discard; }',
      'if address :all :contains "to" "team@" { addflag "$label_team"; keep; }',
      'redirect "archive@backup.example";',
      'vacation :days 14 :subject "Out of office" text:',
      'I am away until the 3rd.',
      '..and this line began with a dot.',
      '.',
      ';',
    ].join('\r\n');
    const r = importSieve(script);
    expect(r.rules).toEqual([
      {
        name: 'Filter 1',
        enabled: true,
        match: 'all',
        conditions: [{ field: 'header', name: 'List-Id', op: 'contains', value: '<dev.lists.example.org>' }],
        actions: [{ kind: 'move', folder: 'Lists' }, { kind: 'stop' }],
      },
      {
        name: 'From the boss',
        enabled: true,
        match: 'any',
        conditions: [
          { field: 'from', op: 'is', value: 'boss@example.org' },
          { field: 'from', op: 'is', value: 'ceo@example.org' },
          { field: 'subject', op: 'matches', value: 'URGENT*' },
        ],
        actions: [{ kind: 'star' }, { kind: 'markRead' }, { kind: 'forward', address: 'me@mobile.example' }],
      },
      {
        name: 'Filter 3',
        enabled: true,
        match: 'all',
        conditions: [{ field: 'size', op: 'over', value: 10 * 1024 * 1024 }],
        actions: [{ kind: 'delete' }],
      },
      {
        name: 'Filter 4',
        enabled: true,
        match: 'all',
        conditions: [{ field: 'toCc', op: 'contains', value: 'team@' }],
        actions: [{ kind: 'label', label: '$label_team' }],
      },
      {
        name: 'Filter 5',
        enabled: true,
        match: 'all',
        conditions: [],
        actions: [{ kind: 'forward', address: 'archive@backup.example' }, { kind: 'delete' }],
      },
    ]);
    expect(r.vacation).toEqual({
      enabled: true,
      days: 14,
      subject: 'Out of office',
      message: 'I am away until the 3rd.\n.and this line began with a dot.',
    });
  });

  it.each([
    ['require "regex";', 1, 'extension "regex" is not supported'],
    ['require ["fileinto"];\nif header :contains "subject" "x" { fileinto "A"; }\nelse { keep; }', 3, '"else" is not supported'],
    ['if not header :is "subject" "x" { discard; }', 1, 'test "not" is not supported'],
    ['if true {\n  fileinto "A";\n}', 2, '"fileinto" is used without require'],
    ['require "vacation";\nif true { vacation "x"; }', 2, 'vacation inside a condition'],
    ['if header :regex "subject" "x" { discard; }', 1, '":regex" is not supported'],
    ['if header :is "subject" "x" {\n discard;\n', 2, 'missing "}"'],
    ['if header :is "subject" "x { discard; }', 1, 'unterminated string'],
    ['require "imap4flags";\nif true { setflag "\\\\Seen"; }', 2, 'command "setflag" is not supported'],
    ['reject "no";', 1, 'command "reject" is not supported'],
    ['if allof (address :is "from" ["a@x", "b@x"], size :over 1) { discard; }', 1, 'several keys inside allof'],
  ])('%j → a clear error naming line %i', (script, line, message) => {
    expect(() => importSieve(script)).toThrow(`line ${line}: `);
    expect(() => importSieve(script)).toThrow(message);
  });
});
