/**
 * Modified UTF-7 (RFC 3501 §5.1.3, kept by RFC 9051 §5.1.3 for clients that have not enabled
 * UTF8=ACCEPT / IMAP4rev2): printable US-ASCII stands for itself, "&" is "&-", and anything else is
 * UTF-16 in base64 with "," for "/", between "&" and "-", without padding.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** UTF-8 (JS string) → modified UTF-7. */
export function encodeModifiedUtf7(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const code = name.charCodeAt(i);
    if (code === 0x26) {
      out += '&-';
      i++;
    } else if (isPrintable(code)) {
      out += name[i];
      i++;
    } else {
      let end = i;
      while (end < name.length && !isPrintable(name.charCodeAt(end))) end++;
      out += `&${encodeUtf16Base64(name.slice(i, end))}-`;
      i = end;
    }
  }
  return out;
}

function encodeUtf16Base64(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const unit = run.charCodeAt(i); // UTF-16 code units: non-BMP characters are already surrogate pairs
    bytes.push(unit >> 8, unit & 0xff);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += B64[b0 >> 2];
    out += B64[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += B64[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += B64[b2 & 63];
  }
  return out;
}

/**
 * Modified UTF-7 → UTF-8, or null when the name is not valid modified UTF-7 (8-bit characters,
 * an unterminated or empty "&…-" run other than "&-", leftover bits, lone surrogates, or printable
 * ASCII hidden in base64 — RFC 3501 §5.1.3 forbids each, and accepting them would let two
 * spellings name one mailbox).
 */
export function decodeModifiedUtf7(name: string): string | null {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const code = name.charCodeAt(i);
    if (!isPrintable(code)) return null;
    if (code !== 0x26) {
      out += name[i];
      i++;
      continue;
    }
    const end = name.indexOf('-', i + 1);
    if (end < 0) return null;
    if (end === i + 1) {
      out += '&';
    } else {
      const decoded = decodeUtf16Base64(name.slice(i + 1, end));
      if (decoded === null) return null;
      out += decoded;
    }
    i = end + 1;
  }
  return out;
}

function decodeUtf16Base64(run: string): string | null {
  let bits = 0;
  let bitCount = 0;
  const units: number[] = [];
  let byteHigh = -1;
  for (const c of run) {
    const value = B64_INDEX.get(c);
    if (value === undefined) return null;
    bits = (bits << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      const byte = (bits >> bitCount) & 0xff;
      bits &= (1 << bitCount) - 1;
      if (byteHigh < 0) byteHigh = byte;
      else {
        units.push((byteHigh << 8) | byte);
        byteHigh = -1;
      }
    }
  }
  if (byteHigh >= 0 || bits !== 0 || bitCount >= 6) return null;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? 0;
    if (isPrintable(unit)) return null;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = units[i + 1] ?? 0;
      if (low < 0xdc00 || low > 0xdfff) return null;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return null;
  }
  return String.fromCharCode(...units);
}
