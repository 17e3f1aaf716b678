import { encodeValuesText } from '../encode-value';
import type { BodyPart, Envelope } from '../message-types';
import type { ImapValue } from '../value-types';
import { ENVELOPE_FIELDS, computeEnvelope } from './envelope';
import { scanHeaderBlock } from './header-block';
import { MIME_LIMITS } from './mime-limits';
import { bodyStructureValue, envelopeValue } from './values';

/**
 * ENVELOPE, BODY and BODYSTRUCTURE of a kept MessageStructure as the exact response text FETCH
 * sends (RFC 9051 §7.5.2), computed once and kept so a full sync writes them as they are instead
 * of building and encoding a value tree per message.
 *
 * The text depends on the session's mode: without UTF8=ACCEPT / IMAP4rev2 a string with 8-bit
 * characters must go as a literal (RFC 6855 §3; RFC 9051 §4.3), after it as a quoted UTF-8 string.
 * The `*Utf8` forms are null when they equal the plain ones (the usual, all-ASCII case).
 * Every form is valid UTF-8 text (strings are encoded from JS strings), so a text column keeps it.
 */
export interface EnvelopeForms {
  envelope: string;
  envelopeUtf8: string | null;
}

export interface BodyForms {
  body: string;
  bodyUtf8: string | null;
  bodyStructure: string;
  bodyStructureUtf8: string | null;
}

/** Any character outside US-ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

function both(value: ImapValue): [string, string | null] {
  const plain = encodeValuesText([value], { utf8: false });
  // The two modes differ only for strings with 8-bit characters, which the plain form carries as
  // literals of their UTF-8 bytes: an all-ASCII plain form is the UTF-8 form too (the usual case,
  // so delivery computes one encoding, not two).
  if (!NON_ASCII.test(plain)) return [plain, null];
  const utf8 = encodeValuesText([value], { utf8: true });
  return [plain, utf8 === plain ? null : utf8];
}

export function envelopeForms(envelope: Envelope): EnvelopeForms {
  const [plain, utf8] = both(envelopeValue(envelope));
  return { envelope: plain, envelopeUtf8: utf8 };
}

/**
 * The ENVELOPE text of a raw message, read from its top-level header block only (what
 * computeMessageStructure's envelope would give, without walking the MIME tree), so a store can keep
 * it when the message arrives instead of on its first FETCH. Null when a form holds a NUL: a text
 * column cannot keep it and a quoted string cannot carry it (RFC 9051 §4.3), so FETCH takes the
 * general path for that message.
 */
export function rawEnvelopeForms(raw: Buffer): EnvelopeForms | null {
  const { fields } = scanHeaderBlock(raw, 0, raw.length, MIME_LIMITS.maxHeaderBytes, ENVELOPE_FIELDS);
  const forms = envelopeForms(computeEnvelope(fields));
  return forms.envelope.includes('\0') || forms.envelopeUtf8?.includes('\0') ? null : forms;
}

export function bodyForms(body: BodyPart): BodyForms {
  const [plain, utf8] = both(bodyStructureValue(body, false));
  const [structure, structureUtf8] = both(bodyStructureValue(body, true));
  return { body: plain, bodyUtf8: utf8, bodyStructure: structure, bodyStructureUtf8: structureUtf8 };
}
