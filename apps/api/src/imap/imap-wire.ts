import { encodeModifiedUtf7, encodeValues, type ImapValue } from '@correio/imap-protocol';
import type { ValuesEncoder } from './response-writer.js';

/** The lib's encoder bound to the session's UTF-8 mode (RFC 6855: 8-bit strings are literals until UTF8=ACCEPT). */
export function encodeValuesFor(isUtf8: () => boolean): ValuesEncoder {
  return (values) => encodeValues(values, { utf8: isUtf8() });
}

/** A mailbox name as the client expects it: UTF-8 once enabled, else modified UTF-7 (RFC 9051 §5.1.3, RFC 6855 §3). */
export function wireMailboxName(name: string, isUtf8: boolean): ImapValue {
  return { string: isUtf8 ? name : encodeModifiedUtf7(name) };
}
