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
      '(("text" "plain" ("charset" "UTF-8") NIL NIL "7bit" 5 0 NIL NIL NIL NIL) ' +
        '("text" "html" ("charset" "UTF-8") NIL NIL "quoted-printable" 14 1 NIL NIL NIL NIL)' +
        ' "alternative" ("boundary" "=_b") NIL NIL NIL)',
    );
  });
});
