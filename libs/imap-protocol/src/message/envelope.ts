import type { Envelope } from '../message-types';
import { parseAddressList } from './address';
import { type HeaderField, headerValue } from './header-block';

/** The header fields computeEnvelope reads (lower-case). */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
  'date',
  'subject',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'in-reply-to',
  'message-id',
]);

/**
 * RFC 9051 §7.5.2 ENVELOPE from a message's header fields. Strings are the header values as sent,
 * unfolded and NOT RFC 2047-decoded (the RFC leaves decoding to the client, and Dovecot does the
 * same); a missing header is NIL. Sender and Reply-To default to From when absent or empty.
 */
export function computeEnvelope(fields: HeaderField[]): Envelope {
  const addresses = (name: string) => {
    const value = headerValue(fields, name);
    return value === undefined ? null : parseAddressList(value);
  };
  const from = addresses('from');
  return {
    date: nstring(headerValue(fields, 'date')),
    subject: nstring(headerValue(fields, 'subject')),
    from,
    sender: addresses('sender') ?? from,
    replyTo: addresses('reply-to') ?? from,
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    inReplyTo: nstring(headerValue(fields, 'in-reply-to')),
    messageId: nstring(headerValue(fields, 'message-id')),
  };
}

/** A present but empty header is "" (the value as sent), an absent one NIL. */
function nstring(value: string | undefined): string | null {
  return value === undefined ? null : value;
}
