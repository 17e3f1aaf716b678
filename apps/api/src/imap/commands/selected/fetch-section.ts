import type { BodyPart, MessageStructure, SectionSpec } from '@correio/imap-protocol';

/**
 * Where a BODY[section] (RFC 9051 §6.4.5) lives in the raw message, from the kept structure: a byte
 * range [start, end) to read from the blob store, or undefined when the part does not exist.
 * HEADER.FIELDS (.NOT) ranges cover the whole header block; the caller filters it.
 */
export interface SectionRange {
  start: number;
  end: number;
  /** Set for HEADER.FIELDS / HEADER.FIELDS.NOT: filter the header block. */
  fields?: { names: string[]; isNot: boolean };
}

/**
 * The entity a part path names. RFC 9051 §6.4.5: the parts of a multipart are numbered 1..n; a
 * message/rfc822 part's numbers continue into the encapsulated message; a non-multipart body has
 * one part, 1 (also for the top-level message).
 */
export function findPart(root: BodyPart, path: readonly number[]): BodyPart | undefined {
  let part: BodyPart = root;
  let isTop = true;
  for (const n of path) {
    // Numbers inside a message/rfc822 part address its encapsulated message's parts.
    const container = !isTop && part.message ? part.message.body : part;
    isTop = false;
    if (container.children) {
      const child = container.children[n - 1];
      if (!child) return undefined;
      part = child;
    } else if (n === 1) {
      part = container;
    } else {
      return undefined;
    }
  }
  return part;
}

export function sectionRange(structure: MessageStructure, section: SectionSpec, messageSize: number): SectionRange | undefined {
  const root = structure.body;
  if (section.part.length === 0) {
    switch (section.text) {
      case undefined:
        return { start: 0, end: messageSize };
      case 'TEXT':
        return { start: root.bodyStart, end: messageSize };
      case 'MIME':
        return undefined;
      default:
        return headerRange(root, section);
    }
  }
  const part = findPart(root, section.part);
  if (!part) return undefined;
  switch (section.text) {
    case undefined:
      return { start: part.bodyStart, end: part.bodyEnd };
    case 'MIME':
      return { start: part.headerStart, end: part.bodyStart };
    case 'TEXT': {
      const inner = part.message?.body;
      return inner ? { start: inner.bodyStart, end: inner.bodyEnd } : undefined;
    }
    default: {
      // HEADER and HEADER.FIELDS of a part are those of an encapsulated message (message/rfc822).
      const inner = part.message?.body;
      return inner ? headerRange(inner, section) : undefined;
    }
  }
}

function headerRange(entity: BodyPart, section: SectionSpec): SectionRange {
  const range: SectionRange = { start: entity.headerStart, end: entity.bodyStart };
  if (section.text === 'HEADER.FIELDS' || section.text === 'HEADER.FIELDS.NOT') {
    range.fields = { names: (section.fields ?? []).map((f) => f.toLowerCase()), isNot: section.text === 'HEADER.FIELDS.NOT' };
  }
  return range;
}

/** "1.2.HEADER.FIELDS (DATE FROM)" — the section as echoed in the response (RFC 9051 §7.5.2). */
export function formatSection(section: SectionSpec): string {
  const parts = section.part.map(String);
  if (section.text) {
    parts.push(section.fields ? `${section.text} (${section.fields.join(' ')})` : section.text);
  }
  return parts.join('.');
}

/**
 * The fields of a header block whose names are (or, for .NOT, are not) in `names`, folded lines
 * kept, followed by the empty line that ends a header (RFC 9051 §6.4.5: "the delimiting blank line
 * ... is included").
 */
export function filterHeaderBlock(block: Buffer, names: readonly string[], isNot: boolean): Buffer {
  const wanted = new Set(names);
  const kept: Buffer[] = [];
  let isKeeping = false;
  let pos = 0;
  while (pos < block.length) {
    let eol = block.indexOf(0x0a, pos);
    eol = eol < 0 ? block.length : eol + 1;
    const line = block.subarray(pos, eol);
    pos = eol;
    if (line.length === 0 || line[0] === 0x0d || line[0] === 0x0a) break;
    if (line[0] !== 0x20 && line[0] !== 0x09) {
      const colon = line.indexOf(0x3a);
      const name = (colon < 0 ? '' : line.subarray(0, colon).toString('latin1')).trim().toLowerCase();
      isKeeping = wanted.has(name) !== isNot && colon > 0;
    }
    if (isKeeping) kept.push(line);
  }
  kept.push(Buffer.from('\r\n'));
  return Buffer.concat(kept);
}
