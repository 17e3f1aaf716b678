/**
 * RFC 3516 BINARY[part] and BINARY.SIZE[part]: a leaf part's content with its
 * Content-Transfer-Encoding undone. Identity encodings pass through; base64 and quoted-printable
 * are decoded; anything else is answered NO [UNKNOWN-CTE] (RFC 3516 §4.3).
 */
export type BinaryResult = { ok: true; data: Buffer } | { ok: false; code: 'UNKNOWN-CTE' };

const IDENTITY = new Set(['7bit', '8bit', 'binary', '']);

export function decodeBinary(body: Buffer, encoding: string): BinaryResult {
  const cte = encoding.trim().toLowerCase();
  if (IDENTITY.has(cte)) return { ok: true, data: body };
  if (cte === 'base64') return { ok: true, data: Buffer.from(body.toString('latin1'), 'base64') };
  if (cte === 'quoted-printable') return { ok: true, data: decodeQuotedPrintable(body) };
  return { ok: false, code: 'UNKNOWN-CTE' };
}

/** BINARY.SIZE: the decoded size; base64 is counted without decoding. */
export function binarySize(body: Buffer, encoding: string): { ok: true; size: number } | { ok: false; code: 'UNKNOWN-CTE' } {
  const cte = encoding.trim().toLowerCase();
  if (cte === 'base64') return { ok: true, size: base64DecodedLength(body) };
  const decoded = decodeBinary(body, cte);
  return decoded.ok ? { ok: true, size: decoded.data.length } : decoded;
}

/** Bytes Node's base64 decoder produces: alphabet characters up to the first '=', 3 bytes per 4. */
function base64DecodedLength(body: Buffer): number {
  let chars = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 61) break; // '=' ends the data
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 95) chars++;
  }
  return Math.floor((chars * 3) / 4);
}

const HEX = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/**
 * RFC 2045 §6.7 quoted-printable: "=XX" is a byte, "=" at a line end is a soft break, trailing
 * whitespace on a line is transport padding and dropped. A malformed "=" is kept as is (rule 3's
 * "robust implementation" advice), so no input is an error.
 */
export function decodeQuotedPrintable(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length);
  let n = 0;
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === 61) {
      const hi = HEX(body[i + 1] ?? -1);
      const lo = HEX(body[i + 2] ?? -1);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 3;
        continue;
      }
      let j = i + 1;
      while (body[j] === 32 || body[j] === 9) j++;
      if (body[j] === 13 && body[j + 1] === 10) {
        i = j + 2;
        continue;
      }
      if (body[j] === 10) {
        i = j + 1;
        continue;
      }
      if (j >= body.length) break; // "=" at the very end: a soft break
      out[n++] = c;
      i++;
    } else if (c === 32 || c === 9) {
      let j = i;
      while (body[j] === 32 || body[j] === 9) j++;
      const isTrailing = j >= body.length || body[j] === 10 || (body[j] === 13 && body[j + 1] === 10);
      if (!isTrailing) {
        body.copy(out, n, i, j);
        n += j - i;
      }
      i = j;
    } else {
      out[n++] = c;
      i++;
    }
  }
  return out.subarray(0, n);
}
