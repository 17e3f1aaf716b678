/**
 * Response lines (RFC 9051 §7): status responses with an optional [code], untagged data and the
 * continuation request. Each returns the line with its CRLF. Texts must not contain CR/LF: a
 * client-supplied value in a text would otherwise end the line early (response injection), so
 * they are replaced by spaces.
 */

export type ImapStatus = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

function clean(text: string): string {
  return text.replace(/[\r\n\0]/g, ' ');
}

function statusBody(status: ImapStatus, code: string | undefined, text: string): string {
  const body = clean(text) || (status === 'OK' ? 'done' : status.toLowerCase());
  return `${status} ${code ? `[${clean(code)}] ` : ''}${body}`;
}

/** "tag OK [code] text\r\n". */
export function taggedLine(tag: string, status: 'OK' | 'NO' | 'BAD', code: string | undefined, text: string): string {
  return `${tag} ${statusBody(status, code, text)}\r\n`;
}

/** "* OK/NO/BAD/BYE/PREAUTH [code] text\r\n". */
export function untaggedStatusLine(status: ImapStatus, code: string | undefined, text: string): string {
  return `* ${statusBody(status, code, text)}\r\n`;
}

/** "* " + data + CRLF; data is already IMAP syntax (e.g. "3 EXISTS", or encodeValues output as text). */
export function untaggedLine(data: string): string {
  return `* ${clean(data)}\r\n`;
}

/** "+ text\r\n" (RFC 9051 §7.5). The text may be a base64 SASL challenge, or empty. */
export function continuationLine(text = ''): string {
  return text === '' ? '+ \r\n' : `+ ${clean(text)}\r\n`;
}
