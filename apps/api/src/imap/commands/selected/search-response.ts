import { quoteString, type SearchReturn } from '@correio/imap-protocol';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { formatSet } from './uid-set.js';

/**
 * The result of a SEARCH (or SORT) as the client asked for it: a plain "* SEARCH 2 5 9" (RFC 9051
 * §7.3.4 / RFC 3501 §7.2.5), or "* ESEARCH (TAG "t") [UID] MIN .. MAX .. ALL .. COUNT .." (RFC 4731,
 * RFC 9051 §7.3.4, where IMAP4rev2 always answers ESEARCH), with "(MODSEQ n)" / "MODSEQ n" when a
 * MODSEQ key was used (RFC 7162 §3.1.5). SAVE (RFC 5182 §2.4) keeps the result — only MIN/MAX when
 * those are asked with it — as "$", and alone asks for no ESEARCH response at all.
 */
export function writeSearchResult(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  options: { isUid: boolean; isEsearch: boolean; returns: SearchReturn[]; modseq?: bigint; name?: 'SEARCH' | 'SORT' },
): void {
  const ordered = uids.map((uid) => (options.isUid ? uid : mailbox.seqOf(uid)));
  const returns = options.returns;
  const isSave = returns.includes('SAVE');
  const wanted = returns.filter((r) => r !== 'SAVE');
  if (isSave) ctx.session.savedSearch = savedResult(uids, wanted);
  // RFC 9051 §6.4.4: under IMAP4rev2 SEARCH always answers ESEARCH; SORT keeps "* SORT" unless RETURN was given (RFC 5267).
  const isRev2Search = options.name !== 'SORT' && ctx.session.enabled.has('IMAP4REV2');
  const isEsearch = options.isEsearch || returns.length > 0 || isRev2Search;
  if (!isEsearch) {
    const modseq = options.modseq !== undefined && ordered.length > 0 ? ` (MODSEQ ${options.modseq})` : '';
    ctx.out.untagged(`${options.name ?? 'SEARCH'}${ordered.map((n) => ` ${n}`).join('')}${modseq}`);
    return;
  }
  if (isSave && wanted.length === 0) return;
  const items = wanted.length === 0 ? (['ALL'] as SearchReturn[]) : wanted;
  const sorted = options.name === 'SORT' ? ordered : ordered.slice().sort((a, b) => a - b);
  const parts = [`ESEARCH (TAG ${quoteString(ctx.tag)})`];
  if (options.isUid) parts.push('UID');
  if (sorted.length > 0) {
    // SEARCH: lowest/highest number; ESORT: first/last in sort order (RFC 5267 §3.2). `sorted` is in that order.
    if (items.includes('MIN')) parts.push(`MIN ${sorted[0]}`);
    if (items.includes('MAX')) parts.push(`MAX ${sorted[sorted.length - 1]}`);
    if (items.includes('ALL')) parts.push(`ALL ${formatSet(sorted)}`);
  }
  if (items.includes('COUNT')) parts.push(`COUNT ${sorted.length}`);
  if (options.modseq !== undefined && sorted.length > 0) parts.push(`MODSEQ ${options.modseq}`);
  ctx.out.untagged(parts.join(' '));
}

function savedResult(uids: number[], wanted: SearchReturn[]): number[] {
  const hasMin = wanted.includes('MIN');
  const hasMax = wanted.includes('MAX');
  if (uids.length === 0 || (!hasMin && !hasMax) || wanted.includes('ALL') || wanted.includes('COUNT'))
    return uids.slice().sort((a, b) => a - b);
  const sorted = uids.slice().sort((a, b) => a - b);
  const out: number[] = [];
  if (hasMin) out.push(sorted[0] as number);
  if (hasMax && sorted.length > 1) out.push(sorted[sorted.length - 1] as number);
  return out;
}
