import { describe, expect, it } from 'vitest';
import type { SearchNode } from './ast';
import { parseSearchQuery } from './parser';
import { textTerms } from './terms';

const text = (value: string, phrase = false): SearchNode => ({ type: 'text', value, phrase });
const field = (f: 'from' | 'to' | 'cc' | 'subject' | 'filename', value: string, phrase = false): SearchNode => ({
  type: 'field',
  field: f,
  value,
  phrase,
});
const and = (...children: SearchNode[]): SearchNode => ({ type: 'and', children });
const or = (...children: SearchNode[]): SearchNode => ({ type: 'or', children });
const not = (child: SearchNode): SearchNode => ({ type: 'not', child });

describe('parseSearchQuery: query → tree', () => {
  const cases: [string, SearchNode][] = [
    ['', and()],
    ['   ', and()],
    ['invoice', text('invoice')],
    ['Invoice March', and(text('Invoice'), text('March'))],
    ['"quarterly report"', text('quarterly report', true)],
    ['from:bruna@paulolopes.fr', field('from', 'bruna@paulolopes.fr')],
    ['FROM:Bruna', field('from', 'Bruna')],
    ['to:joel cc:ana', and(field('to', 'joel'), field('cc', 'ana'))],
    ['subject:"relatório mensal"', field('subject', 'relatório mensal', true)],
    ['filename:pdf', field('filename', 'pdf')],
    ['has:attachment', { type: 'has', what: 'attachment' }],
    ['is:unread', { type: 'is', what: 'unread' }],
    ['is:READ', { type: 'is', what: 'read' }],
    ['is:starred', { type: 'is', what: 'starred' }],
    ['in:inbox', { type: 'in', mailbox: 'inbox' }],
    ['in:"Projects/2026"', { type: 'in', mailbox: 'Projects/2026' }],
    ['label:work', { type: 'label', name: 'work' }],
    ['before:2026/12/01', { type: 'date', op: 'before', date: '2026-12-01' }],
    ['after:2026-1-5', { type: 'date', op: 'after', date: '2026-01-05' }],
    ['after:12/24/2026', { type: 'date', op: 'after', date: '2026-12-24' }],
    ['larger:10K', { type: 'size', op: 'larger', bytes: 10 * 1024 }],
    ['smaller:5M', { type: 'size', op: 'smaller', bytes: 5 * 1024 * 1024 }],
    ['size:1.5mb', { type: 'size', op: 'larger', bytes: 1.5 * 1024 * 1024 }],
    ['larger:2000', { type: 'size', op: 'larger', bytes: 2000 }],
    ['-from:spam', not(field('from', 'spam'))],
    ['--x', not(text('-x'))],
    ['-"big deal"', not(text('big deal', true))],
    ['e-mail', text('e-mail')],
    ['a - b', and(text('a'), text('-'), text('b'))],
    ['a OR b', or(text('a'), text('b'))],
    ['a or b', and(text('a'), text('or'), text('b'))],
    ['a OR b OR c', or(text('a'), text('b'), text('c'))],
    // Gmail: OR binds tighter than the implicit AND.
    ['from:amy OR from:david subject:dinner', and(or(field('from', 'amy'), field('from', 'david')), field('subject', 'dinner'))],
    ['(a b) OR c', or(and(text('a'), text('b')), text('c'))],
    ['a AND b', and(text('a'), text('b'))],
    ['-(a OR b) c', and(not(or(text('a'), text('b'))), text('c'))],
    ['a OR (b OR c)', or(text('a'), text('b'), text('c'))],
    ['re: hello', and(text('re:'), text('hello'))],
    ['http://example.org/x', text('http://example.org/x')],
    ['foo:"bar baz"', text('foo:bar baz', true)],
    ['from:ana -is:read has:attachment', and(field('from', 'ana'), not({ type: 'is', what: 'read' }), { type: 'has', what: 'attachment' })],
  ];
  it.each(cases)('%j', (q, expected) => {
    expect(parseSearchQuery(q)).toEqual({ ok: true, query: expected });
  });
});

describe('parseSearchQuery: malformed input → message and position', () => {
  const cases: [string, number, RegExp][] = [
    ['"unterminated', 0, /unterminated quote/],
    ['subject:"open', 8, /unterminated quote/],
    ['from:', 5, /from: needs a value/],
    ['from: ana', 5, /from: needs a value/],
    ['is:important', 3, /is:important is not supported/],
    ['has:drive', 4, /has:drive is not supported/],
    ['before:yesterday', 7, /not a date/],
    ['after:2026/02/30', 6, /not a day of the calendar/],
    ['larger:big', 7, /not a size/],
    ['smaller:10Q', 8, /not a size/],
    ['larger:99999G', 7, /too large/],
    ['a OR', 2, /OR needs a term on each side/],
    ['OR a', 0, /OR needs a term/],
    ['a OR OR b', 2, /OR needs a term/],
    ['AND b', 0, /AND needs a term/],
    ['(a b', 0, /"\(" without a matching "\)"/],
    ['a b)', 3, /"\)" without a matching "\("/],
    ['()', 0, /empty parentheses/],
    ['a -', 2, /.*/], // a lone trailing "-" is text, not an error
  ];
  it.each(cases.filter(([q]) => q !== 'a -'))('%j', (q, position, message) => {
    const r = parseSearchQuery(q);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.position).toBe(position);
    }
  });

  it('a trailing lone "-" is text', () => {
    expect(parseSearchQuery('a -')).toEqual({ ok: true, query: and(text('a'), text('-')) });
  });

  it('limits: length, terms, depth', () => {
    const long = parseSearchQuery('x'.repeat(1001));
    expect(long.ok || long.error).toEqual({ message: 'query longer than 1000 characters', position: 1000 });
    const many = parseSearchQuery(Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '));
    expect(many.ok ? undefined : many.error.message).toBe('more than 32 search terms');
    const deep = parseSearchQuery(`${'('.repeat(12)}a${')'.repeat(12)}`);
    expect(deep.ok ? undefined : deep.error.message).toMatch(/nested deeper/);
  });
});

describe('textTerms', () => {
  it('collects positive words, phrases and field values, not negated ones', () => {
    const r = parseSearchQuery('invoice "due date" subject:march -from:bob -overdue (a OR from:ana)');
    if (!r.ok) throw new Error(r.error.message);
    expect(textTerms(r.query)).toEqual({ text: ['invoice', 'due date', 'a'], fields: { subject: ['march'], from: ['ana'] } });
  });
});
