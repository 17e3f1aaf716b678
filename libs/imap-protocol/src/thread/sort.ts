import type { SortCriterion } from '../command-types';
import { decodeEncodedWords } from '../message/encoded-words';
import { collationKey, baseSubject } from './base-subject';
import type { SortInput } from './thread-types';

/**
 * SORT (RFC 5256 §3) and DISPLAYFROM/DISPLAYTO (RFC 5957). Strings compare by collationKey;
 * REVERSE flips one key; messages equal on every key keep mailbox (UID) order, never reversed.
 * Keys are computed once per message, not per comparison.
 */
type Key = string | number;

function mailboxPart(address: string): string {
  // RFC 5256: FROM/TO/CC sort on the addr-mailbox (local part) of the first address.
  const at = address.lastIndexOf('@');
  return at === -1 ? address : address.slice(0, at);
}

/** RFC 5957 §7: the decoded display name, else the address itself. */
function display(name: string, address: string): string {
  const decoded = decodeEncodedWords(name).trim();
  return decoded !== '' ? decoded : address;
}

function keyOf(message: SortInput, key: SortCriterion['key']): Key {
  switch (key) {
    case 'ARRIVAL':
      return message.internalDate.getTime();
    case 'DATE':
      return (message.sentDate ?? message.internalDate).getTime();
    case 'SIZE':
      return message.size;
    case 'SUBJECT':
      return collationKey(baseSubject(message.subject));
    case 'FROM':
      return collationKey(mailboxPart(message.fromAddress));
    case 'TO':
      return collationKey(mailboxPart(message.toAddress));
    case 'CC':
      return collationKey(mailboxPart(message.ccAddress));
    case 'DISPLAYFROM':
      return collationKey(display(message.fromName, message.fromAddress));
    case 'DISPLAYTO':
      return collationKey(display(message.toName, message.toAddress));
  }
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The UIDs of `messages` in SORT order. */
export function sortMessages(messages: SortInput[], criteria: SortCriterion[]): number[] {
  const rows = messages.map((m) => ({ uid: m.uid, keys: criteria.map((c) => keyOf(m, c.key)) }));
  rows.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const order = compareKeys(a.keys[i]!, b.keys[i]!);
      if (order !== 0) return criteria[i]!.reverse ? -order : order;
    }
    return a.uid - b.uid;
  });
  return rows.map((r) => r.uid);
}
