/** RFC 3206 (and RFC 2449 §8.1 IN-USE) extended response codes. */
export type Pop3ResponseCode = 'AUTH' | 'SYS/TEMP' | 'SYS/PERM' | 'IN-USE' | 'LOGIN-DELAY';

/** `+OK text` CRLF. */
export function okLine(text = ''): string {
  return text ? `+OK ${text}\r\n` : '+OK\r\n';
}

/** `-ERR [CODE] text` CRLF (RFC 2449 §8: the code in brackets right after -ERR). */
export function errLine(text: string, code?: Pop3ResponseCode): string {
  return code ? `-ERR [${code}] ${text}\r\n` : `-ERR ${text}\r\n`;
}

/** A SASL continuation (RFC 5034 §4): `+ ` and the base64 challenge (empty for PLAIN). */
export function continuationLine(challenge = ''): string {
  return `+ ${challenge}\r\n`;
}

/**
 * A multi-line response of text lines (LIST, UIDL, CAPA): status line, the lines dot-stuffed,
 * then the terminating `.` line (RFC 1939 §3).
 */
export function multiLine(status: string, lines: string[]): string {
  let out = okLine(status);
  for (const l of lines) out += `${l.startsWith('.') ? '.' : ''}${l}\r\n`;
  return `${out}.\r\n`;
}
