import { AppError } from '../common/app-error.js';

/** Longest mailbox name kept, in UTF-8 bytes (Dovecot's default limit is about this size). */
export const MAX_MAILBOX_NAME_BYTES = 1000;

/**
 * A mailbox name as stored: full UTF-8 name, "/" as the hierarchy delimiter, INBOX spelled "INBOX"
 * whatever its case (RFC 9051 §5.1). For a name being created (`isNew`): a trailing delimiter is
 * dropped (RFC 9051 §6.3.4: it only says the client means a parent), and names LIST could not
 * return faithfully are refused (CANNOT): empty levels ("a//b"), control characters, the LIST
 * wildcards "%" and "*" (RFC 9051 §5.1.2 discourages them).
 */
export function normalizeMailboxName(name: string, isNew: boolean): string {
  let n = name;
  if (isNew) n = n.replace(/\/+$/, '');
  if (/^inbox$/i.test(n)) return 'INBOX';
  if (isNew) {
    if (n === '' || n.startsWith('/') || n.includes('//')) throw AppError.invalid('invalid mailbox name');
    if (/[\u0000-\u001f\u007f%*]/.test(n) || !(n as string & { isWellFormed(): boolean }).isWellFormed())
      throw AppError.invalid('invalid mailbox name');
    if (Buffer.byteLength(n) > MAX_MAILBOX_NAME_BYTES) throw AppError.invalid('mailbox name too long');
  }
  return n;
}

/** The superior names of a hierarchical name, outermost first: "a/b/c" → ["a", "a/b"]. */
export function parentNames(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
