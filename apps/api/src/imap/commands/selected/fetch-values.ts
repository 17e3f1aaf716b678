import type { BodyPart, Envelope, EnvelopeAddress, ImapValue } from '@correio/imap-protocol';

/** RFC 9051 §7.5.2 ENVELOPE and BODY/BODYSTRUCTURE as response values, from the kept structure. */

const str = (s: string | null): ImapValue => (s === null ? null : { string: s });

function addresses(list: EnvelopeAddress[] | null): ImapValue {
  if (!list || list.length === 0) return null;
  return list.map((a) => [str(a.name), str(a.adl), str(a.mailbox), str(a.host)]);
}

export function envelopeValue(e: Envelope): ImapValue {
  // RFC 9051 §7.5.2: sender and reply-to default to from when absent.
  const from = addresses(e.from);
  const sender = e.sender?.length ? addresses(e.sender) : from;
  const replyTo = e.replyTo?.length ? addresses(e.replyTo) : from;
  return [
    str(e.date),
    str(e.subject),
    from,
    sender,
    replyTo,
    addresses(e.to),
    addresses(e.cc),
    addresses(e.bcc),
    str(e.inReplyTo),
    str(e.messageId),
  ];
}

function params(p: Record<string, string>): ImapValue {
  const entries = Object.entries(p);
  return entries.length === 0 ? null : entries.flatMap(([k, v]) => [{ string: k }, { string: v }]);
}

function extension(part: BodyPart): ImapValue[] {
  const disposition: ImapValue = part.disposition ? [{ string: part.disposition.type }, params(part.disposition.params)] : null;
  const language: ImapValue = part.language?.length ? part.language.map((l) => ({ string: l })) : null;
  return [disposition, language, str(part.location)];
}

/** BODYSTRUCTURE (extensible = true) or BODY (the non-extensible form). */
export function bodyStructureValue(part: BodyPart, extensible: boolean): ImapValue {
  if (part.children && part.children.length > 0) {
    const list: ImapValue[] = part.children.map((c) => bodyStructureValue(c, extensible));
    list.push({ string: part.subtype });
    if (extensible) list.push(params(part.params), ...extension(part));
    return list;
  }
  const list: ImapValue[] = [
    { string: part.type },
    { string: part.subtype },
    params(part.params),
    str(part.id),
    str(part.description),
    { string: part.encoding },
    part.size,
  ];
  if (part.message) {
    list.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.body, extensible), part.lines ?? 0);
  } else if (part.type === 'text') {
    list.push(part.lines ?? 0);
  }
  if (extensible) list.push(str(part.md5), ...extension(part));
  return list;
}
