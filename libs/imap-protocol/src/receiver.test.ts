import { describe, expect, it } from 'vitest';
import { receiverLimits } from './limits';
import { CommandReceiver, type ReceiverEvent } from './receiver';
import { readTag } from './receiver-scan';

const authenticated = receiverLimits({ isAuthenticated: true, appendLimit: 100_000 });

function drain(receiver: CommandReceiver): ReceiverEvent[] {
  const events: ReceiverEvent[] = [];
  for (let e = receiver.next(); e; e = receiver.next()) events.push(e);
  return events;
}

function feed(wire: string | Buffer, limits = authenticated, chunkSize = Number.POSITIVE_INFINITY): ReceiverEvent[] {
  const receiver = new CommandReceiver(limits);
  const bytes = typeof wire === 'string' ? Buffer.from(wire, 'utf8') : wire;
  const events: ReceiverEvent[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) {
    receiver.push(bytes.subarray(i, i + chunkSize));
    events.push(...drain(receiver));
  }
  return events;
}

/** Events in a comparable form (Buffers as strings). */
function show(events: ReceiverEvent[]): unknown[] {
  return events.map((e) => {
    if (e.type === 'command') {
      return {
        cmd: e.frame.tag,
        lines: e.frame.lines.map(String),
        literals: e.frame.literals.map((l) => `${l.isBinary ? '~' : ''}${l.data}`),
      };
    }
    if (e.type === 'line') return { line: String(e.line) };
    return e;
  });
}

describe('CommandReceiver', () => {
  it('frames a simple command and several pipelined ones', () => {
    expect(show(feed('a NOOP\r\nb FETCH 1 FLAGS\r\n'))).toEqual([
      { cmd: 'a', lines: ['a NOOP'], literals: [] },
      { cmd: 'b', lines: ['b FETCH 1 FLAGS'], literals: [] },
    ]);
  });

  it('waits for the CRLF', () => {
    expect(feed('a NOOP')).toEqual([]);
  });

  it('accepts a bare LF as the end of a line', () => {
    expect(show(feed('a NOOP\n'))).toEqual([{ cmd: 'a', lines: ['a NOOP'], literals: [] }]);
  });

  it('asks for a synchronizing literal with a continue event, once per literal', () => {
    expect(show(feed('a LOGIN {4}\r\njoel {2}\r\npw\r\n'))).toEqual([
      { type: 'continue', tag: 'a' },
      { type: 'continue', tag: 'a' },
      { cmd: 'a', lines: ['a LOGIN ', ' ', ''], literals: ['joel', 'pw'] },
    ]);
  });

  it('does not ask for LITERAL+ literals, and marks literal8 as binary', () => {
    expect(show(feed('a APPEND INBOX {3+}\r\nabc ~{3+}\r\nx\0y\r\n'))).toEqual([
      { cmd: 'a', lines: ['a APPEND INBOX ', ' ', ''], literals: ['abc', '~x\0y'] },
    ]);
  });

  it('keeps CRLF and "{n}" inside a literal as data', () => {
    expect(show(feed('a APPEND INBOX {13}\r\nab\r\n{3}\r\ncd\r\n\r\nb NOOP\r\n'))).toEqual([
      { type: 'continue', tag: 'a' },
      { cmd: 'a', lines: ['a APPEND INBOX ', ''], literals: ['ab\r\n{3}\r\ncd\r\n'] },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('does not take "{5}" in a quoted string for a literal', () => {
    expect(show(feed('a LOGIN joel "pw{5}"\r\n'))).toEqual([{ cmd: 'a', lines: ['a LOGIN joel "pw{5}"'], literals: [] }]);
    expect(show(feed('a LOGIN joel "a\\"{5}"\r\n'))).toEqual([{ cmd: 'a', lines: ['a LOGIN joel "a\\"{5}"'], literals: [] }]);
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const wire =
      'a1 LOGIN {4}\r\njoel {5+}\r\np w\r\n\r\na2 APPEND "Caf&AOk-" (\\Seen) ~{4}\r\n\0\r\n\0 {1+}\r\nz\r\na3 SEARCH TEXT "x{2}"\r\na4 IDLE\r\n';
    const whole = show(feed(wire));
    expect(whole).toHaveLength(6);
    for (let size = 1; size <= wire.length; size++) expect(show(feed(wire, authenticated, size))).toEqual(whole);
    // Split at every single boundary into two chunks.
    for (let cut = 1; cut < wire.length; cut++) {
      const receiver = new CommandReceiver(authenticated);
      receiver.push(Buffer.from(wire.slice(0, cut)));
      const events = drain(receiver);
      receiver.push(Buffer.from(wire.slice(cut)));
      events.push(...drain(receiver));
      expect(show(events)).toEqual(whole);
    }
  });

  it('returns the next line raw in readRawLine mode (IDLE DONE, AUTHENTICATE responses), even in the same chunk', () => {
    const receiver = new CommandReceiver(authenticated);
    receiver.push(Buffer.from('a IDLE\r\nDONE\r\nb AUTHENTICATE PLAIN\r\nAGpvZWwAcHc=\r\nc NOOP\r\n'));
    expect(show([receiver.next() as ReceiverEvent])).toEqual([{ cmd: 'a', lines: ['a IDLE'], literals: [] }]);
    receiver.readRawLine();
    expect(show([receiver.next() as ReceiverEvent])).toEqual([{ line: 'DONE' }]);
    expect(show([receiver.next() as ReceiverEvent])).toEqual([{ cmd: 'b', lines: ['b AUTHENTICATE PLAIN'], literals: [] }]);
    receiver.readRawLine();
    expect(show([receiver.next() as ReceiverEvent])).toEqual([{ line: 'AGpvZWwAcHc=' }]);
    expect(show(drain(receiver))).toEqual([{ cmd: 'c', lines: ['c NOOP'], literals: [] }]);
  });

  it('refuses a too-long line with a tagged BAD [TOOBIG] and goes on with the next command', () => {
    const limits = { ...authenticated, maxLineBytes: 100 };
    const wire = `a FETCH ${'1,'.repeat(200)}1 FLAGS\r\nb NOOP\r\n`;
    const expected = [
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Command line too long', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ];
    expect(show(feed(wire, limits))).toEqual(expected);
    expect(show(feed(wire, limits, 7))).toEqual(expected);
  });

  it('does not buffer a too-long line while it arrives', () => {
    const receiver = new CommandReceiver({ ...authenticated, maxLineBytes: 100 });
    for (let i = 0; i < 100; i++) {
      receiver.push(Buffer.alloc(1000, 0x61));
      drain(receiver);
    }
    expect(receiver.bufferedBytes).toBeLessThan(2000);
  });

  it('refuses a too-long raw line without a tag and reads commands again after it', () => {
    const receiver = new CommandReceiver({ ...authenticated, maxLineBytes: 50 });
    receiver.push(Buffer.from(`a AUTHENTICATE PLAIN\r\n${'QUFB'.repeat(40)}\r\nb NOOP\r\n`));
    expect(receiver.next()?.type).toBe('command');
    receiver.readRawLine();
    expect(receiver.next()).toEqual({ type: 'error', status: 'BAD', code: 'TOOBIG', text: 'Command line too long', isFatal: false });
    expect(show(drain(receiver))).toEqual([{ cmd: 'b', lines: ['b NOOP'], literals: [] }]);
  });

  it('refuses a too-big synchronizing literal with NO [TOOBIG] without asking for it', () => {
    const before = receiverLimits({ isAuthenticated: false, appendLimit: 100_000 });
    expect(show(feed('a LOGIN {9000}\r\nb NOOP\r\n', before))).toEqual([
      { type: 'error', tag: 'a', status: 'NO', code: 'TOOBIG', text: 'Literal too big', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
    expect(show(feed('a APPEND INBOX {100001}\r\nb NOOP\r\n'))).toEqual([
      { type: 'error', tag: 'a', status: 'NO', code: 'TOOBIG', text: 'Literal too big', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('closes the connection on a too-big non-synchronizing literal before authentication', () => {
    const before = receiverLimits({ isAuthenticated: false, appendLimit: 100_000 });
    const receiver = new CommandReceiver(before);
    receiver.push(Buffer.from(`a LOGIN {9000+}\r\n${'x'.repeat(9000)} pw\r\nb NOOP\r\n`));
    expect(drain(receiver)).toEqual([{ type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Literal too big', isFatal: true }]);
    receiver.push(Buffer.from('c NOOP\r\n'));
    expect(receiver.next()).toBeUndefined();
  });

  it('reads and drops a too-big non-synchronizing literal after authentication, then answers BAD [TOOBIG]', () => {
    const limits = { ...authenticated, maxLiteralBytes: 10, maxDiscardBytes: 1000 };
    const wire = `a APPEND INBOX {500+}\r\n${'x'.repeat(500)} {2}\r\nb NOOP\r\n`;
    const expected = [
      // The second literal is synchronizing: the client waits, so the refusal comes now.
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Literal too big', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ];
    expect(show(feed(wire, limits))).toEqual(expected);
    expect(show(feed(wire, limits, 3))).toEqual(expected);
    const receiver = new CommandReceiver(limits);
    receiver.push(Buffer.from(`a APPEND INBOX {500+}\r\n${'x'.repeat(500)}`));
    drain(receiver);
    expect(receiver.bufferedBytes).toBeLessThan(100);
  });

  it('closes when a too-big non-synchronizing literal is over the discard limit', () => {
    const limits = { ...authenticated, maxDiscardBytes: 200_000 };
    expect(feed('a APPEND INBOX {300000+}\r\n')).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Literal too big', isFatal: true },
    ]);
    expect(feed('a APPEND INBOX {300000+}\r\n', limits)).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Literal too big', isFatal: true },
    ]);
  });

  it('caps non-synchronizing literals at 4096 bytes with LITERAL- (RFC 7888 §4), dropping the data', () => {
    const minus = receiverLimits({ isAuthenticated: true, appendLimit: 100_000, isLiteralMinus: true });
    expect(show(feed(`a APPEND INBOX {4097+}\r\n${'x'.repeat(4097)}\r\nb NOOP\r\n`, minus))).toEqual([
      {
        type: 'error',
        tag: 'a',
        status: 'BAD',
        code: 'TOOBIG',
        text: 'Non-synchronizing literal over 4096 bytes (LITERAL-)',
        isFatal: false,
      },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
    expect(show(feed(`a APPEND INBOX {4096+}\r\n${'x'.repeat(4096)}\r\n`, minus))).toEqual([
      { cmd: 'a', lines: ['a APPEND INBOX ', ''], literals: ['x'.repeat(4096)] },
    ]);
    // A synchronizing literal may be as big as the APPEND limit.
    expect(feed(`a APPEND INBOX {5000}\r\n${'x'.repeat(5000)}\r\n`, minus).map((e) => e.type)).toEqual(['continue', 'command']);
  });

  it('recognises an announcement of any length, so an absurd size is refused, never read as commands', () => {
    const digits = '9'.repeat(60);
    expect(feed(`a APPEND INBOX {${digits}}\r\nb NOOP\r\n`)).toEqual([
      { type: 'error', tag: 'a', status: 'NO', code: 'TOOBIG', text: 'Literal too big', isFatal: false },
      { type: 'command', frame: { tag: 'b', lines: [Buffer.from('b NOOP')], literals: [] } },
    ]);
    expect(feed(`a APPEND INBOX {${digits}+}\r\nb NOOP\r\n`)).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Literal too big', isFatal: true },
    ]);
  });

  it('does not take "{}", "{+}" or "{1x}" for literals', () => {
    for (const text of ['a X {}', 'a X {+}', 'a X {1x}', 'a X 1}', 'a X }']) {
      expect(show(feed(`${text}\r\n`))).toEqual([{ cmd: 'a', lines: [text], literals: [] }]);
    }
  });

  it('bounds the whole command, not only each literal', () => {
    const limits = { ...authenticated, maxLiteralBytes: 100, maxCommandBytes: 150 };
    expect(show(feed(`a APPEND INBOX {100}\r\n${'x'.repeat(100)} {100}\r\nb NOOP\r\n`, limits))).toEqual([
      { type: 'continue', tag: 'a' },
      { type: 'error', tag: 'a', status: 'NO', code: 'TOOBIG', text: 'Literal too big', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('bounds the lines of a command joined by literals', () => {
    const limits = { ...authenticated, maxLineBytes: 100, maxCommandBytes: 300 };
    const line = `${'1,'.repeat(40)}1 {0+}\r\n`;
    expect(show(feed(`a FETCH ${line.repeat(5)}FLAGS\r\nb NOOP\r\n`, limits))).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', code: 'TOOBIG', text: 'Command too long', isFatal: false },
      { cmd: 'b', lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('counts only the bytes it holds, not a literal announced but not yet sent', () => {
    const receiver = new CommandReceiver(authenticated);
    receiver.push(Buffer.from('a APPEND INBOX {90000}\r\n0123456789'));
    expect(drain(receiver).map((e) => e.type)).toEqual(['continue']);
    expect(receiver.bufferedBytes).toBe('a APPEND INBOX '.length + 10);
  });

  it('refuses parentheses nested deeper than the limit', () => {
    const limits = { ...authenticated, maxNesting: 3 };
    expect(show(feed('a SEARCH ((((SEEN))))\r\nb SEARCH (((SEEN)))\r\n', limits))).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', text: 'Too many nested parentheses', isFatal: false },
      { cmd: 'b', lines: ['b SEARCH (((SEEN)))'], literals: [] },
    ]);
  });

  it('counts nesting across literals of one command', () => {
    const limits = { ...authenticated, maxNesting: 2 };
    expect(show(feed('a SEARCH ((SUBJECT {1+}\r\nx (SEEN)))\r\n', limits))).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', text: 'Too many nested parentheses', isFatal: false },
    ]);
  });

  it('answers untagged when the line has no valid tag', () => {
    const limits = { ...authenticated, maxLineBytes: 10 };
    expect(feed('+++ FETCH 1:* (FLAGS)\r\n', limits)).toEqual([
      { type: 'error', status: 'BAD', code: 'TOOBIG', text: 'Command line too long', isFatal: false },
    ]);
  });

  it('applies new limits from setLimits (after LOGIN)', () => {
    const receiver = new CommandReceiver(receiverLimits({ isAuthenticated: false, appendLimit: 0 }));
    receiver.setLimits(authenticated);
    receiver.push(Buffer.from(`a APPEND INBOX {20000+}\r\n${'x'.repeat(20000)}\r\n`));
    expect(drain(receiver).map((e) => e.type)).toEqual(['command']);
  });
});

describe('readTag', () => {
  it.each([
    ['a1 NOOP', 'a1'],
    ['A0001] NOOP', 'A0001]'],
    ['x', 'x'],
    ['a+ NOOP', ''],
    ['"a" NOOP', ''],
    ['* NOOP', ''],
    ['(a) NOOP', ''],
    ['', ''],
    [`${'t'.repeat(200)} NOOP`, ''],
  ])('%j → %j', (line, tag) => {
    expect(readTag(Buffer.from(line))).toBe(tag);
  });
});
