import type { ImapCommand } from './command-types';
import { readFlag, readFlagList, readSequenceSet } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3):
 * STORE set [SP "(" UNCHANGEDSINCE n ")"] SP ["+"/"-"] FLAGS[.SILENT] SP (flag-list / flag *(SP flag)).
 */
export function parseStore(r: Reader, uid: boolean): ImapCommand {
  r.sp();
  const set = readSequenceSet(r);
  r.sp();
  let unchangedSince: bigint | undefined;
  if (r.peek() === '(') {
    r.list(() => {
      const name = r.atom('store modifier').toUpperCase();
      if (name !== 'UNCHANGEDSINCE') r.fail(`Unknown STORE modifier ${name}`);
      r.sp();
      unchangedSince = r.modseq(true);
    });
    r.sp();
  }
  const item = r.take(/[A-Za-z.+-]/, 'store item').toUpperCase();
  const match = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
  if (!match) return r.fail(`Invalid STORE item ${item}`);
  r.sp();
  let flags: string[];
  if (r.peek() === '(') flags = readFlagList(r);
  else {
    flags = [readFlag(r)];
    while (r.peek() === ' ') {
      r.sp();
      flags.push(readFlag(r));
    }
  }
  r.end();
  const op = match[1] === '+' ? 'add' : match[1] === '-' ? 'remove' : 'replace';
  return {
    name: 'STORE',
    uid,
    set,
    ...(unchangedSince !== undefined ? { unchangedSince } : {}),
    op,
    silent: match[2] !== undefined,
    flags,
  };
}
