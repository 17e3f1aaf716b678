import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { BADCHARSET, isSupportedCharset, searchUids, usesModseq } from './search-key.js';
import { writeSearchResult } from './search-response.js';
import { no, ok, selectedOf, storeFailure } from './selected-context.js';

/**
 * SEARCH / UID SEARCH (RFC 9051 §6.4.4), ESEARCH (RFC 4731), SEARCHRES (RFC 5182), CONDSTORE's
 * MODSEQ key (RFC 7162 §3.1.5). The store evaluates the key (its text index serves BODY/TEXT);
 * sequence-number keys were turned into UIDs first.
 */
export const searchCommand: ImapCommandHandler<'SEARCH'> = {
  names: ['SEARCH'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'SEARCH' }>): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (!isSupportedCharset(command.charset)) return no('Unsupported charset', BADCHARSET);
    const withModseq = usesModseq(command.criteria);
    if (withModseq) ctx.session.enable('CONDSTORE');
    try {
      const uids = await searchUids(ctx, mailbox, command.criteria);
      const modseq = withModseq ? await highestModseq(ctx, mailbox, uids) : undefined;
      writeSearchResult(ctx, mailbox, uids, { isUid: command.uid, isEsearch: command.isEsearch, returns: command.return, modseq });
    } catch (err) {
      // RFC 5182 §2.1: a failed SEARCH ... SAVE leaves "$" empty.
      if (command.return.includes('SAVE')) ctx.session.savedSearch = [];
      return storeFailure(ctx, err);
    }
    return ok(`${command.uid ? 'UID SEARCH' : 'SEARCH'} completed`);
  },
};

async function highestModseq(ctx: CommandContext, mailbox: SelectedMailbox, uids: number[]): Promise<bigint> {
  let highest = 0n;
  const needs = { flags: false, internalDate: false, size: false, envelope: false, structure: false };
  for (let i = 0; i < uids.length; i += 1000) {
    for (const meta of await ctx.deps.store.fetchMeta(mailbox.accountId, mailbox.mailboxId, uids.slice(i, i + 1000), needs)) {
      if (meta.modseq > highest) highest = meta.modseq;
    }
  }
  return highest;
}
