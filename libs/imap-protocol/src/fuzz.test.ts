import { describe, expect, it } from 'vitest';
import { receiverLimits } from './limits';
import { parseCommand } from './parse-command';
import { CommandReceiver } from './receiver';

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'a',
  ' ',
  ' ',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  '"',
  '\\',
  '{3}\r\n',
  '{2+}\r\n',
  '~{1}\r\n',
  '\r\n',
  '*',
  ':',
  ',',
  '$',
  '1',
  '0',
  '4294967296',
  'UID',
  'FETCH',
  'SEARCH',
  'STORE',
  'APPEND',
  'LIST',
  'SELECT',
  'NOT',
  'OR',
  'BODY.PEEK[HEADER.FIELDS (From)]',
  'RETURN',
  'CHARSET',
  '+FLAGS.SILENT',
  '\\Seen',
  'QRESYNC',
  'MODSEQ',
  'INBOX',
  '&',
  '&-',
  'é',
  '\0',
];

function soup(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += TOKENS[Math.floor(next() * TOKENS.length)];
  return text;
}

describe('fuzz', () => {
  it('parseCommand never throws on token soup', () => {
    const next = random(11);
    for (let i = 0; i < 3000; i++) {
      const wire = `t ${soup(next, 1 + Math.floor(next() * 25))}`;
      const result = parseCommand(wire);
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) expect(result.text.length).toBeGreaterThan(0);
    }
  });

  it('the receiver never throws and holds at most about a line and a command', () => {
    const next = random(7);
    const limits = { ...receiverLimits({ isAuthenticated: true, appendLimit: 2000 }), maxLineBytes: 500, maxDiscardBytes: 4000 };
    for (let round = 0; round < 200; round++) {
      const receiver = new CommandReceiver(limits);
      const wire = Buffer.from(soup(next, 400));
      let at = 0;
      while (at < wire.length) {
        const size = 1 + Math.floor(next() * 40);
        receiver.push(wire.subarray(at, at + size));
        at += size;
        for (let e = receiver.next(); e; e = receiver.next()) {
          if (e.type === 'command') expect(parseCommand(e.frame).ok !== undefined).toBe(true);
          if (next() < 0.05) receiver.readRawLine();
        }
        expect(receiver.bufferedBytes).toBeLessThanOrEqual(limits.maxLineBytes + limits.maxCommandBytes + 40);
      }
    }
  });
});
