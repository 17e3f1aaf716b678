import type { ImapCommand, ParseContext, StatusItem } from './command-types';
import { decodeMailbox, readMailbox } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * LIST (RFC 9051 §6.3.9, extended RFC 5258 with STATUS RFC 5819 and SPECIAL-USE RFC 6154), LSUB,
 * STATUS (RFC 9051 §6.3.11, SIZE RFC 8438, APPENDLIMIT RFC 7889) and CREATE with USE (RFC 6154 §3).
 */

type ListCommand = Extract<ImapCommand, { name: 'LIST' }>;

/** list-mailbox = 1*list-char / string; list-char = ATOM-CHAR / "%" / "*" / "]". */
function readListMailbox(r: Reader, ctx: ParseContext): string {
  if (r.peek() === '"' || r.isAtLiteral()) return decodePattern(r, r.string('mailbox pattern'), ctx);
  return decodePattern(r, r.take(/[^\x00-\x20\x7f(){"\\]/, 'mailbox pattern'), ctx);
}

/** A pattern is decoded like a name, but "inbox" stays as typed: it may be a prefix ("inbox*"). */
function decodePattern(r: Reader, raw: string, ctx: ParseContext): string {
  return raw === '' ? '' : decodeMailbox(r, raw, ctx);
}

export function parseList(r: Reader, ctx: ParseContext): ImapCommand {
  const select = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  const ret: ListCommand['return'] = { subscribed: false, children: false, specialUse: false };
  let isExtended = false;
  r.sp();
  if (r.peek() === '(') {
    isExtended = true;
    r.list(() => {
      const option = r.atom('selection option').toUpperCase();
      if (option === 'SUBSCRIBED') select.subscribed = true;
      else if (option === 'REMOTE') select.remote = true;
      else if (option === 'RECURSIVEMATCH') select.recursiveMatch = true;
      else if (option === 'SPECIAL-USE') select.specialUse = true;
      else r.fail(`Unknown LIST selection option ${option}`);
    }, true);
    // RFC 5258 §3: RECURSIVEMATCH alone (or with only REMOTE) is a syntax error.
    if (select.recursiveMatch && !select.subscribed && !select.specialUse) r.fail('RECURSIVEMATCH needs another selection option');
    r.sp();
  }
  const reference = r.astring('reference');
  r.sp();
  const patterns: string[] = [];
  if (r.peek() === '(') {
    isExtended = true;
    r.list(() => patterns.push(readListMailbox(r, ctx)));
  } else patterns.push(readListMailbox(r, ctx));
  if (/^ RETURN /i.test(r.rest())) {
    isExtended = true;
    r.skip(8);
    r.list(() => {
      const option = r.atom('return option').toUpperCase();
      if (option === 'SUBSCRIBED') ret.subscribed = true;
      else if (option === 'CHILDREN') ret.children = true;
      else if (option === 'SPECIAL-USE') ret.specialUse = true;
      else if (option === 'STATUS') {
        r.sp();
        ret.status = readStatusItems(r);
      } else r.fail(`Unknown LIST return option ${option}`);
    }, true);
  }
  r.end();
  return { name: 'LIST', reference: reference === '' ? '' : decodeMailbox(r, reference, ctx), patterns, select, return: ret, isExtended };
}

export function parseLsub(r: Reader, ctx: ParseContext): ImapCommand {
  r.sp();
  const reference = r.astring('reference');
  r.sp();
  const pattern = readListMailbox(r, ctx);
  r.end();
  return { name: 'LSUB', reference: reference === '' ? '' : decodeMailbox(r, reference, ctx), pattern };
}

const STATUS_ITEMS = new Set<string>([
  'MESSAGES',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'SIZE',
  'RECENT',
  'HIGHESTMODSEQ',
  'APPENDLIMIT',
]);

/** "(" status-att *(SP status-att) ")". */
export function readStatusItems(r: Reader): StatusItem[] {
  const items: StatusItem[] = [];
  r.list(() => {
    const item = r.atom('status item').toUpperCase();
    if (!STATUS_ITEMS.has(item)) r.fail(`Unknown STATUS item ${item}`);
    if (!items.includes(item as StatusItem)) items.push(item as StatusItem);
  });
  return items;
}

export function parseStatus(r: Reader, ctx: ParseContext): ImapCommand {
  r.sp();
  const mailbox = readMailbox(r, ctx);
  r.sp();
  const items = readStatusItems(r);
  r.end();
  return { name: 'STATUS', mailbox, items };
}

/** CREATE mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"] (RFC 6154 §3, RFC 4466 create-param). */
export function parseCreate(r: Reader, ctx: ParseContext): ImapCommand {
  r.sp();
  const mailbox = readMailbox(r, ctx);
  const specialUse: string[] = [];
  if (r.peek() === ' ') {
    r.sp();
    r.list(() => {
      const param = r.atom('CREATE parameter').toUpperCase();
      if (param !== 'USE') r.fail(`Unknown CREATE parameter ${param}`);
      r.sp();
      r.list(() => {
        r.expect('\\', 'Invalid special-use attribute');
        specialUse.push(normaliseUse(`\\${r.atom('special-use attribute')}`));
      }, true);
    });
  }
  r.end();
  return { name: 'CREATE', mailbox, specialUse };
}

const USES = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash', '\\Important'];

function normaliseUse(attr: string): string {
  return USES.find((u) => u.toUpperCase() === attr.toUpperCase()) ?? attr;
}
