import { decodeCharset } from './params';

/**
 * RFC 2047 encoded words ("=?charset?B|Q?text?=") decoded to UTF-8, for the places the server itself
 * must read a header as text: SORT SUBJECT / DISPLAYFROM and THREAD base subjects (RFC 5256 §2.1,
 * RFC 5957). Whitespace between two adjacent encoded words is dropped (RFC 2047 §6.2). An encoded
 * word in an unknown charset or with bad content is left as it is.
 */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  return text.replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1').replace(ENCODED_WORD, decodeWord);
}

function decodeWord(word: string, charset: string, encoding: string, text: string): string {
  const name = charset.split('*')[0]!; // RFC 2231 §5: "charset*language"
  let bytes: Buffer;
  if (encoding === 'B' || encoding === 'b') {
    bytes = Buffer.from(text, 'base64');
  } else {
    bytes = Buffer.from(
      text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    );
  }
  try {
    return new TextDecoder(name).decode(bytes);
  } catch {
    return name.toLowerCase() === 'us-ascii' || name === '' ? decodeCharset(bytes, 'latin1') : word;
  }
}
