import { encodeValues } from '../encode-value';
import type { MessageStructure } from '../message-types';
import { bodyStructureValue, envelopeValue } from './values';

/**
 * ENVELOPE, BODY and BODYSTRUCTURE of a kept MessageStructure as the exact response text FETCH
 * sends (RFC 9051 §7.5.2), computed once and kept beside the structure so a full sync writes them
 * as they are instead of building and encoding a value tree per message.
 *
 * The text depends on the session's mode: without UTF8=ACCEPT / IMAP4rev2 a string with 8-bit
 * characters must go as a literal (RFC 6855 §3; RFC 9051 §4.3), after it as a quoted UTF-8 string.
 * The `*Utf8` forms are null when they equal the plain ones (the usual, all-ASCII case).
 * Every form is valid UTF-8 text (strings are encoded from JS strings), so a text column keeps it.
 */
export interface WireForms {
  envelope: string;
  envelopeUtf8: string | null;
  body: string;
  bodyUtf8: string | null;
  bodyStructure: string;
  bodyStructureUtf8: string | null;
}

function both(value: Parameters<typeof encodeValues>[0][number]): [string, string | null] {
  const plain = encodeValues([value], { utf8: false }).toString('utf8');
  const utf8 = encodeValues([value], { utf8: true }).toString('utf8');
  return [plain, utf8 === plain ? null : utf8];
}

export function wireForms(structure: MessageStructure): WireForms {
  const [envelope, envelopeUtf8] = both(envelopeValue(structure.envelope));
  const [body, bodyUtf8] = both(bodyStructureValue(structure.body, false));
  const [bodyStructure, bodyStructureUtf8] = both(bodyStructureValue(structure.body, true));
  return { envelope, envelopeUtf8, body, bodyUtf8, bodyStructure, bodyStructureUtf8 };
}
