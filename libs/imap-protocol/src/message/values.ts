import type { BodyPart, Envelope, EnvelopeAddress } from '../message-types';
import type { ImapValue } from '../value-types';

/**
 * ENVELOPE and BODY/BODYSTRUCTURE response values (RFC 9051 §7.5.2, §9 body grammar) from the
 * kept MessageStructure. Strings go out as kept (lower-case media types as Dovecot sends them);
 * the encoder picks quoted string or literal.
 */

function nstring(value: string | null): ImapValue {
  return value === null ? null : { string: value };
}

function addressList(list: EnvelopeAddress[] | null): ImapValue {
  if (list === null || list.length === 0) return null;
  // "(" 1*address ")": the addresses back to back, no space between them (RFC 9051 §9).
  return [{ concat: list.map((a) => [nstring(a.name), nstring(a.adl), nstring(a.mailbox), nstring(a.host)]) }];
}

/** env-date env-subject env-from env-sender env-reply-to env-to env-cc env-bcc env-in-reply-to env-message-id */
export function envelopeValue(env: Envelope): ImapValue {
  return [
    nstring(env.date),
    nstring(env.subject),
    addressList(env.from),
    addressList(env.sender),
    addressList(env.replyTo),
    addressList(env.to),
    addressList(env.cc),
    addressList(env.bcc),
    nstring(env.inReplyTo),
    nstring(env.messageId),
  ];
}

/** body-fld-param: NIL when there are none. */
function paramList(params: Record<string, string>): ImapValue {
  const entries = Object.entries(params);
  if (entries.length === 0) return null;
  const out: ImapValue[] = [];
  for (const [name, value] of entries) out.push({ string: name }, { string: value });
  return out;
}

function dispositionValue(part: BodyPart): ImapValue {
  return part.disposition === null ? null : [{ string: part.disposition.type }, paramList(part.disposition.params)];
}

/** body-fld-lang: always the list form (the grammar allows a lone string too; Dovecot sends a list). */
function languageValue(part: BodyPart): ImapValue {
  if (part.language === null || part.language.length === 0) return null;
  return part.language.map((tag) => ({ string: tag }));
}

/**
 * BODYSTRUCTURE (extensible = true) or BODY (false). A multipart lists its parts then its subtype
 * (body-type-mpart); a message/rfc822 part carries the encapsulated envelope, body and lines
 * (body-type-msg); text parts their lines (body-type-text). Extension data (md5, disposition,
 * language, location) only in BODYSTRUCTURE.
 */
export function bodyStructureValue(part: BodyPart, extensible: boolean): ImapValue {
  if (part.children && part.children.length > 0) {
    // body-type-mpart = 1*body SP media-subtype: the parts back to back, then one space.
    const out: ImapValue[] = [{ concat: part.children.map((child) => bodyStructureValue(child, extensible)) }];
    out.push({ string: part.subtype });
    if (extensible) out.push(paramList(part.params), dispositionValue(part), languageValue(part), nstring(part.location));
    return out;
  }
  const out: ImapValue[] = [
    { string: part.type },
    { string: part.subtype },
    paramList(part.params),
    nstring(part.id),
    nstring(part.description),
    { string: part.encoding },
    part.size,
  ];
  // body-type-msg only for message/rfc822: RFC 3501's grammar (what IMAP4rev1 clients parse) has no
  // message/global, so like Dovecot we send that one as a basic part.
  if (part.message && part.subtype === 'rfc822') {
    out.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.body, extensible), part.lines ?? 0);
  } else if (part.type === 'text') {
    out.push(part.lines ?? 0);
  }
  if (extensible) out.push(nstring(part.md5), dispositionValue(part), languageValue(part), nstring(part.location));
  return out;
}
