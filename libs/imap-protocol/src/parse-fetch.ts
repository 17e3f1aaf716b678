import type { FetchItem, ImapCommand, Partial, SectionSpec } from './command-types';
import { readSequenceSet } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * FETCH (RFC 9051 §6.4.5) with BINARY (RFC 3516 §4.2) and the CONDSTORE/QRESYNC modifiers
 * (RFC 7162 §3.1.4, §3.2.6). Macros are expanded here. The handler still adds UID to UID FETCH
 * responses and MODSEQ when CHANGEDSINCE is given (RFC 7162 §3.1.4.1); the parser keeps what was asked.
 */

const MACROS: Record<string, FetchItem[]> = {
  ALL: [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }],
  FAST: [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }],
  FULL: [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }, { type: 'BODY' }],
};

const SIMPLE = new Set([
  'UID',
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODYSTRUCTURE',
  'BODY',
  'MODSEQ',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
]);

export function parseFetch(r: Reader, uid: boolean): ImapCommand {
  r.sp();
  const set = readSequenceSet(r);
  r.sp();
  let items: FetchItem[];
  if (r.peek() === '(') {
    items = [];
    r.list(() => items.push(readFetchItem(r)));
  } else {
    const save = r.rest();
    const macro = /^[A-Za-z]+/.exec(save)?.[0].toUpperCase();
    const next = save[macro?.length ?? 0];
    if (macro && MACROS[macro] && (next === undefined || next === ' ')) {
      r.skip(macro.length);
      items = [...(MACROS[macro] as FetchItem[])];
    } else items = [readFetchItem(r)];
  }
  let changedSince: bigint | undefined;
  let vanished = false;
  if (r.peek() === ' ') {
    r.sp();
    r.list(() => {
      const name = r.atom('fetch modifier').toUpperCase();
      if (name === 'CHANGEDSINCE') {
        r.sp();
        // RFC 7162 §3.1.4.1 says mod-sequence-value (≥ 1); 0 is accepted as "everything", as clients send it.
        changedSince = r.modseq(true);
      } else if (name === 'VANISHED') vanished = true;
      else r.fail(`Unknown FETCH modifier ${name}`);
    });
  }
  r.end();
  // RFC 7162 §3.2.6: VANISHED only with UID FETCH and CHANGEDSINCE.
  if (vanished && (!uid || changedSince === undefined)) r.fail('VANISHED requires UID FETCH and CHANGEDSINCE');
  return { name: 'FETCH', uid, set, items, ...(changedSince !== undefined ? { changedSince } : {}), vanished };
}

function readFetchItem(r: Reader): FetchItem {
  const name = r.take(/[A-Za-z0-9.]/, 'fetch item').toUpperCase();
  if (r.peek() === '[') {
    if (name === 'BODY' || name === 'BODY.PEEK') {
      const section = readSection(r);
      const partial = readPartial(r);
      return { type: 'BODY[]', peek: name === 'BODY.PEEK', section, ...(partial ? { partial } : {}) };
    }
    if (name === 'BINARY' || name === 'BINARY.PEEK' || name === 'BINARY.SIZE') {
      const part = readBinaryPart(r);
      if (name === 'BINARY.SIZE') return { type: 'BINARY.SIZE', part };
      const partial = readPartial(r);
      return { type: 'BINARY[]', peek: name === 'BINARY.PEEK', part, ...(partial ? { partial } : {}) };
    }
    return r.fail(`Invalid fetch item ${name}`);
  }
  if (MACROS[name]) r.fail(`${name} must be used alone, not in a list`);
  if (!SIMPLE.has(name)) r.fail(`Unknown fetch item ${name}`);
  return { type: name } as FetchItem;
}

/** section = "[" [section-spec] "]" (RFC 9051 §9). */
function readSection(r: Reader): SectionSpec {
  r.expect('[');
  const part: number[] = [];
  let hasDot = false;
  while (/^[0-9]/.test(r.peek())) {
    part.push(r.nzNumber('section part'));
    hasDot = r.accept('.');
    if (!hasDot) break;
  }
  let spec: SectionSpec = { part };
  if (r.peek() !== ']') {
    if (part.length > 0 && !hasDot) r.fail('Invalid section');
    const text = r.take(/[A-Za-z.]/, 'section').toUpperCase();
    if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
      r.sp();
      const fields: string[] = [];
      r.list(() => fields.push(r.astring('header field name').toUpperCase()));
      spec = { part, text, fields };
    } else if (text === 'HEADER' || text === 'TEXT' || (text === 'MIME' && part.length > 0)) {
      spec = { part, text };
    } else r.fail(`Invalid section ${text}`);
  } else if (hasDot) r.fail('Invalid section');
  r.expect(']', 'Expected "]"');
  return spec;
}

/** section-binary = "[" [section-part] "]" (RFC 3516). */
function readBinaryPart(r: Reader): number[] {
  r.expect('[');
  const part: number[] = [];
  if (r.peek() !== ']') {
    part.push(r.nzNumber('section part'));
    while (r.accept('.')) part.push(r.nzNumber('section part'));
  }
  r.expect(']', 'Expected "]"');
  return part;
}

/** partial = "<" number "." nz-number ">" (RFC 9051 §9). */
function readPartial(r: Reader): Partial | undefined {
  if (!r.accept('<')) return undefined;
  const offset = r.number('partial offset');
  r.expect('.', 'Invalid partial');
  const length = r.nzNumber('partial length');
  r.expect('>', 'Invalid partial');
  return { offset, length };
}
