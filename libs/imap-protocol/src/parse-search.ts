import type { ImapCommand, SearchKey, SearchReturn } from './command-types';
import { readDate, readFlag, readSequenceSet } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * SEARCH (RFC 9051 §6.4.4) with ESEARCH return options (RFC 4731), SAVE (RFC 5182), MODSEQ
 * (RFC 7162 §3.1.5) and OLDER/YOUNGER (RFC 5032). Several keys at the top level or in parentheses
 * are ANDed.
 */

/** NOT NOT NOT … recurses without parentheses, which the receiver's nesting limit does not see. */
const MAX_DEPTH = 64;

export function parseSearch(r: Reader, uid: boolean): ImapCommand {
  const ret = readSearchReturn(r);
  r.sp();
  let charset: string | undefined;
  if (/^CHARSET /i.test(r.rest())) {
    r.skip(8);
    charset = r.astring('charset');
    r.sp();
  }
  const criteria = readSearchKeys(r);
  r.end();
  return { name: 'SEARCH', uid, ...(charset !== undefined ? { charset } : {}), return: ret ?? [], isEsearch: ret !== undefined, criteria };
}

/**
 * [SP "RETURN" SP "(" [opt *(SP opt)] ")"]; undefined when absent. RFC 4731 §3.1: an empty list
 * means ALL.
 */
export function readSearchReturn(r: Reader): SearchReturn[] | undefined {
  if (!/^ RETURN /i.test(r.rest())) return undefined;
  r.skip(8);
  const options: SearchReturn[] = [];
  r.list(() => {
    const option = r.atom('return option').toUpperCase();
    if (!['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE'].includes(option)) r.fail(`Unknown RETURN option ${option}`);
    if (!options.includes(option as SearchReturn)) options.push(option as SearchReturn);
  }, true);
  return options.length === 0 ? ['ALL'] : options;
}

/** search-key *(SP search-key) up to the end of the command or a ")". */
export function readSearchKeys(r: Reader, depth = 0): SearchKey {
  const keys: SearchKey[] = [readSearchKey(r, depth)];
  while (r.peek() === ' ') {
    r.sp();
    keys.push(readSearchKey(r, depth));
  }
  return keys.length === 1 ? (keys[0] as SearchKey) : { type: 'and', keys };
}

const FLAG_KEYS: Record<string, Extract<SearchKey, { type: 'flag' }>> = {
  ANSWERED: { type: 'flag', flag: '\\Answered', isSet: true },
  DELETED: { type: 'flag', flag: '\\Deleted', isSet: true },
  DRAFT: { type: 'flag', flag: '\\Draft', isSet: true },
  FLAGGED: { type: 'flag', flag: '\\Flagged', isSet: true },
  SEEN: { type: 'flag', flag: '\\Seen', isSet: true },
  RECENT: { type: 'flag', flag: '\\Recent', isSet: true },
  UNANSWERED: { type: 'flag', flag: '\\Answered', isSet: false },
  UNDELETED: { type: 'flag', flag: '\\Deleted', isSet: false },
  UNDRAFT: { type: 'flag', flag: '\\Draft', isSet: false },
  UNFLAGGED: { type: 'flag', flag: '\\Flagged', isSet: false },
  UNSEEN: { type: 'flag', flag: '\\Seen', isSet: false },
};

const DATE_KEYS: Record<string, Pick<Extract<SearchKey, { type: 'date' }>, 'field' | 'op'>> = {
  BEFORE: { field: 'internal', op: 'before' },
  ON: { field: 'internal', op: 'on' },
  SINCE: { field: 'internal', op: 'since' },
  SENTBEFORE: { field: 'sent', op: 'before' },
  SENTON: { field: 'sent', op: 'on' },
  SENTSINCE: { field: 'sent', op: 'since' },
};

const ADDRESS_KEYS = new Set(['FROM', 'TO', 'CC', 'BCC', 'SUBJECT']);

function readSearchKey(r: Reader, depth: number): SearchKey {
  if (depth > MAX_DEPTH) r.fail('Search program nested too deeply');
  const c = r.peek();
  if (c === '(') {
    r.skip(1);
    const key = readSearchKeys(r, depth + 1);
    r.expect(')', 'Unbalanced parentheses in search program');
    return key;
  }
  if (/[0-9*$]/.test(c)) return { type: 'seq', set: readSequenceSet(r) };
  const name = r.atom('search key').toUpperCase();
  const flag = FLAG_KEYS[name];
  if (flag) return { ...flag };
  const date = DATE_KEYS[name];
  if (date) {
    r.sp();
    return { type: 'date', ...date, date: readDate(r) };
  }
  if (ADDRESS_KEYS.has(name)) {
    r.sp();
    return { type: 'header', field: name, value: r.astring('search string') };
  }
  switch (name) {
    case 'ALL':
      return { type: 'all' };
    case 'NEW':
      return { type: 'new' };
    case 'OLD':
      return { type: 'old' };
    case 'BODY':
    case 'TEXT':
      r.sp();
      return { type: name === 'BODY' ? 'body' : 'text', value: r.astring('search string') };
    case 'HEADER': {
      r.sp();
      const field = r.astring('header field name').toUpperCase();
      r.sp();
      return { type: 'header', field, value: r.astring('search string') };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      r.sp();
      const keyword = readFlag(r);
      return { type: 'keyword', keyword, isSet: name === 'KEYWORD' };
    }
    case 'LARGER':
    case 'SMALLER':
      r.sp();
      return { type: 'size', op: name === 'LARGER' ? 'larger' : 'smaller', bytes: r.number('size') };
    case 'OLDER':
    case 'YOUNGER':
      r.sp();
      return { type: 'within', op: name === 'OLDER' ? 'older' : 'younger', seconds: r.nzNumber('interval') };
    case 'NOT':
      r.sp();
      return { type: 'not', key: readSearchKey(r, depth + 1) };
    case 'OR': {
      r.sp();
      const left = readSearchKey(r, depth + 1);
      r.sp();
      return { type: 'or', left, right: readSearchKey(r, depth + 1) };
    }
    case 'UID':
      r.sp();
      return { type: 'uid', set: readSequenceSet(r) };
    case 'MODSEQ':
      return readModseq(r);
    default:
      return r.fail(`Unknown search key ${name}`);
  }
}

/**
 * RFC 7162 §3.1.5: MODSEQ [SP entry-name SP entry-type-req] SP mod-sequence-valzer. The entry
 * (a flag's per-flag modseq) is read and ignored: the store keeps one modseq per message, which is
 * what RFC 7162 §3.1.5 allows a server without per-flag modseqs to use.
 */
function readModseq(r: Reader): SearchKey {
  r.sp();
  if (r.peek() === '"') {
    const entry = r.quoted();
    if (!/^\/flags\/\\?[^\s]+$/i.test(entry)) r.fail('Invalid MODSEQ entry name');
    r.sp();
    const type = r.atom('entry type').toLowerCase();
    if (!['priv', 'shared', 'all'].includes(type)) r.fail('Invalid MODSEQ entry type');
    r.sp();
  }
  return { type: 'modseq', modseq: r.modseq(true) };
}
