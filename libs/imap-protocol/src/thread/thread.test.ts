import { describe, expect, test } from 'vitest';
import { threadByOrderedSubject } from './ordered-subject';
import { threadByReferences } from './references';
import type { ThreadInput, ThreadNode } from './thread-types';
import { threadValue } from './thread-value';

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

function msg(uid: number, subject: string, messageId: string | null, refs: string[] = [], extra: Partial<ThreadInput> = {}): ThreadInput {
  return { uid, subject, messageId, inReplyTo: null, references: refs, sentDate: day(uid), internalDate: day(uid), ...extra };
}

describe('threadValue (RFC 5256 §4)', () => {
  test('chains, nested siblings and placeholder roots', () => {
    const leaf = (uid: number) => ({ uid, children: [] });
    expect(threadValue([{ uid: 1, children: [leaf(2)] }])).toBe('(1 2)');
    expect(
      threadValue([
        {
          uid: 3,
          children: [
            {
              uid: 6,
              children: [
                { uid: 4, children: [leaf(23)] },
                { uid: 44, children: [{ uid: 7, children: [leaf(96)] }] },
              ],
            },
          ],
        },
      ]),
    ).toBe('(3 6 (4 23)(44 7 96))');
    expect(threadValue([leaf(2), { uid: null, children: [leaf(5), leaf(6)] }])).toBe('(2)((5)(6))');
    expect(threadValue([{ uid: 10, children: [leaf(20)] }], (uid) => uid / 10)).toBe('(1 2)');
  });
});

describe('threadByReferences (RFC 5256 §3)', () => {
  test('links by References, In-Reply-To, placeholders and base subject', () => {
    const messages = [
      msg(1, 'a', '<1@x>'),
      msg(2, 'Re: a', '<2@x>', ['<1@x>']),
      msg(3, 'Re: a', '<3@x>', ['<1@x> <2@x>']),
      msg(4, 'Re: a', '<4@x>', [], { inReplyTo: '<1@x> (sent by someone)' }),
      msg(5, 'b', '<5@x>'),
      msg(6, 'c', '<6@x>', ['<missing@x>']),
      msg(7, 'Re: c', '<7@x>', ['<missing@x>']),
      msg(8, 'B', '<8@x>'),
      msg(9, 'Re: b', '<9@x>'),
    ];
    expect(threadValue(threadByReferences(messages))).toBe('(1 (2 3)(4))((5)(8)(9))((6)(7))');
  });

  test('a reply without references goes under the original with the same base subject', () => {
    expect(threadValue(threadByReferences([msg(1, 'Re: topic', '<1@x>'), msg(2, 'topic', '<2@x>')]))).toBe('(2 1)');
  });

  test('reference loops, duplicate and missing Message-IDs do not break it', () => {
    const messages = [
      msg(1, 'x', '<1@x>', ['<2@x>']),
      msg(2, 'y', '<2@x>', ['<1@x>']),
      msg(3, 'z', '<d@x>'),
      msg(4, 'w', '<d@x>'),
      msg(5, 'v', null),
    ];
    expect(threadValue(threadByReferences(messages))).toBe('(2 1)(3)(4)(5)');
  });

  test('siblings and threads are ordered by sent date, falling back to the internal date', () => {
    const messages = [
      msg(1, 'p', '<1@x>', [], { sentDate: day(10) }),
      msg(2, 'Re: p', '<2@x>', ['<1@x>'], { sentDate: day(30) }),
      msg(3, 'Re: p', '<3@x>', ['<1@x>'], { sentDate: day(20) }),
      msg(4, 'q', '<4@x>', [], { sentDate: null, internalDate: day(5) }),
    ];
    expect(threadValue(threadByReferences(messages))).toBe('(4)(1 (3)(2))');
  });
});

describe('threadByOrderedSubject (RFC 5256 §3)', () => {
  test('groups by base subject; first message is the parent; threads by first date', () => {
    const messages = [
      msg(1, 'b', null),
      msg(2, 'a', null),
      msg(3, 'Re: b', null),
      msg(4, 'RE: A', null),
      msg(5, 'c', null),
      msg(6, 'fwd: b', null),
    ];
    expect(threadValue(threadByOrderedSubject(messages))).toBe('(1 (3)(6))(2 4)(5)');
  });
});

describe('large and hostile mailboxes', () => {
  const chain = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      msg(i + 1, i === 0 ? 'deep' : 'Re: deep', `<c${i + 1}@x>`, i === 0 ? [] : [`<c${i}@x>`], {
        sentDate: new Date(i * 1000),
        internalDate: new Date(i * 1000),
      }),
    );

  test('a reply chain 100,000 deep: no recursion limit, linear time', () => {
    const start = Date.now();
    const text = threadValue(threadByReferences(chain(100_000)));
    expect(text.startsWith('(1 2 3 ')).toBe(true);
    expect(text.endsWith(' 99999 100000)')).toBe(true);
    expect(Date.now() - start).toBeLessThan(20_000); // quadratic would take minutes; loose for a loaded CI machine
  });

  test('every message referencing all earlier ones, and many same-subject roots, stay fast', () => {
    const n = 2000;
    const all = Array.from({ length: n }, (_, i) =>
      msg(i + 1, 'same', `<a${i + 1}@x>`, [Array.from({ length: i }, (_, j) => `<a${j + 1}@x>`).join(' ')]),
    );
    const start = Date.now();
    expect(threadValue(threadByReferences(all)).split(' ').length).toBe(n);
    const roots = Array.from({ length: 50_000 }, (_, i) => msg(i + 1, `subject ${i % 25_000}`, `<r${i + 1}@x>`));
    const threads = threadByReferences(roots);
    expect(threads.length).toBe(25_000);
    expect(Date.now() - start).toBeLessThan(20_000); // quadratic would take minutes; loose for a loaded CI machine
  });

  test('branching 10,000 levels deep formats without recursion', () => {
    let node: ThreadNode = { uid: 1, children: [] };
    const root = node;
    for (let i = 2; i < 20_000; i += 2) {
      const next: ThreadNode = { uid: i, children: [] };
      node.children.push(next, { uid: i + 1, children: [] });
      node = next;
    }
    expect(threadValue([root]).startsWith('(1 (2 (4 (6 ')).toBe(true);
  });
});

test('re-linking many children of one container stays linear', () => {
  // Messages 1..n/2 each link <hub> → <t_i>; messages t_i then arrive replying elsewhere, each
  // leaving <hub>'s child list (once O(siblings) per move).
  const n = 60_000;
  const linkers = Array.from({ length: n / 2 }, (_, i) => msg(i + 1, `l${i}`, `<l${i}@x>`, [`<hub@x> <t${i}@x>`]));
  const targets = Array.from({ length: n / 2 }, (_, i) => msg(n / 2 + i + 1, `t${i}`, `<t${i}@x>`, ['<elsewhere@x>']));
  const start = Date.now();
  const threads = threadByReferences([...linkers, ...targets]);
  expect(Date.now() - start).toBeLessThan(20_000); // quadratic would take minutes
  expect(threads.some((t) => t.uid === null && t.children.length === n / 2)).toBe(true);
});
