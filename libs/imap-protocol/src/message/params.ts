/**
 * Content-Type / Content-Disposition values: "main; attr=value; ..." (RFC 2045 §5.1, RFC 2183 §2)
 * with RFC 2231 continuations joined.
 *
 * What the parameters are: what BODYSTRUCTURE sends (RFC 9051 §7.5.2 body-fld-param), the way
 * Dovecot sends them: continuations (name*0, name*1, ...) are merged into one parameter, and a
 * charset-encoded value stays encoded under its starred name ("filename*" = "utf-8''%E2%82%AC.pdf").
 * Decoding it to UTF-8 would put 8-bit text in a string IMAP4rev1 clients do not expect; clients
 * (imapflow, Thunderbird, mutt) decode RFC 2231 themselves. decodeParameter() decodes for our own use.
 */
export interface ParameterizedValue {
  /** The value before the first ';', lower-cased ("text/plain", "attachment"); "" when absent. */
  value: string;
  params: Record<string, string>;
}

interface RawParam {
  name: string;
  value: string;
}

/** Parses "main; a=b; c="d"" leniently: bad parameters are skipped, never an error (RFC 2045 §5.2 defaults apply upstream). */
export function parseParameterized(header: string): ParameterizedValue {
  const text = stripComments(header);
  const semi = indexOutsideQuotes(text, ';', 0);
  const value = (semi === -1 ? text : text.slice(0, semi)).trim().toLowerCase();
  const raw: RawParam[] = [];
  let pos = semi === -1 ? text.length : semi + 1;
  while (pos < text.length) {
    const next = indexOutsideQuotes(text, ';', pos);
    const end = next === -1 ? text.length : next;
    const part = text.slice(pos, end);
    const eq = part.indexOf('=');
    if (eq > 0) {
      const name = part.slice(0, eq).trim().toLowerCase();
      const v = unquote(part.slice(eq + 1).trim());
      // "__proto__" would set the object's prototype instead of a parameter: dropped.
      if (name !== '' && name !== '__proto__' && !/[\s"]/.test(name)) raw.push({ name, value: v });
    }
    pos = end + 1;
  }
  return { value, params: joinContinuations(raw) };
}

function indexOutsideQuotes(text: string, char: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === char) return i;
  }
  return -1;
}

/** Removes RFC 5322 comments outside quoted strings (nested, with quoted-pairs). */
function stripComments(text: string): string {
  if (!text.includes('(')) return text;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (depth === 0 && quoted) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') quoted = false;
    } else if (c === '\\' && depth > 0) i++;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"')) {
    const close = value.lastIndexOf('"');
    return value.slice(1, close > 0 ? close : undefined).replace(/\\(.)/g, '$1');
  }
  return value;
}

const CONTINUATION = /^(.+?)\*(?:(\d{1,3})\*?|)$/;

/** RFC 2231 §3-4: name*0, name*1*, ... joined in index order; starred (encoded) segments keep their encoding. */
function joinContinuations(raw: RawParam[]): Record<string, string> {
  const params: Record<string, string> = {};
  const groups = new Map<string, { index: number; encoded: boolean; value: string }[]>();
  for (const { name, value } of raw) {
    const m = CONTINUATION.exec(name);
    if (!m) {
      if (!Object.hasOwn(params, name)) params[name] = value;
      continue;
    }
    const base = m[1]!;
    if (base === '__proto__') continue;
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const encoded = m[2] === undefined || name.endsWith('*');
    let group = groups.get(base);
    if (!group) {
      group = [];
      groups.set(base, group);
    }
    if (!group.some((s) => s.index === index)) group.push({ index, encoded, value });
  }
  for (const [base, segments] of groups) {
    segments.sort((a, b) => a.index - b.index);
    const isEncoded = segments[0]!.index === 0 && segments[0]!.encoded;
    let joined = '';
    for (let i = 0; i < segments.length && segments[i]!.index === i; i++) {
      const s = segments[i]!;
      joined += isEncoded && !s.encoded ? percentEncode(s.value) : s.value;
    }
    params[isEncoded ? `${base}*` : base] = joined;
  }
  return params;
}

/** RFC 2231 §7 attribute-char: anything else in an unencoded segment is percent-encoded when joined to encoded ones. */
function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte > 32 && byte < 127 && !/[*'%()<>@,;:\\"/[\]?=]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The decoded value of a parameter for our own use (file names, charsets): the starred RFC 2231
 * form decoded from its charset when present, else the plain value. Unknown charsets fall back to latin1.
 */
export function decodeParameter(params: Record<string, string>, name: string): string | undefined {
  const encoded = params[`${name}*`];
  if (encoded !== undefined) {
    const m = /^([^']*)'[^']*'(.*)$/s.exec(encoded);
    if (m) return decodeCharset(percentDecode(m[2]!), m[1]!);
  }
  return params[name];
}

function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(text[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

/** Bytes in a named charset to a string; unknown or empty charsets are read as latin1 (no byte lost). */
export function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim() || 'latin1').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
