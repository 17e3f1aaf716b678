/**
 * The CAPABILITY list (RFC 9051 §7.2.2) as a function of what the session knows. Only what the
 * server implements is announced: a client that sees a capability will use it.
 */

export interface CapabilityFacts {
  isTls: boolean;
  isAuthenticated: boolean;
  /** LOGIN / AUTHENTICATE PLAIN allowed now (TLS, or the loopback development setting). */
  isLoginAllowed: boolean;
  /** STARTTLS can be offered (a TLS certificate is configured and the connection is not TLS yet). */
  canStartTls: boolean;
  /** APPENDLIMIT (RFC 7889): the largest message APPEND accepts. */
  appendLimit: number;
  /** Announce LITERAL- (RFC 7888 §4, non-synchronizing literals ≤ 4096) instead of LITERAL+. */
  isLiteralMinus?: boolean;
  /** COMPRESS=DEFLATE is offered until it is active (RFC 4978 §3: not twice). */
  isCompressed?: boolean;
}

/** Announced before and after login: framing, and what a client needs to decide how to log in. */
const ALWAYS = ['IMAP4rev1', 'IMAP4rev2', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE', 'UNSELECT'];

/** Announced after login (RFC 9051 §7.2.2 lets the list change with state; clients re-ask). */
const AUTHENTICATED = [
  'UIDPLUS',
  'MOVE',
  'SPECIAL-USE',
  'CREATE-SPECIAL-USE',
  'CONDSTORE',
  'QRESYNC',
  'ESEARCH',
  'SEARCHRES',
  'SORT',
  'SORT=DISPLAY',
  'ESORT',
  'THREAD=REFERENCES',
  'THREAD=ORDEREDSUBJECT',
  'QUOTA',
  // RFC 9208 §5: only the resources with a limit; accounts have a storage quota, no message count.
  'QUOTA=RES-STORAGE',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'STATUS=SIZE',
  'CHILDREN',
  'UTF8=ACCEPT',
  'BINARY',
  'MULTIAPPEND',
  'WITHIN',
];

export function capabilities(facts: CapabilityFacts): string[] {
  const list = [...ALWAYS, facts.isLiteralMinus ? 'LITERAL-' : 'LITERAL+'];
  if (!facts.isAuthenticated) {
    if (!facts.isTls && facts.canStartTls) list.push('STARTTLS');
    // RFC 9051 §6.2.3 / §11.1: without TLS, LOGIN is refused and LOGINDISABLED says so.
    if (facts.isLoginAllowed) list.push('AUTH=PLAIN');
    else list.push('LOGINDISABLED');
    return list;
  }
  list.push(...AUTHENTICATED, `APPENDLIMIT=${facts.appendLimit}`);
  if (!facts.isCompressed) list.push('COMPRESS=DEFLATE');
  return list;
}

/** "CAPABILITY …" as the data of an untagged response or the text of a [CAPABILITY …] code. */
export function capabilityText(facts: CapabilityFacts): string {
  return `CAPABILITY ${capabilities(facts).join(' ')}`;
}
