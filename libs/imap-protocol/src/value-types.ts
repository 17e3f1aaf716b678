/**
 * A response value tree (RFC 9051 §4 data formats). Handlers build these; encode-value.ts turns
 * them into wire bytes, choosing quoted strings or literals as needed (a string with CR, LF, NUL,
 * 8-bit bytes without UTF8=ACCEPT, or too long becomes a literal).
 */
export type ImapValue =
  | null // NIL
  | number
  | bigint
  | { atom: string } // atoms, flags (\Seen), keywords, OK/NO codes: sent as they are
  | { string: string | Buffer } // quoted or literal, the encoder decides
  | { literal: Buffer; isBinary?: boolean } // always a literal (~{n} literal8 when isBinary, RFC 3516)
  | ImapValue[] // parenthesised list, items separated by one space
  /**
   * Items back to back, no spaces and no parentheses: RFC 9051's grammar has no space between the
   * bodies of a multipart (body-type-mpart = 1*body SP ...) nor between the addresses of a list
   * ("(" 1*address ")"); strict clients and Dovecot's output have none.
   */
  | { concat: ImapValue[] };
