import type { Envelope, EnvelopeAddress } from '../message-types';
import type { SortInput } from './thread-types';

/**
 * The SORT/THREAD inputs that come from the kept ENVELOPE (for the store to fill ImapSortFields
 * without re-reading the message). References is not in the envelope: pass the header's value
 * (parseReferences reads it). Names stay as sent; sortMessages decodes them for DISPLAYFROM/TO.
 */
export type EnvelopeSortFields = Pick<
  SortInput,
  'sentDate' | 'subject' | 'fromAddress' | 'fromName' | 'toAddress' | 'toName' | 'ccAddress' | 'messageId' | 'inReplyTo'
>;

/**
 * RFC 5256's "first address": the first entry of the ENVELOPE list, which for "team: a@b;" is the
 * group marker (its addr-mailbox is the group name), as Dovecot reads it.
 */
function firstAddress(list: EnvelopeAddress[] | null): EnvelopeAddress | undefined {
  return list?.[0];
}

function addressText(a: EnvelopeAddress | undefined): string {
  if (!a) return '';
  return a.host === null || a.host === '' ? (a.mailbox ?? '') : `${a.mailbox ?? ''}@${a.host}`;
}

/** RFC 5322 Date → Date, or null when missing or unparsable (RFC 5256 then sorts on the internal date). */
export function parseSentDate(value: string | null): Date | null {
  if (value === null) return null;
  const time = Date.parse(value.replace(/\s+/g, ' '));
  return Number.isNaN(time) ? null : new Date(time);
}

export function sortFieldsFromEnvelope(envelope: Envelope): EnvelopeSortFields {
  const from = firstAddress(envelope.from);
  const to = firstAddress(envelope.to);
  return {
    sentDate: parseSentDate(envelope.date),
    subject: envelope.subject ?? '',
    fromAddress: addressText(from),
    fromName: from?.name ?? '',
    toAddress: addressText(to),
    toName: to?.name ?? '',
    ccAddress: addressText(firstAddress(envelope.cc)),
    messageId: envelope.messageId,
    inReplyTo: envelope.inReplyTo,
  };
}

/** The message IDs of a References (or In-Reply-To) header, in order. */
export function parseReferences(value: string | null | undefined): string[] {
  return value ? (value.match(/<[^<>]*>/g) ?? []).map((id) => id.replace(/\s+/g, '')).filter((id) => id.length > 2) : [];
}
