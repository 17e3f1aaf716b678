import type { ImapCommand, SortCriterion } from './command-types';
import type { Reader } from './parse-reader';
import { readSearchKeys, readSearchReturn } from './parse-search';

/**
 * SORT and THREAD (RFC 5256 §3, ESORT RETURN RFC 5267 §3.2, DISPLAY keys RFC 5957):
 * SORT [SP RETURN (...)] SP "(" [REVERSE SP] key *(...) ")" SP charset 1*(SP search-key);
 * THREAD SP algorithm SP charset 1*(SP search-key).
 */

const SORT_KEYS = new Set(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);

export function parseSort(r: Reader, uid: boolean): ImapCommand {
  const ret = readSearchReturn(r);
  r.sp();
  const criteria: SortCriterion[] = [];
  r.list(() => {
    let word = r.atom('sort key').toUpperCase();
    const reverse = word === 'REVERSE';
    if (reverse) {
      r.sp();
      word = r.atom('sort key').toUpperCase();
    }
    if (!SORT_KEYS.has(word)) r.fail(`Unknown sort key ${word}`);
    criteria.push({ key: word as SortCriterion['key'], reverse });
  });
  r.sp();
  const charset = r.astring('charset');
  r.sp();
  const search = readSearchKeys(r);
  r.end();
  return { name: 'SORT', uid, criteria, charset, return: ret ?? [], isEsearch: ret !== undefined, search };
}

export function parseThread(r: Reader, uid: boolean): ImapCommand {
  r.sp();
  const algorithm = r.atom('thread algorithm').toUpperCase();
  if (algorithm !== 'REFERENCES' && algorithm !== 'ORDEREDSUBJECT') r.fail(`Unknown THREAD algorithm ${algorithm}`);
  r.sp();
  const charset = r.astring('charset');
  r.sp();
  const search = readSearchKeys(r);
  r.end();
  return { name: 'THREAD', uid, algorithm, charset, search };
}
