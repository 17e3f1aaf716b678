import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeValues } from '../encode-value';
import { computeMessageStructure } from './compute-structure';
import { envelopeValue } from './values';
import { envelopeForms, rawEnvelopeForms } from './wire-forms';

// rawEnvelopeForms is what delivery keeps on the message row; FETCH's fast path sends it as is, so
// it must equal, byte for byte, what the general path encodes from the kept structure, in both
// string modes (RFC 6855 §3: 8-bit strings are literals until UTF8=ACCEPT).

const dir = path.join(__dirname, 'fixtures');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => [f, readFileSync(path.join(dir, f))] as const);

const crafted: [string, string][] = [
  ['8-bit subject and name', 'From: Joël <joel@ifsc.edu>\r\nSubject: Olá — café\r\nTo: a@b.c\r\n\r\nx\r\n'],
  [
    'trace fields before the envelope fields, folded To',
    'Received: from x by y;\r\n\tSun, 6 Dec 2026 10:00:00 +0000\r\nDKIM-Signature: v=1; b=abc\r\n\tdef\r\nFrom: "A \\"B\\"" <a@b.c>\r\nTo: c@d.e,\r\n f@g.h\r\nSubject: x\\y "q"\r\n\r\n',
  ],
  ['repeated fields (the first wins), Sender and Reply-To default to From', 'Subject: one\r\nSubject: two\r\nFrom: a@b.c\r\n\r\n'],
  ['no header at all', '\r\nbody only\r\n'],
  ['bare LF', 'From: a@b.c\nSubject: lf\nCc: group: x@y.z;\n\nbody\n'],
  ['long subject (a literal in both modes)', `Subject: ${'long '.repeat(300)}\r\n\r\n`],
];

function general(raw: Buffer, utf8: boolean): string {
  return encodeValues([envelopeValue(computeMessageStructure(raw).envelope)], { utf8 }).toString('utf8');
}

describe('rawEnvelopeForms', () => {
  test.each([...fixtures, ...crafted.map(([n, t]) => [n, Buffer.from(t)] as const)])('%s: the general path’s ENVELOPE', (_name, raw) => {
    const forms = rawEnvelopeForms(raw);
    expect(forms).not.toBeNull();
    expect(forms!.envelope).toBe(general(raw, false));
    expect(forms!.envelopeUtf8 ?? forms!.envelope).toBe(general(raw, true));
    expect(forms).toEqual(envelopeForms(computeMessageStructure(raw).envelope));
  });

  test('the UTF-8 form is kept only when it differs', () => {
    expect(rawEnvelopeForms(Buffer.from('Subject: ascii\r\n\r\n'))!.envelopeUtf8).toBeNull();
    const forms = rawEnvelopeForms(Buffer.from('Subject: Olá\r\n\r\n'))!;
    expect(forms.envelope).toContain('{4}\r\nOlá');
    expect(forms.envelopeUtf8).toContain('"Olá"');
  });

  test('a NUL in a header: nothing to keep (FETCH takes the general path)', () => {
    expect(rawEnvelopeForms(Buffer.from('Subject: a\0b\r\n\r\n'))).toBeNull();
  });
});
