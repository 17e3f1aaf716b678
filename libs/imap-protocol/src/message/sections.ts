import type { Partial, SectionSpec } from '../command-types';
import type { BodyPart, MessageStructure } from '../message-types';

/**
 * BODY[section] (RFC 9051 §6.4.5) as a byte range of the raw message, so FETCH streams it from the
 * blob store. Part numbers: in a multipart, n is the n-th child; a message/rfc822 part's subparts are
 * those of the message it encapsulates; a non-multipart message (top level or encapsulated) has
 * only part 1, its body. HEADER, HEADER.FIELDS(.NOT) and TEXT apply to the top-level message or to
 * a message/rfc822 part; MIME to a part's own header block.
 */
export interface SectionRange {
  start: number;
  end: number;
  /** HEADER.FIELDS (.NOT): send filterHeaderFields(bytes[start, end), fields, not) instead of the range. */
  headerFields?: { fields: string[]; not: boolean };
}

/** null: the part does not exist, which FETCH answers with an empty string (RFC 9051 §6.4.5). */
export function sectionRange(structure: MessageStructure, section: SectionSpec): SectionRange | null {
  const root = structure.body;
  if (section.part.length === 0) {
    if (section.text === undefined) return { start: 0, end: root.bodyEnd };
    return messageSection(root, section);
  }
  const part = findPart(structure, section.part);
  if (part === null) return null;
  switch (section.text) {
    case undefined:
      return { start: part.bodyStart, end: part.bodyEnd };
    case 'MIME':
      return { start: part.headerStart, end: part.bodyStart };
    default:
      // HEADER/TEXT of a part exist only when it is a message/rfc822 (RFC 9051 §6.4.5).
      return part.message ? messageSection(part.message.body, section) : null;
  }
}

/** HEADER, HEADER.FIELDS(.NOT), TEXT of a message whose root entity is `root`. */
function messageSection(root: BodyPart, section: SectionSpec): SectionRange | null {
  switch (section.text) {
    case 'HEADER':
      return { start: root.headerStart, end: root.bodyStart };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return {
        start: root.headerStart,
        end: root.bodyStart,
        headerFields: { fields: section.fields ?? [], not: section.text === 'HEADER.FIELDS.NOT' },
      };
    case 'TEXT':
      return { start: root.bodyStart, end: root.bodyEnd };
    default:
      return null;
  }
}

/** The entity a part path names (RFC 9051 §6.4.5), or null when there is none. */
export function findPart(structure: MessageStructure, path: number[]): BodyPart | null {
  let message: BodyPart | null = structure.body; // the root entity of the message being descended
  let part: BodyPart | null = null;
  for (const n of path) {
    if (message !== null) {
      part = message.children ? (message.children[n - 1] ?? null) : n === 1 ? message : null;
    } else if (part?.children) {
      part = part.children[n - 1] ?? null;
    } else {
      part = null;
    }
    if (part === null) return null;
    // Into a message/rfc822 part: its subparts are those of the encapsulated message.
    message = part.message ? part.message.body : null;
  }
  return part;
}

/** <offset.length> (RFC 9051 §6.4.5): the slice [start, end) of a section of `length` bytes; empty past its end. */
export function applyPartial(length: number, partial: Partial | undefined): { start: number; end: number } {
  if (partial === undefined) return { start: 0, end: length };
  const start = Math.min(partial.offset, length);
  return { start, end: Math.min(length, start + partial.length) };
}
