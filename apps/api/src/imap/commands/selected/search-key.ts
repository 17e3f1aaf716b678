import type { SearchKey } from '@correio/imap-protocol';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { formatSet } from './uid-set.js';

/** Matches nothing: what an empty set of messages becomes. */
const NOTHING: SearchKey = { type: 'not', key: { type: 'all' } };

/**
 * The search key as the store takes it (imap-store.types.ts: "sequence-number keys arrive already
 * turned into UID sets"): sequence sets and "$" (RFC 5182) become the UIDs they name in this
 * session's view; numbers past the end match nothing rather than failing (RFC 9051 §6.4.4).
 */
export function toStoreKey(key: SearchKey, mailbox: SelectedMailbox, saved: number[] | undefined): SearchKey {
  switch (key.type) {
    case 'seq':
    case 'uid': {
      if (key.type === 'uid' && key.set.kind === 'ranges') {
        // '*' is the last UID this client knows of, not the store's (RFC 9051 §6.4.4 UID key).
        const last = mailbox.lastUid;
        if (last === 0) return NOTHING;
        const star = (n: number | '*') => (n === '*' ? last : n);
        return { type: 'uid', set: { kind: 'ranges', ranges: key.set.ranges.map((r) => ({ start: star(r.start), end: star(r.end) })) } };
      }
      const uids = mailbox.resolve(key.set, key.type === 'uid', saved, false);
      const list = Array.isArray(uids) ? uids : [];
      if (list.length === 0) return NOTHING;
      const ranges = formatSet(list)
        .split(',')
        .map((r) => {
          const [a, b] = r.split(':').map(Number) as [number, number | undefined];
          return { start: a, end: b ?? a };
        });
      return { type: 'uid', set: { kind: 'ranges', ranges } };
    }
    case 'and':
      return { type: 'and', keys: key.keys.map((k) => toStoreKey(k, mailbox, saved)) };
    case 'or':
      return { type: 'or', left: toStoreKey(key.left, mailbox, saved), right: toStoreKey(key.right, mailbox, saved) };
    case 'not':
      return { type: 'not', key: toStoreKey(key.key, mailbox, saved) };
    default:
      return key;
  }
}

/** True when a MODSEQ key is used anywhere (RFC 7162 §3.1.5: the response then carries the highest MODSEQ). */
export function usesModseq(key: SearchKey): boolean {
  switch (key.type) {
    case 'modseq':
      return true;
    case 'and':
      return key.keys.some(usesModseq);
    case 'or':
      return usesModseq(key.left) || usesModseq(key.right);
    case 'not':
      return usesModseq(key.key);
    default:
      return false;
  }
}

/** RFC 9051 §6.4.4: UTF-8 and US-ASCII are the charsets searched; others are NO [BADCHARSET (...)]. */
export function isSupportedCharset(charset: string | undefined): boolean {
  return charset === undefined || ['UTF-8', 'US-ASCII'].includes(charset.toUpperCase());
}

export const BADCHARSET = 'BADCHARSET (UTF-8 US-ASCII)';

/** UIDs matching the key, in the session's view (messages it has not been told of are left out). */
export async function searchUids(ctx: CommandContext, mailbox: SelectedMailbox, key: SearchKey): Promise<number[]> {
  const storeKey = toStoreKey(key, mailbox, ctx.session.savedSearch);
  const found = await ctx.deps.store.search(mailbox.accountId, mailbox.mailboxId, storeKey);
  return found.filter((uid) => mailbox.seqOf(uid) > 0);
}
