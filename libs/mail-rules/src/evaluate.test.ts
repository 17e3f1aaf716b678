import { describe, expect, it } from 'vitest';
import { evaluateRules } from './evaluate';
import { parseHeaderFields } from './header-fields';
import type { MessageFacts, Rule } from './rule-types';

const msg: MessageFacts = {
  from: 'Alice@Example.org',
  toCc: ['me@here.example', 'team@here.example'],
  subject: 'Quarterly report [draft]',
  headers: parseHeaderFields(
    Buffer.from('From: Alice <alice@example.org>\r\nX-Mailer: Thing\r\n  continued\r\nList-Id: <dev.lists>\r\n\r\nbody'),
  ),
  size: 2048,
  hasAttachment: true,
};
const rule = (r: Partial<Rule>): Rule => ({ name: 'r', enabled: true, match: 'all', conditions: [], actions: [{ kind: 'star' }], ...r });
const starred = (rules: Rule[]) => evaluateRules(rules, msg).flagged;

describe('evaluateRules', () => {
  it.each([
    [{ field: 'from', op: 'is', value: 'alice@example.org' }, true],
    [{ field: 'from', op: 'contains', value: 'EXAMPLE' }, true],
    [{ field: 'from', op: 'matches', value: '*@example.???' }, true],
    [{ field: 'from', op: 'matches', value: 'bob@*' }, false],
    [{ field: 'toCc', op: 'is', value: 'team@here.example' }, true],
    [{ field: 'toCc', op: 'is', value: 'other@here.example' }, false],
    [{ field: 'subject', op: 'contains', value: '[draft]' }, true],
    [{ field: 'subject', op: 'matches', value: 'quarterly*\\[draft\\]' }, true],
    [{ field: 'subject', op: 'is', value: 'Quarterly' }, false],
    [{ field: 'header', name: 'X-Mailer', op: 'is', value: 'Thing continued' }, true],
    [{ field: 'header', name: 'list-id', op: 'contains', value: 'dev' }, true],
    [{ field: 'header', name: 'x-absent', op: 'contains', value: '' }, false],
    [{ field: 'size', op: 'over', value: 2047 }, true],
    [{ field: 'size', op: 'over', value: 2048 }, false],
    [{ field: 'size', op: 'under', value: 2049 }, true],
    [{ field: 'hasAttachment' }, true],
  ] as const)('%j → %s', (condition, expected) => {
    expect(starred([rule({ conditions: [condition as never] })])).toBe(expected);
  });

  it('all needs every condition, any one of them; a disabled filter never runs', () => {
    const a = { field: 'from', op: 'contains', value: 'alice' } as const;
    const b = { field: 'from', op: 'contains', value: 'bob' } as const;
    expect(starred([rule({ match: 'all', conditions: [a, b] })])).toBe(false);
    expect(starred([rule({ match: 'any', conditions: [a, b] })])).toBe(true);
    expect(starred([rule({ enabled: false, conditions: [a] })])).toBe(false);
  });

  it('applies every action, the last move wins, and stop ends evaluation', () => {
    const p = evaluateRules(
      [
        rule({
          actions: [
            { kind: 'move', folder: 'A' },
            { kind: 'label', label: 'x' },
            { kind: 'markRead' },
            { kind: 'forward', address: 'Me@There.example' },
          ],
        }),
        rule({ actions: [{ kind: 'move', folder: 'B' }, { kind: 'delete' }, { kind: 'stop' }] }),
        rule({ actions: [{ kind: 'star' }] }),
      ],
      msg,
    );
    expect(p).toEqual({ folder: 'B', deleted: true, seen: true, flagged: false, labels: ['x'], forwards: ['me@there.example'] });
  });
});
