import { describe, expect, test } from 'vitest';
import { computeMessageStructure } from './compute-structure';
import { wireText } from './fixtures/wire-text';
import { bodyStructureValue } from './values';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));
const bs = (raw: Buffer) => wireText(bodyStructureValue(computeMessageStructure(raw).body, true));
const body = (raw: Buffer) => wireText(bodyStructureValue(computeMessageStructure(raw).body, false));

describe('computeMessageStructure', () => {
  test('a message without Content-Type is text/plain us-ascii 7bit (RFC 2045 §5.2)', () => {
    const raw = crlf(['Subject: x', '', 'line 1', 'line 2', '']);
    expect(bs(raw)).toBe('("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 16 2 NIL NIL NIL NIL)');
    expect(body(raw)).toBe('("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 16 2)');
  });

  test('multipart/alternative: parts end before the CRLF of the delimiter; preamble and epilogue dropped', () => {
    const raw = crlf([
      'Content-Type: multipart/alternative; boundary="=_b"',
      '',
      'This is a preamble.',
      '--=_b',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Hello',
      '--=_b',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Hello</p>',
      '',
      '--=_b--',
      'epilogue',
    ]);
    const s = computeMessageStructure(raw);
    const [plain, html] = s.body.children!;
    expect(raw.toString('latin1', plain!.bodyStart, plain!.bodyEnd)).toBe('Hello');
    expect(raw.toString('latin1', html!.bodyStart, html!.bodyEnd)).toBe('<p>Hello</p>\r\n');
    expect(bs(raw)).toBe(
      '(("text" "plain" ("charset" "UTF-8") NIL NIL "7bit" 5 0 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "UTF-8") NIL NIL "quoted-printable" 14 1 NIL NIL NIL NIL)' +
        ' "alternative" ("boundary" "=_b") NIL NIL NIL)',
    );
  });
});

const nestedMultiparts = (depth: number) => {
  let text = 'innermost\r\n';
  for (let i = depth - 1; i >= 0; i--) text = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${text}\r\n--b${i}--\r\n`;
  return Buffer.from(`Subject: deep\r\n${text}`);
};

describe('limits: past them the rest is one opaque part, never an exception (DESIGN invariant 7)', () => {
  test('MIME depth: nesting stops at maxDepth with an application/octet-stream leaf', () => {
    const s = computeMessageStructure(nestedMultiparts(100));
    let depth = 0;
    let part = s.body;
    while (part.children) {
      part = part.children[0]!;
      depth++;
    }
    expect(depth).toBe(32);
    expect(`${part.type}/${part.subtype}`).toBe('application/octet-stream');
    expect(part.bodyEnd).toBeGreaterThan(part.bodyStart);
  });

  test('a shallow message under the limit is parsed to the bottom', () => {
    let part = computeMessageStructure(nestedMultiparts(5)).body;
    while (part.children) part = part.children[0]!;
    expect(`${part.type}/${part.subtype}`).toBe('text/plain');
  });

  test('part count: the last counted part holds the rest of the body, delimiters included', () => {
    const parts = Array.from({ length: 5000 }, (_, i) => `--b\r\n\r\npart ${i}\r\n`).join('');
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`);
    const s = computeMessageStructure(raw);
    expect(s.body.children!.length).toBe(999);
    const last = s.body.children!.at(-1)!;
    expect(raw.toString('latin1', last.bodyStart, last.bodyEnd)).toMatch(/^part 998\r\n--b\r\n[\s\S]*part 4999\r\n--b--\r\n$/);
  });

  test('an oversized header is skipped past the limit but the body is still found', () => {
    const filler = `X-Filler: ${'x'.repeat(1000)}\r\n`.repeat(400);
    const raw = Buffer.from(`Subject: big\r\n${filler}Content-Type: text/html\r\n\r\nbody`);
    const s = computeMessageStructure(raw);
    expect(s.envelope.subject).toBe('big');
    expect(s.body.subtype).toBe('plain'); // the Content-Type came after 256 KiB of header
    expect(raw.toString('latin1', s.body.bodyStart)).toBe('body');
  });

  test('one header line of megabytes is read only up to the limit', () => {
    const raw = Buffer.concat([Buffer.from('Subject: '), Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('\r\n\r\nbody')]);
    const s = computeMessageStructure(raw);
    expect(s.envelope.subject!.length).toBeLessThan(256 * 1024);
    expect(raw.toString('latin1', s.body.bodyStart)).toBe('body');
  });

  test('random bytes and truncations never throw, and every range stays inside the message', () => {
    const sample = Buffer.from(
      'Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/alternative; boundary=r\r\n\r\n--r\r\n\r\nx\r\n--r--\r\n--q--\r\n',
    );
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const check = (part: import('../message-types').BodyPart, length: number) => {
      expect(part.headerStart).toBeGreaterThanOrEqual(0);
      expect(part.headerStart).toBeLessThanOrEqual(part.bodyStart);
      expect(part.bodyStart).toBeLessThanOrEqual(part.bodyEnd);
      expect(part.bodyEnd).toBeLessThanOrEqual(length);
      for (const child of part.children ?? []) check(child, length);
      if (part.message) check(part.message.body, length);
    };
    for (let i = 0; i < 300; i++) {
      const raw = Buffer.from(sample.subarray(0, rand() % (sample.length + 1)));
      for (let j = 0; j < 5; j++) raw[rand() % Math.max(1, raw.length)] = rand() % 256;
      check(computeMessageStructure(raw).body, raw.length);
    }
  });
});

describe('edge cases', () => {
  test('empty message, header only, body only', () => {
    expect(computeMessageStructure(Buffer.alloc(0)).body).toMatchObject({ type: 'text', size: 0, lines: 0, bodyStart: 0, bodyEnd: 0 });
    const headerOnly = Buffer.from('Subject: x\r\n');
    expect(computeMessageStructure(headerOnly).body).toMatchObject({ bodyStart: headerOnly.length, size: 0 });
    const bodyOnly = Buffer.from('\r\njust body\r\n');
    expect(computeMessageStructure(bodyOnly).body).toMatchObject({ headerStart: 0, bodyStart: 2, size: 11, lines: 1 });
  });

  test('multipart/digest parts default to message/rfc822 (RFC 2046 §5.1.5)', () => {
    const raw = crlf(['Content-Type: multipart/digest; boundary=d', '', '--d', '', 'Subject: one', '', 'first', '--d--', '']);
    const part = computeMessageStructure(raw).body.children![0]!;
    expect(`${part.type}/${part.subtype}`).toBe('message/rfc822');
    expect(part.message!.envelope.subject).toBe('one');
  });

  test('a base64 message/rfc822 (not allowed, RFC 2046 §5.2.1) is kept opaque, not parsed', () => {
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary=m',
      '',
      '--m',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: base64',
      '',
      'U3ViamVjdDogeA0KDQp4',
      '--m--',
    ]);
    const part = computeMessageStructure(raw).body.children![0]!;
    expect(part).toMatchObject({ type: 'application', subtype: 'octet-stream', encoding: 'base64' });
    expect(part.message).toBeUndefined();
  });

  test('message/global is parsed for sections but sent as a basic part in BODYSTRUCTURE', () => {
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary=m',
      '',
      '--m',
      'Content-Type: message/global',
      '',
      'Subject: g',
      '',
      'body',
      '--m--',
    ]);
    const part = computeMessageStructure(raw).body.children![0]!;
    expect(part.message!.envelope.subject).toBe('g');
    expect(wireText(bodyStructureValue(part, true))).toBe('("message" "global" NIL NIL NIL "7bit" 18 NIL NIL NIL NIL)');
  });

  test('a line that starts with the boundary is a delimiter (RFC 2046 §5.1.1), unless a nested multipart declares the longer token', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary=x', '', '--x \t', '', 'a', '--xjunk', '', 'b', '--x--  ', 'epilogue']);
    const s = computeMessageStructure(raw);
    expect(s.body.children!.map((p) => raw.toString('latin1', p.bodyStart, p.bodyEnd))).toEqual(['a', 'b']);
    const nested = crlf([
      'Content-Type: multipart/mixed; boundary=x',
      '',
      '--x',
      'Content-Type: multipart/related; boundary="x.2"',
      '',
      '--x.2',
      '',
      'in',
      '--x.2--',
      '--x--',
    ]);
    const inner = computeMessageStructure(nested).body.children![0]!;
    expect(inner.children!.map((p) => nested.toString('latin1', p.bodyStart, p.bodyEnd))).toEqual(['in']);
  });

  test('unfolded header values and a Content-Type whose subtype is missing falls back to text/plain', () => {
    const raw = crlf(['Subject: folded', '\tsubject', 'Content-Type: image', '', 'x']);
    const s = computeMessageStructure(raw);
    expect(s.envelope.subject).toBe('folded\tsubject');
    expect(s.body).toMatchObject({ type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } });
  });
});

describe('speed (no body copies: work on offsets)', () => {
  const attachment = Buffer.alloc(10 * 1024 * 1024, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n');
  const big = Buffer.concat([
    crlf([
      'From: a@b.test',
      'Subject: big',
      'Content-Type: multipart/mixed; boundary="==big=="',
      '',
      '--==big==',
      'Content-Type: text/plain',
      '',
      'hello',
      '--==big==',
      'Content-Type: application/zip',
      'Content-Transfer-Encoding: base64',
      '',
      '',
    ]),
    attachment,
    Buffer.from('\r\n--==big==--\r\n'),
  ]);
  const small = Buffer.concat([
    crlf([
      'From: "A" <a@b.test>',
      'To: c@d.test',
      'Subject: small',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <s@b.test>',
      'Content-Type: multipart/alternative; boundary=s',
      '',
      '--s',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '',
    ]),
    Buffer.alloc(1800, 'plain text line\r\n'),
    crlf(['', '--s', 'Content-Type: text/html; charset=utf-8', '', '']),
    Buffer.alloc(1800, '<p>html line</p>\r\n'),
    crlf(['', '--s--', '']),
  ]);

  /** Best of 5 batches after a warm-up (the JIT and a shared machine make single runs noisy), in ms. */
  const measure = (raw: Buffer, runs: number) => {
    for (let i = 0; i < runs; i++) computeMessageStructure(raw);
    let best = Number.POSITIVE_INFINITY;
    for (let batch = 0; batch < 5; batch++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) computeMessageStructure(raw);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / runs);
    }
    return best;
  };

  test('4 KiB and 10 MiB messages', () => {
    const text = Buffer.concat([
      crlf(['Subject: t', 'Content-Type: text/plain', '', '']),
      Buffer.alloc(10 * 1024 * 1024, 'a line of text of some length here\r\n'),
    ]);
    const smallMs = measure(small, 1000);
    const bigMs = measure(big, 10);
    const textMs = measure(text, 3);
    console.log(
      `computeMessageStructure: ${small.length} B multipart in ${(smallMs * 1000).toFixed(1)} µs; ` +
        `${big.length} B with a base64 attachment in ${bigMs.toFixed(2)} ms; ${text.length} B text/plain (lines counted) in ${textMs.toFixed(1)} ms`,
    );
    expect(computeMessageStructure(text).body.lines).toBe(Math.floor((10 * 1024 * 1024) / 36)); // one LF per 36-byte line
    expect(computeMessageStructure(big).body.children![1]!.size).toBe(attachment.length);
    // Loose bounds (shared 2-core machine); the printed numbers are what to compare.
    expect(smallMs).toBeLessThan(2);
    expect(bigMs).toBeLessThan(200);
    expect(textMs).toBeLessThan(500);
  });
});

describe('hostile boundaries', () => {
  test('100,000 lines that start with the boundary but are longer stay linear', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `--qq${i} looks like a delimiter`).join('\r\n');
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=qq\r\n\r\n--qq\r\n\r\nfirst\r\n${lines}\r\n--qq--\r\n`);
    const start = Date.now();
    const s = computeMessageStructure(raw);
    expect(Date.now() - start).toBeLessThan(10_000); // quadratic took seconds per 10,000 lines
    // RFC 2046 prefix rule: each such line is a delimiter, so the parts stop at the part limit.
    expect(s.body.children!.length).toBe(999);
  });
});
